using System.Numerics;

namespace Provenance.Ethereum.Abi;

/// <summary>
/// A Solidity ABI type (Solidity ABI specification, "Types"): <c>uint&lt;M&gt;</c>, <c>int&lt;M&gt;</c>,
/// <c>address</c>, <c>bool</c>, <c>bytes&lt;M&gt;</c>, <c>bytes</c>, <c>string</c>, <c>T[k]</c>, <c>T[]</c> and tuples.
/// Parse one with <see cref="Parse"/>; <see cref="CanonicalName"/> is the form used in signatures.
/// </summary>
public abstract class AbiType
{
    private protected AbiType()
    {
    }

    /// <summary><c>address</c>.</summary>
    public static AbiType Address { get; } = new AbiAddressType();

    /// <summary><c>bool</c>.</summary>
    public static AbiType Bool { get; } = new AbiBoolType();

    /// <summary><c>string</c>.</summary>
    public static AbiType String { get; } = new AbiStringType();

    /// <summary><c>bytes</c>.</summary>
    public static AbiType Bytes { get; } = new AbiBytesType();

    /// <summary><c>uint256</c>.</summary>
    public static AbiType UInt256 { get; } = UInt(256);

    /// <summary><c>bytes32</c>.</summary>
    public static AbiType Bytes32 { get; } = FixedBytes(32);

    /// <summary>The canonical name used in signatures, e.g. <c>uint256</c>, <c>(address,bytes32)[]</c>.</summary>
    public abstract string CanonicalName { get; }

    /// <summary>True for <c>bytes</c>, <c>string</c>, <c>T[]</c>, and arrays/tuples containing them.</summary>
    public abstract bool IsDynamic { get; }

    /// <summary>Bytes this type takes in the head of an enclosing tuple: its full size if static, else 32 (an offset).</summary>
    public abstract int HeadSize { get; }

    /// <summary><c>uint&lt;bits&gt;</c>; bits is a multiple of 8 in [8, 256].</summary>
    public static AbiType UInt(int bits) => new AbiIntegerType(bits, signed: false);

    /// <summary><c>int&lt;bits&gt;</c>; bits is a multiple of 8 in [8, 256].</summary>
    public static AbiType Int(int bits) => new AbiIntegerType(bits, signed: true);

    /// <summary><c>bytes&lt;size&gt;</c>; size in [1, 32].</summary>
    public static AbiType FixedBytes(int size) => new AbiFixedBytesType(size);

    /// <summary><c>T[length]</c>, or <c>T[]</c> when <paramref name="length"/> is null.</summary>
    public static AbiType Array(AbiType element, int? length = null) => new AbiArrayType(element, length);

    /// <summary>A tuple of unnamed components.</summary>
    public static AbiType Tuple(params AbiType[] components) =>
        new AbiTupleType(components.Select(c => new AbiParameter(string.Empty, c)).ToArray());

    /// <summary>A tuple of (named) components.</summary>
    public static AbiType Tuple(IReadOnlyList<AbiParameter> components) => new AbiTupleType(components);

    /// <summary>
    /// Parses a type such as <c>uint</c> (= uint256), <c>bytes32[2][]</c>, <c>(address to,uint256 amount)[]</c> or
    /// <c>tuple(bool,string)</c>. Component names are kept; whitespace is ignored.
    /// </summary>
    /// <exception cref="AbiException">Not a valid type.</exception>
    public static AbiType Parse(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var parser = new AbiTypeParser(type);
        var result = parser.ParseType();
        parser.ExpectEnd();
        return result;
    }

    /// <inheritdoc />
    public override string ToString() => CanonicalName;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is AbiType other && other.CanonicalName == CanonicalName;

    /// <inheritdoc />
    public override int GetHashCode() => CanonicalName.GetHashCode(StringComparison.Ordinal);
}

