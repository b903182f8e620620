using System.Collections;
using System.Collections.Concurrent;
using System.Text;
using Provenance.Ethereum.Abi;
using Provenance.Ethereum.Crypto;

namespace Provenance.Ethereum.Eip712;

/// <summary>
/// The EIP-712 encoding functions: <c>encodeType</c> (primary type, then referenced struct types sorted by name),
/// <c>typeHash</c>, <c>encodeData</c> (atomic values as 32-byte ABI words; <c>bytes</c>/<c>string</c> as their
/// Keccak-256; structs as their <c>hashStruct</c>; arrays as the Keccak-256 of their elements' encodings), the domain
/// separator and the final digest.
/// </summary>
public static class TypedDataEncoder
{
    private const string DomainType = "EIP712Domain";
    private static readonly ConcurrentDictionary<string, AbiType> AtomicTypes = new(StringComparer.Ordinal);

    /// <summary>
    /// <c>encodeType</c>, e.g. <c>Mail(Person from,Person to,string contents)Person(string name,address wallet)</c>.
    /// </summary>
    /// <exception cref="Eip712Exception">An unknown type is referenced.</exception>
    public static string EncodeType(string primaryType, IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types)
    {
        var dependencies = new SortedSet<string>(StringComparer.Ordinal);
        CollectDependencies(primaryType, types, dependencies);
        dependencies.Remove(primaryType);
        var builder = new StringBuilder();
        foreach (var name in new[] { primaryType }.Concat(dependencies))
        {
            builder.Append(name).Append('(');
            builder.AppendJoin(',', types[name].Select(f => f.Type + " " + f.Name));
            builder.Append(')');
        }

        return builder.ToString();
    }

    /// <summary><c>typeHash = keccak256(encodeType(type))</c>.</summary>
    public static byte[] TypeHash(string primaryType, IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types) =>
        Keccak.Keccak256(EncodeType(primaryType, types));

    /// <summary><c>encodeData</c>: <c>typeHash ‖ enc(field₁) ‖ … ‖ enc(fieldₙ)</c>, each 32 bytes.</summary>
    /// <exception cref="Eip712Exception">A missing field or a value that does not fit its type.</exception>
    public static byte[] EncodeData(
        string type, IReadOnlyDictionary<string, object?> value, IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types)
    {
        ArgumentNullException.ThrowIfNull(value);
        var fields = types.TryGetValue(type, out var f) ? f : throw new Eip712Exception($"Unknown struct type '{type}'.");
        var result = new byte[32 * (1 + fields.Count)];
        TypeHash(type, types).CopyTo(result, 0);
        for (var i = 0; i < fields.Count; i++)
        {
            if (!value.TryGetValue(fields[i].Name, out var member))
            {
                throw new Eip712Exception($"{type} value lacks the field '{fields[i].Name}'.");
            }

            EncodeField(fields[i].Type, member, types, result.AsSpan(32 * (i + 1), 32), $"{type}.{fields[i].Name}");
        }

        return result;
    }

    /// <summary><c>hashStruct = keccak256(encodeData(type, value))</c>.</summary>
    public static byte[] HashStruct(
        string type, IReadOnlyDictionary<string, object?> value, IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types) =>
        Keccak.Keccak256(EncodeData(type, value, types));

