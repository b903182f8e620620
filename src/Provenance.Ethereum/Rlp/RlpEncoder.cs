using System.Buffers.Binary;
using System.Numerics;

namespace Provenance.Ethereum.Rlp;

/// <summary>
/// Recursive Length Prefix encoding (Yellow Paper appendix B): byte strings and lists, with integers as minimal
/// big-endian byte strings (0 → <c>0x80</c>; a single byte below 0x80 is its own encoding).
/// </summary>
public static class RlpEncoder
{
    /// <summary>The encoding of the empty string (also the integer 0): <c>0x80</c>.</summary>
    public static byte[] EmptyString => [0x80];

    /// <summary>The encoding of the empty list: <c>0xc0</c>.</summary>
    public static byte[] EmptyList => [0xc0];

    /// <summary>Encodes a byte string.</summary>
    public static byte[] EncodeBytes(ReadOnlySpan<byte> value)
    {
        if (value.Length == 1 && value[0] < 0x80)
        {
            return [value[0]];
        }

        var result = new byte[PrefixLength(value.Length) + value.Length];
        var offset = WritePrefix(result, 0x80, value.Length);
        value.CopyTo(result.AsSpan(offset));
        return result;
    }

    /// <summary>Encodes an unsigned integer as a minimal big-endian byte string.</summary>
    public static byte[] EncodeInteger(ulong value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(buffer, value);
        return EncodeBytes(buffer[(BitOperations.LeadingZeroCount(value) / 8)..]);
    }

    /// <summary>Encodes a non-negative integer as a minimal big-endian byte string.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public static byte[] EncodeInteger(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "RLP cannot encode a negative integer.");
        }

        if (value.IsZero)
        {
            return EmptyString;
        }

        Span<byte> buffer = stackalloc byte[value.GetByteCount(isUnsigned: true)];
        value.TryWriteBytes(buffer, out var written, isUnsigned: true, isBigEndian: true);
        return EncodeBytes(buffer[..written]);
    }

    /// <summary>Wraps already-encoded items in a list.</summary>
    public static byte[] EncodeList(params ReadOnlySpan<byte[]> encodedItems)
    {
        var payload = 0;
        foreach (var item in encodedItems)
        {
            payload += item.Length;
        }

        var result = new byte[PrefixLength(payload) + payload];
        var offset = WritePrefix(result, 0xc0, payload);
        foreach (var item in encodedItems)
        {
            item.CopyTo(result, offset);
            offset += item.Length;
        }

        return result;
    }

    /// <summary>Encodes an item tree.</summary>
    public static byte[] Encode(RlpItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var result = new byte[EncodedLength(item)];
        Write(item, result);
        return result;
    }

    /// <summary>The length of the encoding of <paramref name="item"/>.</summary>
    public static int EncodedLength(RlpItem item) => item switch
    {
        RlpString { Value.Length: 1 } s when s.Value.Span[0] < 0x80 => 1,
        RlpString s => PrefixLength(s.Value.Length) + s.Value.Length,
        RlpList list => ListLength(PayloadLength(list)),
        _ => throw new ArgumentException($"Unknown RLP item {item.GetType().Name}.", nameof(item)),
    };

    private static int ListLength(int payload) => PrefixLength(payload) + payload;

    private static int PayloadLength(RlpList list)
    {
        var payload = 0;
        foreach (var child in list)
        {
            payload += EncodedLength(child);
        }

        return payload;
    }

    private static int Write(RlpItem item, Span<byte> destination)
    {
        switch (item)
        {
            case RlpString { Value.Length: 1 } s when s.Value.Span[0] < 0x80:
                destination[0] = s.Value.Span[0];
                return 1;
            case RlpString s:
            {
                var offset = WritePrefix(destination, 0x80, s.Value.Length);
                s.Value.Span.CopyTo(destination[offset..]);
                return offset + s.Value.Length;
            }

            case RlpList list:
            {
                var offset = WritePrefix(destination, 0xc0, PayloadLength(list));
                foreach (var child in list)
                {
                    offset += Write(child, destination[offset..]);
                }

                return offset;
            }

            default:
                throw new ArgumentException($"Unknown RLP item {item.GetType().Name}.", nameof(item));
        }
    }

    /// <summary>The size of the prefix for a payload of <paramref name="length"/> bytes.</summary>
    internal static int PrefixLength(int length) => length < 56 ? 1 : 1 + ByteCount((uint)length);

    /// <summary>Writes a string (<paramref name="offset"/> 0x80) or list (0xc0) prefix; returns its size.</summary>
    internal static int WritePrefix(Span<byte> destination, byte offset, int length)
    {
        if (length < 56)
        {
            destination[0] = (byte)(offset + length);
            return 1;
        }

        var lengthBytes = ByteCount((uint)length);
        destination[0] = (byte)(offset + 55 + lengthBytes);
        for (var i = 0; i < lengthBytes; i++)
        {
            destination[lengthBytes - i] = (byte)(length >> (8 * i));
        }

        return 1 + lengthBytes;
    }

    private static int ByteCount(uint value) => (32 - BitOperations.LeadingZeroCount(value) + 7) / 8;
}
