using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Provenance.Ethereum.Abi;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Hex;

namespace Provenance.Ethereum.Eip712;

/// <summary>One member of an EIP-712 struct type: <c>{ "name": "wallet", "type": "address" }</c>.</summary>
public sealed record TypedDataField(string Name, string Type);

/// <summary>
/// The EIP-712 domain (<c>EIP712Domain</c>): only the fields that are set take part, in the order name, version,
/// chainId, verifyingContract, salt — as OpenZeppelin's <c>EIP712</c> (name, version, chainId, verifyingContract) and
/// ethers' <c>TypedDataEncoder</c> build it.
/// </summary>
public sealed record Eip712Domain
{
    /// <summary>The signing domain's name (e.g. the contract's name).</summary>
    public string? Name { get; init; }

    /// <summary>The domain's version.</summary>
    public string? Version { get; init; }

    /// <summary>EIP-155 chain id.</summary>
    public BigInteger? ChainId { get; init; }

    /// <summary>The contract that verifies signatures.</summary>
    public Address? VerifyingContract { get; init; }

    /// <summary>A 32-byte salt.</summary>
    public byte[]? Salt { get; init; }

    /// <summary>The <c>EIP712Domain</c> fields for the members that are set.</summary>
    public IReadOnlyList<TypedDataField> Fields()
    {
        var fields = new List<TypedDataField>(5);
        if (Name is not null)
        {
            fields.Add(new("name", "string"));
        }

        if (Version is not null)
        {
            fields.Add(new("version", "string"));
        }

        if (ChainId is not null)
        {
            fields.Add(new("chainId", "uint256"));
        }

        if (VerifyingContract is not null)
        {
            fields.Add(new("verifyingContract", "address"));
        }

        if (Salt is not null)
        {
            fields.Add(new("salt", "bytes32"));
        }

        return fields;
    }

    /// <summary>The domain as a struct value for <see cref="TypedDataEncoder"/>.</summary>
    public IReadOnlyDictionary<string, object?> ToValue()
    {
        var value = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (Name is not null)
        {
            value["name"] = Name;
        }

        if (Version is not null)
        {
            value["version"] = Version;
        }

        if (ChainId is { } chainId)
        {
            value["chainId"] = chainId;
        }

        if (VerifyingContract is { } contract)
        {
            value["verifyingContract"] = contract;
        }

        if (Salt is not null)
        {
            value["salt"] = Salt;
        }

        return value;
    }

    /// <summary>Reads <c>{ name, version, chainId, verifyingContract, salt }</c> (each optional).</summary>
    public static Eip712Domain FromJson(JsonElement json) => new()
    {
        Name = json.TryGetProperty("name", out var n) ? n.GetString() : null,
        Version = json.TryGetProperty("version", out var v) ? v.GetString() : null,
        ChainId = json.TryGetProperty("chainId", out var c) ? TypedDataJson.ParseInteger(c) : null,
        VerifyingContract = json.TryGetProperty("verifyingContract", out var a) ? Address.Parse(a.GetString()!) : null,
        Salt = json.TryGetProperty("salt", out var s) ? HexConvert.FromHex(s.GetString()!) : null,
    };
}

/// <summary>
/// An EIP-712 typed-data message (<c>eth_signTypedData_v4</c>): struct types, the primary type, the domain and the
/// message. Struct values are dictionaries keyed by field name; arrays are lists; atomic values as in
/// <see cref="AbiCodec"/>. <see cref="Digest"/> is <c>keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(message))</c>,
/// the hash OpenZeppelin's <c>EIP712._hashTypedDataV4</c> computes and <c>ECDSA.recover</c> checks.
/// </summary>
public sealed class TypedData
{
    /// <summary>Creates typed data from code.</summary>
    /// <param name="types">Struct types by name (an <c>EIP712Domain</c> entry, if present, overrides the derived domain type).</param>
    public TypedData(
        IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types,
        string primaryType,
        Eip712Domain domain,
        IReadOnlyDictionary<string, object?> message)
    {
        Types = types ?? throw new ArgumentNullException(nameof(types));
        PrimaryType = primaryType ?? throw new ArgumentNullException(nameof(primaryType));
        Domain = domain ?? throw new ArgumentNullException(nameof(domain));
        Message = message ?? throw new ArgumentNullException(nameof(message));
        if (!types.ContainsKey(primaryType))
        {
            throw new Eip712Exception($"The primary type '{primaryType}' is not among the types.");
        }
    }

    /// <summary>The struct types by name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> Types { get; }

    /// <summary>The type of <see cref="Message"/>.</summary>
    public string PrimaryType { get; }

    /// <summary>The signing domain.</summary>
    public Eip712Domain Domain { get; }

