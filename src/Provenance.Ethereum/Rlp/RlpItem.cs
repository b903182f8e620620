using System.Collections;
using System.Numerics;

namespace Provenance.Ethereum.Rlp;

/// <summary>A decoded (or to-be-encoded) RLP item: a byte string (<see cref="RlpString"/>) or a list (<see cref="RlpList"/>).</summary>
public abstract class RlpItem
{
    private protected RlpItem()
    {
    }

    /// <summary>This item as a byte string.</summary>
    /// <exception cref="RlpException">It is a list.</exception>
    public RlpString AsString() => this as RlpString ?? throw new RlpException("Expected an RLP string, found a list.");

    /// <summary>This item as a list.</summary>
    /// <exception cref="RlpException">It is a byte string.</exception>
    public RlpList AsList() => this as RlpList ?? throw new RlpException("Expected an RLP list, found a string.");

    /// <summary>A byte-string item.</summary>
    public static RlpString Of(ReadOnlyMemory<byte> value) => new(value);

    /// <summary>An integer item (minimal big-endian, 0 is the empty string).</summary>
    public static RlpString Of(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "RLP cannot encode a negative integer.");
        }

        return new RlpString(value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true));
    }

    /// <summary>A list item.</summary>
    public static RlpList List(params RlpItem[] items) => new(items);
}

/// <summary>An RLP byte string.</summary>
public sealed class RlpString(ReadOnlyMemory<byte> value) : RlpItem
{
    /// <summary>The bytes.</summary>
    public ReadOnlyMemory<byte> Value { get; } = value;

    /// <summary>A copy of the bytes.</summary>
    public byte[] ToArray() => Value.ToArray();

    /// <summary>Reads a canonical unsigned integer (no leading zero byte).</summary>
    /// <exception cref="RlpException">Leading zeros.</exception>
    public BigInteger ToBigInteger()
    {
        var span = Value.Span;
        if (span.Length > 0 && span[0] == 0)
        {
            throw new RlpException("Non-canonical RLP integer: leading zero byte.");
        }

        return new BigInteger(span, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>Reads a canonical unsigned integer that must fit in 64 bits.</summary>
    /// <exception cref="RlpException">Leading zeros or more than 8 bytes.</exception>
    public ulong ToUInt64()
    {
        var span = Value.Span;
        if (span.Length > 8)
        {
            throw new RlpException($"RLP integer of {span.Length} bytes does not fit in 64 bits.");
        }

        if (span.Length > 0 && span[0] == 0)
        {
            throw new RlpException("Non-canonical RLP integer: leading zero byte.");
        }

        ulong value = 0;
        foreach (var b in span)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    /// <inheritdoc />
    public override string ToString() => Hex.HexConvert.ToHex(Value.Span);
}

/// <summary>An RLP list.</summary>
public sealed class RlpList(IReadOnlyList<RlpItem> items) : RlpItem, IReadOnlyList<RlpItem>
{
    /// <inheritdoc />
    public int Count => items.Count;

    /// <inheritdoc />
    public RlpItem this[int index] => items[index];

    /// <inheritdoc />
    public IEnumerator<RlpItem> GetEnumerator() => items.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => "[" + string.Join(", ", items) + "]";
}

/// <summary>Malformed or non-canonical RLP.</summary>
public sealed class RlpException(string message) : FormatException(message);