/// <summary><c>uint&lt;M&gt;</c> / <c>int&lt;M&gt;</c>. Values are <see cref="BigInteger"/> (any .NET integer is accepted when encoding).</summary>
public sealed class AbiIntegerType : AbiType
{
    internal AbiIntegerType(int bits, bool signed)
    {
        if (bits is < 8 or > 256 || bits % 8 != 0)
        {
            throw new AbiException($"Invalid integer width {bits}: must be a multiple of 8 in [8, 256].");
        }

        Bits = bits;
        IsSigned = signed;
        CanonicalName = (signed ? "int" : "uint") + bits;
        MaxValue = signed ? (BigInteger.One << (bits - 1)) - 1 : (BigInteger.One << bits) - 1;
        MinValue = signed ? -(BigInteger.One << (bits - 1)) : BigInteger.Zero;
    }

    /// <summary>Width M in bits.</summary>
    public int Bits { get; }

    /// <summary>True for <c>int&lt;M&gt;</c>.</summary>
    public bool IsSigned { get; }

    /// <summary>Smallest value.</summary>
    public BigInteger MinValue { get; }

    /// <summary>Largest value.</summary>
    public BigInteger MaxValue { get; }

    /// <inheritdoc />
    public override string CanonicalName { get; }

    /// <inheritdoc />
    public override bool IsDynamic => false;

    /// <inheritdoc />
    public override int HeadSize => 32;
}

/// <summary><c>address</c>; values are <see cref="Ethereum.Address"/> (a hex string is accepted when encoding).</summary>
public sealed class AbiAddressType : AbiType
{
    internal AbiAddressType()
    {
    }

    /// <inheritdoc />
    public override string CanonicalName => "address";

    /// <inheritdoc />
    public override bool IsDynamic => false;

    /// <inheritdoc />
    public override int HeadSize => 32;
}

/// <summary><c>bool</c>.</summary>
public sealed class AbiBoolType : AbiType
{
    internal AbiBoolType()
    {
    }

    /// <inheritdoc />
    public override string CanonicalName => "bool";

    /// <inheritdoc />
    public override bool IsDynamic => false;

    /// <inheritdoc />
    public override int HeadSize => 32;
}

/// <summary><c>bytes&lt;M&gt;</c>; values are byte arrays of exactly M bytes.</summary>
public sealed class AbiFixedBytesType : AbiType
{
    internal AbiFixedBytesType(int size)
    {
        if (size is < 1 or > 32)
        {
            throw new AbiException($"Invalid bytes<M> size {size}: must be in [1, 32].");
        }

        Size = size;
        CanonicalName = "bytes" + size;
    }

    /// <summary>M.</summary>
    public int Size { get; }

    /// <inheritdoc />
    public override string CanonicalName { get; }

    /// <inheritdoc />
    public override bool IsDynamic => false;

    /// <inheritdoc />
    public override int HeadSize => 32;
}

/// <summary><c>bytes</c>; values are byte arrays.</summary>
public sealed class AbiBytesType : AbiType
{
    internal AbiBytesType()
    {
    }

    /// <inheritdoc />
    public override string CanonicalName => "bytes";

    /// <inheritdoc />
    public override bool IsDynamic => true;

    /// <inheritdoc />
    public override int HeadSize => 32;
}

/// <summary><c>string</c>; UTF-8 encoded.</summary>
public sealed class AbiStringType : AbiType
{
    internal AbiStringType()
    {
    }

    /// <inheritdoc />
    public override string CanonicalName => "string";

    /// <inheritdoc />
    public override bool IsDynamic => true;

    /// <inheritdoc />
    public override int HeadSize => 32;
}

/// <summary><c>T[k]</c> (fixed <see cref="Length"/>) or <c>T[]</c>; values are lists (any <see cref="System.Collections.IList"/>).</summary>
public sealed class AbiArrayType : AbiType
{
    internal AbiArrayType(AbiType element, int? length)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (length < 0)
        {
            throw new AbiException("An array length cannot be negative.");
        }