    /// <summary>The message, a struct value of <see cref="PrimaryType"/>.</summary>
    public IReadOnlyDictionary<string, object?> Message { get; }

    /// <summary>
    /// Reads the JSON of <c>eth_signTypedData_v4</c>: <c>{ "types": {…}, "primaryType": "…", "domain": {…}, "message": {…} }</c>.
    /// </summary>
    /// <exception cref="Eip712Exception">Missing parts or values that do not fit their types.</exception>
    public static TypedData FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var types = TypedDataJson.ReadTypes(root.GetProperty("types"));
        return FromJson(types, root.GetProperty("primaryType").GetString()!, root.GetProperty("domain"), root.GetProperty("message"));
    }

    /// <summary>Builds typed data from its parts, converting the JSON domain and message by their types.</summary>
    public static TypedData FromJson(
        IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types, string primaryType, JsonElement domain, JsonElement message)
    {
        var messageValue = (IReadOnlyDictionary<string, object?>)TypedDataJson.ToValue(types, primaryType, message)!;
        return new TypedData(types, primaryType, Eip712Domain.FromJson(domain), messageValue);
    }

    /// <summary>The domain separator: <c>hashStruct(EIP712Domain, domain)</c>.</summary>
    public byte[] DomainSeparator() => TypedDataEncoder.HashDomain(Domain, Types);

    /// <summary><c>hashStruct(primaryType, message)</c>.</summary>
    public byte[] StructHash() => TypedDataEncoder.HashStruct(PrimaryType, Message, Types);

    /// <summary>The 32-byte digest that is signed: <c>keccak256(0x19 0x01 ‖ domainSeparator ‖ structHash)</c>.</summary>
    public byte[] Digest() => TypedDataEncoder.Digest(DomainSeparator(), StructHash());

    /// <summary>Signs <see cref="Digest"/> (RFC 6979, low-s); <see cref="EthSignature.ToBytes65"/> is what contracts verify.</summary>
    public EthSignature Sign(EthKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Sign(Digest());
    }

    /// <summary>The address that produced <paramref name="signature"/> over this message.</summary>
    public Address RecoverSigner(EthSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return signature.RecoverAddress(Digest());
    }
}

/// <summary>An EIP-712 type or value that cannot be encoded.</summary>
public sealed class Eip712Exception(string message) : FormatException(message);

/// <summary>Conversion of EIP-712 JSON (types and values) to the CLR values the encoder takes.</summary>
internal static class TypedDataJson
{
    public static Dictionary<string, IReadOnlyList<TypedDataField>> ReadTypes(JsonElement json)
    {
        var types = new Dictionary<string, IReadOnlyList<TypedDataField>>(StringComparer.Ordinal);
        foreach (var type in json.EnumerateObject())
        {
            types[type.Name] = type.Value.EnumerateArray()
                .Select(f => new TypedDataField(f.GetProperty("name").GetString()!, f.GetProperty("type").GetString()!))
                .ToList();
        }

        return types;
    }

    public static object? ToValue(IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types, string type, JsonElement json)
    {
        if (TypedDataEncoder.TrySplitArray(type, out var element, out _))
        {
            if (json.ValueKind != JsonValueKind.Array)
            {
                throw new Eip712Exception($"A {type} value must be a JSON array.");
            }

            return json.EnumerateArray().Select(e => ToValue(types, element, e)).ToArray();
        }

        if (types.TryGetValue(type, out var fields))
        {
            if (json.ValueKind != JsonValueKind.Object)
            {
                throw new Eip712Exception($"A {type} value must be a JSON object.");
            }

            var value = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var field in fields)
            {
                if (json.TryGetProperty(field.Name, out var member))
                {
                    value[field.Name] = ToValue(types, field.Type, member);
                }
            }

            return value;
        }

        var abi = TypedDataEncoder.AtomicType(type);
        return abi switch
        {
            AbiIntegerType => ParseInteger(json),
            AbiBoolType => json.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? json.GetBoolean()
                : throw new Eip712Exception("A bool value must be true or false."),
            AbiAddressType => Address.Parse(json.GetString()!),
            AbiStringType => json.GetString(),
            _ => HexConvert.FromHex(json.GetString()!),
        };
    }

    public static BigInteger ParseInteger(JsonElement json)
    {
        if (json.ValueKind == JsonValueKind.Number)
        {
            return BigInteger.Parse(json.GetRawText(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        var text = json.GetString() ?? throw new Eip712Exception("An integer value must be a number or a string.");
        var negative = text.StartsWith('-');
        var digits = negative ? text[1..] : text;
        var magnitude = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? HexConvert.ParseQuantity(digits)
            : BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        return negative ? -magnitude : magnitude;
    }
}