    /// <summary>
    /// The domain separator. Uses <c>types["EIP712Domain"]</c> when given, otherwise the fields that are set on
    /// <paramref name="domain"/>.
    /// </summary>
    public static byte[] HashDomain(Eip712Domain domain, IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>>? types = null)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var domainTypes = new Dictionary<string, IReadOnlyList<TypedDataField>>(StringComparer.Ordinal)
        {
            [DomainType] = types is not null && types.TryGetValue(DomainType, out var declared) ? declared : domain.Fields(),
        };
        return HashStruct(DomainType, domain.ToValue(), domainTypes);
    }

    /// <summary><c>keccak256(0x19 0x01 ‖ domainSeparator ‖ structHash)</c>.</summary>
    public static byte[] Digest(ReadOnlySpan<byte> domainSeparator, ReadOnlySpan<byte> structHash)
    {
        if (domainSeparator.Length != 32 || structHash.Length != 32)
        {
            throw new ArgumentException("The domain separator and the struct hash are 32 bytes each.");
        }

        Span<byte> buffer = stackalloc byte[66];
        buffer[0] = 0x19;
        buffer[1] = 0x01;
        domainSeparator.CopyTo(buffer[2..]);
        structHash.CopyTo(buffer[34..]);
        return Keccak.Keccak256(buffer);
    }

    internal static bool TrySplitArray(string type, out string element, out int? length)
    {
        element = type;
        length = null;
        if (!type.EndsWith(']'))
        {
            return false;
        }

        var open = type.LastIndexOf('[');
        if (open <= 0)
        {
            throw new Eip712Exception($"Invalid array type '{type}'.");
        }

        element = type[..open];
        var digits = type.AsSpan(open + 1, type.Length - open - 2);
        if (digits.Length > 0)
        {
            length = int.TryParse(digits, out var k) && k >= 0 ? k : throw new Eip712Exception($"Invalid array length in '{type}'.");
        }

        return true;
    }

    internal static AbiType AtomicType(string type) => AtomicTypes.GetOrAdd(type, static t =>
    {
        AbiType abi;
        try
        {
            abi = AbiType.Parse(t);
        }
        catch (AbiException e)
        {
            throw new Eip712Exception($"Unknown EIP-712 type '{t}': {e.Message}");
        }

        return abi is AbiArrayType or AbiTupleType || t != abi.CanonicalName
            ? throw new Eip712Exception($"Unknown EIP-712 type '{t}'.")
            : abi;
    });

    private static void EncodeField(
        string type, object? value, IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types, Span<byte> destination, string path)
    {
        if (TrySplitArray(type, out var element, out var length))
        {
            var items = value as IList ?? throw new Eip712Exception($"{path} must be a list for {type}.");
            if (length is { } k && items.Count != k)
            {
                throw new Eip712Exception($"{path} needs {k} elements for {type}, got {items.Count}.");
            }

            var encoded = new byte[32 * items.Count];
            for (var i = 0; i < items.Count; i++)
            {
                EncodeField(element, items[i], types, encoded.AsSpan(32 * i, 32), $"{path}[{i}]");
            }

            Keccak.Keccak256(encoded, destination);
            return;
        }

        if (types.ContainsKey(type))
        {
            var fields = value as IReadOnlyDictionary<string, object?>
                ?? throw new Eip712Exception($"{path} must be a dictionary of fields for struct {type}.");
            Keccak.Keccak256(EncodeData(type, fields, types), destination);
            return;
        }

        var abi = AtomicType(type);
        try
        {
            switch (abi)
            {
                case AbiStringType:
                    Keccak.Keccak256(Encoding.UTF8.GetBytes(value as string ?? throw new Eip712Exception($"{path} must be a string.")), destination);
                    break;
                case AbiBytesType:
                    Keccak.Keccak256(AbiCodec.EncodePacked([abi], [value]), destination);
                    break;
                default:
                    AbiCodec.WriteWord(abi, value, destination);
                    break;
            }
        }
        catch (AbiException e)
        {
            throw new Eip712Exception($"{path}: {e.Message}");
        }
    }

    private static void CollectDependencies(
        string type, IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types, SortedSet<string> found)
    {
        while (TrySplitArray(type, out var element, out _))
        {
            type = element;
        }

        if (!types.TryGetValue(type, out var fields))
        {
            AtomicType(type); // throws for an unknown non-struct type
            return;
        }

        if (!found.Add(type))
        {
            return;
        }

        foreach (var field in fields)
        {
            CollectDependencies(field.Type, types, found);
        }
    }
}