        Element = element;
        Length = length;
        CanonicalName = element.CanonicalName + (length is { } k ? $"[{k}]" : "[]");
        IsDynamic = length is null || element.IsDynamic;
        HeadSize = IsDynamic ? 32 : checked(element.HeadSize * length!.Value);
    }

    /// <summary>T.</summary>
    public AbiType Element { get; }

    /// <summary>k for <c>T[k]</c>; null for <c>T[]</c>.</summary>
    public int? Length { get; }

    /// <inheritdoc />
    public override string CanonicalName { get; }

    /// <inheritdoc />
    public override bool IsDynamic { get; }

    /// <inheritdoc />
    public override int HeadSize { get; }
}

/// <summary>A tuple (a Solidity struct or a parameter list); values are lists in component order.</summary>
public sealed class AbiTupleType : AbiType
{
    internal AbiTupleType(IReadOnlyList<AbiParameter> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        Components = components;
        CanonicalName = "(" + string.Join(",", components.Select(c => c.Type.CanonicalName)) + ")";
        IsDynamic = components.Any(c => c.Type.IsDynamic);
        HeadSize = IsDynamic ? 32 : components.Sum(c => c.Type.HeadSize);
        Types = components.Select(c => c.Type).ToArray();
    }

    /// <summary>The components with their names (empty when unnamed).</summary>
    public IReadOnlyList<AbiParameter> Components { get; }

    /// <summary>The component types.</summary>
    public IReadOnlyList<AbiType> Types { get; }

    /// <inheritdoc />
    public override string CanonicalName { get; }

    /// <inheritdoc />
    public override bool IsDynamic { get; }

    /// <inheritdoc />
    public override int HeadSize { get; }
}

/// <summary>
/// A named parameter of a function, event, error or tuple. <see cref="Indexed"/> applies to event parameters;
/// <see cref="InternalType"/> is the Solidity type name from a compiler's JSON ABI (e.g. <c>struct Registry.Piece</c>).
/// </summary>
public sealed record AbiParameter(string Name, AbiType Type, bool Indexed = false, string? InternalType = null)
{
    /// <inheritdoc />
    public override string ToString() =>
        Type.CanonicalName + (Indexed ? " indexed" : string.Empty) + (Name.Length > 0 ? " " + Name : string.Empty);
}

/// <summary>An invalid ABI type, a value that does not fit its type, or malformed encoded data.</summary>
public sealed class AbiException(string message) : FormatException(message);

/// <summary>Recursive-descent parser for type strings and parameter lists.</summary>
internal sealed class AbiTypeParser(string text)
{
    private int _position;

    public AbiType ParseType()
    {
        SkipSpace();
        AbiType type;
        if (Peek() == '(' || Matches("tuple("))
        {
            if (Peek() == 't')
            {
                _position += "tuple".Length;
            }

            type = new AbiTupleType(ParseParameterList(allowIndexed: false));
        }
        else
        {
            type = Elementary(ReadIdentifier());
        }

        return ParseArraySuffixes(type);
    }

    /// <summary>Parses "(type [indexed] [name], …)" including the parentheses.</summary>
    public List<AbiParameter> ParseParameterList(bool allowIndexed)
    {
        Expect('(');
        var parameters = new List<AbiParameter>();
        SkipSpace();
        if (Peek() == ')')
        {
            _position++;
            return parameters;
        }

        while (true)
        {
            var type = ParseType();
            SkipSpace();
            var indexed = false;
            var name = string.Empty;
            if (char.IsLetter(Peek()) || Peek() == '_' || Peek() == '$')
            {
                var word = ReadIdentifier();
                if (word == "indexed")
                {
                    if (!allowIndexed)
                    {
                        throw Error("'indexed' is only allowed on event parameters");
                    }

                    indexed = true;
                    SkipSpace();
                    if (char.IsLetter(Peek()) || Peek() == '_' || Peek() == '$')
                    {
                        name = ReadIdentifier();
                    }
                }
                else if (word is "memory" or "calldata" or "storage")
                {
                    SkipSpace();
                    name = char.IsLetter(Peek()) || Peek() == '_' ? ReadIdentifier() : string.Empty;
                }
                else
                {
                    name = word;
                }
            }

            parameters.Add(new AbiParameter(name, type, indexed));
            SkipSpace();
            var c = Next();
            if (c == ')')
            {
                return parameters;
            }

            if (c != ',')
            {
                throw Error("expected ',' or ')'");
            }
        }
    }

