using System.Numerics;
using Provenance.Ethereum.Abi;
using Provenance.Ethereum.Hex;

namespace Provenance.Ethereum.Eth;

/// <summary>
/// Decodes revert data: Solidity <c>Error(string)</c> (<c>0x08c379a0</c>), <c>Panic(uint256)</c> (<c>0x4e487b71</c>)
/// with the meaning of its code, custom errors by selector from the ABIs it was given, and empty data.
/// </summary>
public sealed class RevertDecoder
{
    /// <summary>Selector of <c>Error(string)</c>.</summary>
    public const uint ErrorSelector = 0x08c379a0;

    /// <summary>Selector of <c>Panic(uint256)</c>.</summary>
    public const uint PanicSelector = 0x4e487b71;

    private readonly ContractAbi[] _abis;

    /// <summary>A decoder for the standard errors plus the custom errors of <paramref name="abis"/>.</summary>
    public RevertDecoder(params ContractAbi[] abis) => _abis = abis ?? [];

    /// <summary>A decoder that knows only the standard errors.</summary>
    public static RevertDecoder Standard { get; } = new();

    /// <summary>Decodes <paramref name="data"/>; never throws (undecodable data is <see cref="RevertKind.Unknown"/>).</summary>
    public RevertReason Decode(ReadOnlySpan<byte> data)
    {
        var raw = data.ToArray();
        if (raw.Length == 0)
        {
            return new RevertReason(RevertKind.Empty, null, [], raw, "reverted without data");
        }

        try
        {
            if (AbiError.ErrorString.Matches(raw))
            {
                var message = AbiError.ErrorString.Decode(raw).Get<string>(0);
                return new RevertReason(RevertKind.ErrorString, "Error", Args(AbiError.ErrorString.Decode(raw)), raw, $"reverted: {message}");
            }

            if (AbiError.Panic.Matches(raw))
            {
                var values = AbiError.Panic.Decode(raw);
                var code = values.Get<BigInteger>(0);
                return new RevertReason(RevertKind.Panic, "Panic", Args(values), raw, $"panic 0x{code:x2}: {PanicMeaning(code)}");
            }

            foreach (var abi in _abis)
            {
                if (abi.FindError(raw) is { } error)
                {
                    var values = error.Decode(raw);
                    var args = Args(values);
                    return new RevertReason(
                        RevertKind.Custom, error.Name, args, raw,
                        $"{error.Name}({string.Join(", ", args.Select(a => $"{a.Name}={Format(a.Value)}"))})");
                }
            }
        }
        catch (AbiException)
        {
            // A known selector with malformed arguments: reported as unknown data below.
        }

        return new RevertReason(RevertKind.Unknown, null, [], raw, $"reverted with unrecognised data {HexConvert.ToHex(raw)}");
    }

    private static RevertArgument[] Args(AbiValues values) =>
        values.Parameters.Select((p, i) => new RevertArgument(p.Name, p.Type.CanonicalName, values[i])).ToArray();

    private static string Format(object? value) => value switch
    {
        byte[] b => HexConvert.ToHex(b),
        object?[] list => "[" + string.Join(", ", list.Select(Format)) + "]",
        null => "null",
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>The meaning of a Solidity panic code (Solidity docs, "Panic via assert and Error via require").</summary>
    public static string PanicMeaning(BigInteger code) => (int)(code > 0xff ? -1 : code) switch
    {
        0x00 => "generic compiler-inserted panic",
        0x01 => "assertion failed",
        0x11 => "arithmetic overflow or underflow",
        0x12 => "division or modulo by zero",
        0x21 => "conversion to an invalid enum value",
        0x22 => "incorrectly encoded storage byte array",
        0x31 => "pop() on an empty array",
        0x32 => "array index out of bounds",
        0x41 => "too much memory allocated or an array too large",
        0x51 => "call of a zero-initialised internal function",
        _ => "unknown panic code",
    };
}
