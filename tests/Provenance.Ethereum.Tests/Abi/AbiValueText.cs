using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Provenance.Ethereum.Abi;
using Provenance.Ethereum.Hex;

namespace Provenance.Ethereum.Tests.Abi;

/// <summary>Converts vector JSON into ABI values for a type, and ABI values into comparable text.</summary>
internal static class AbiValueText
{
    /// <summary>A JSON value (decimal or hex numbers, hex bytes, text, booleans, arrays) as a value of <paramref name="type"/>.</summary>
    public static object? FromJson(AbiType type, JsonElement json) => type switch
    {
        AbiIntegerType => ParseInteger(json),
        AbiBoolType => json.GetBoolean(),
        AbiAddressType => Address.Parse(json.GetString()!),
        AbiFixedBytesType or AbiBytesType => HexConvert.FromHex(json.GetString()!),
        AbiStringType => json.GetString(),
        AbiArrayType a => json.EnumerateArray().Select(e => FromJson(a.Element, e)).ToArray(),
        AbiTupleType t => json.EnumerateArray().Select((e, i) => FromJson(t.Types[i], e)).ToArray(),
        _ => throw new InvalidOperationException($"unsupported {type}"),
    };

    /// <summary>ethers' "verbose" value tree ({type, value}) as an ABI value.</summary>
    public static object? FromVerbose(JsonElement verbose)
    {
        var value = verbose.GetProperty("value");
        return verbose.GetProperty("type").GetString() switch
        {
            "number" => BigInteger.Parse(value.GetString()!, CultureInfo.InvariantCulture),
            "boolean" => value.GetBoolean(),
            "address" => Address.Parse(value.GetString()!),
            "hexstring" => HexConvert.FromHex(value.GetString()!),
            "string" => value.GetString(),
            "array" or "object" => value.EnumerateArray().Select(FromVerbose).ToArray(),
            var other => throw new InvalidOperationException($"unknown verbose type {other}"),
        };
    }

    /// <summary>A canonical text form of a value, for comparing decoded values with expected ones.</summary>
    public static string ToText(object? value) => value switch
    {
        null => "null",
        BigInteger b => b.ToString(CultureInfo.InvariantCulture),
        ulong or long or uint or int or ushort or short or byte or sbyte => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        bool b => b ? "true" : "false",
        Address a => a.ToLowerHex(),
        byte[] bytes => HexConvert.ToHex(bytes),
        string s => JsonSerializer.Serialize(s),
        IEnumerable list => "[" + string.Join(",", list.Cast<object?>().Select(ToText)) + "]",
        _ => throw new InvalidOperationException($"unexpected value {value.GetType()}"),
    };

    private static BigInteger ParseInteger(JsonElement json)
    {
        if (json.ValueKind == JsonValueKind.Number)
        {
            return BigInteger.Parse(json.GetRawText(), CultureInfo.InvariantCulture);
        }

        var text = json.GetString()!;
        var negative = text.StartsWith('-');
        var digits = negative ? text[1..] : text;
        var magnitude = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? HexConvert.ParseQuantity(digits)
            : BigInteger.Parse(digits, CultureInfo.InvariantCulture);
        return negative ? -magnitude : magnitude;
    }
}