    public AbiType ParseArraySuffixes(AbiType type)
    {
        while (true)
        {
            SkipSpace();
            if (Peek() != '[')
            {
                return type;
            }

            _position++;
            SkipSpace();
            var start = _position;
            while (_position < text.Length && char.IsAsciiDigit(text[_position]))
            {
                _position++;
            }

            int? length = null;
            if (_position > start)
            {
                if (text[start] == '0' && _position - start > 1)
                {
                    throw Error("array length with a leading zero");
                }

                length = int.TryParse(text.AsSpan(start, _position - start), out var k)
                    ? k
                    : throw Error("array length too large");
            }

            Expect(']');
            type = new AbiArrayType(type, length);
        }
    }

    public string ReadIdentifier()
    {
        SkipSpace();
        var start = _position;
        while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] is '_' or '$'))
        {
            _position++;
        }

        if (_position == start)
        {
            throw Error("expected a name");
        }

        return text[start.._position];
    }

    public void Expect(char c)
    {
        SkipSpace();
        if (Next() != c)
        {
            throw Error($"expected '{c}'");
        }
    }

    public void ExpectEnd()
    {
        SkipSpace();
        if (_position != text.Length)
        {
            throw Error("unexpected text");
        }
    }

    public bool AtEnd()
    {
        SkipSpace();
        return _position == text.Length;
    }

    public bool TryKeyword(string keyword)
    {
        SkipSpace();
        if (Matches(keyword) && (_position + keyword.Length == text.Length || !char.IsAsciiLetterOrDigit(text[_position + keyword.Length])))
        {
            _position += keyword.Length;
            return true;
        }

        return false;
    }

    public char Peek()
    {
        SkipSpace();
        return _position < text.Length ? text[_position] : '\0';
    }

    private bool Matches(string s) => string.CompareOrdinal(text, _position, s, 0, s.Length) == 0;

    private char Next() => _position < text.Length ? text[_position++] : '\0';

    private void SkipSpace()
    {
        while (_position < text.Length && char.IsWhiteSpace(text[_position]))
        {
            _position++;
        }
    }

    private AbiException Error(string what) =>
        new($"Invalid ABI type '{text}': {what} at position {_position}.");

    private AbiType Elementary(string name)
    {
        switch (name)
        {
            case "address":
                return AbiType.Address;
            case "bool":
                return AbiType.Bool;
            case "string":
                return AbiType.String;
            case "bytes":
                return AbiType.Bytes;
            case "uint":
                return AbiType.UInt(256);
            case "int":
                return AbiType.Int(256);
        }

        if (TrySuffix(name, "uint", out var bits))
        {
            return AbiType.UInt(bits);
        }

        if (TrySuffix(name, "int", out bits))
        {
            return AbiType.Int(bits);
        }

        if (TrySuffix(name, "bytes", out var size))
        {
            return AbiType.FixedBytes(size);
        }

        throw Error($"unknown type '{name}'");
    }

    private static bool TrySuffix(string name, string prefix, out int number)
    {
        number = 0;
        if (!name.StartsWith(prefix, StringComparison.Ordinal) || name.Length == prefix.Length)
        {
            return false;
        }

        var digits = name.AsSpan(prefix.Length);
        return digits[0] != '0' && digits.Length <= 3 && int.TryParse(digits, out number) && digits.IndexOfAnyExceptInRange('0', '9') < 0;
    }
}
