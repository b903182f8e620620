namespace Provenance.Ethereum.Rlp;

/// <summary>
/// Strict RLP decoder (Yellow Paper appendix B): rejects every non-canonical form — a single byte below 0x80 wrapped
/// in a prefix, a long form for a payload under 56 bytes, a length with leading zeros — as well as truncated input,
/// list payloads that do not end on an item boundary, and trailing bytes.
/// </summary>
public static class RlpDecoder
{
    /// <summary>Nesting deeper than this is rejected (guards the stack against hostile input).</summary>
    public const int MaxDepth = 64;

    /// <summary>Decodes exactly one item spanning all of <paramref name="encoded"/>.</summary>
    /// <exception cref="RlpException">Malformed or non-canonical input, or trailing bytes.</exception>
    public static RlpItem Decode(ReadOnlyMemory<byte> encoded)
    {
        var item = DecodeItem(encoded, 0, out var consumed, 0);
        if (consumed != encoded.Length)
        {
            throw new RlpException($"{encoded.Length - consumed} trailing byte(s) after the RLP item.");
        }

        return item;
    }

    /// <inheritdoc cref="Decode(ReadOnlyMemory{byte})"/>
    public static RlpItem Decode(byte[] encoded) => Decode(encoded.AsMemory());

    /// <summary>Decodes the first item of <paramref name="encoded"/>, returning how many bytes it took.</summary>
    public static RlpItem DecodeFirst(ReadOnlyMemory<byte> encoded, out int consumed) =>
        DecodeItem(encoded, 0, out consumed, 0);

    private static RlpItem DecodeItem(ReadOnlyMemory<byte> data, int position, out int consumed, int depth)
    {
        var span = data.Span;
        if (position >= span.Length)
        {
            throw new RlpException("Unexpected end of RLP input.");
        }

        var prefix = span[position];
        if (prefix < 0x80)
        {
            consumed = 1;
            return new RlpString(data.Slice(position, 1));
        }

        if (prefix < 0xc0)
        {
            var (headerLength, length) = ReadLength(span, position, 0x80);
            if (length == 1 && span[position + headerLength] < 0x80)
            {
                throw new RlpException("Non-canonical RLP: a single byte below 0x80 must encode itself.");
            }

            consumed = headerLength + length;
            return new RlpString(data.Slice(position + headerLength, length));
        }

        if (depth >= MaxDepth)
        {
            throw new RlpException($"RLP nested deeper than {MaxDepth} lists.");
        }

        var (listHeader, payload) = ReadLength(span, position, 0xc0);
        var items = new List<RlpItem>();
        var cursor = position + listHeader;
        var end = cursor + payload;
        while (cursor < end)
        {
            var child = DecodeItem(data[..end], cursor, out var childLength, depth + 1);
            items.Add(child);
            cursor += childLength;
        }

        consumed = listHeader + payload;
        return new RlpList(items);
    }

    private static (int HeaderLength, int Length) ReadLength(ReadOnlySpan<byte> span, int position, byte offset)
    {
        var prefix = span[position];
        var available = span.Length - position - 1;
        if (prefix - offset < 56)
        {
            var shortLength = prefix - offset;
            if (shortLength > available)
            {
                throw new RlpException($"RLP item claims {shortLength} bytes but only {available} remain.");
            }

            return (1, shortLength);
        }

        var lengthBytes = prefix - offset - 55;
        if (lengthBytes > available)
        {
            throw new RlpException("RLP length prefix is truncated.");
        }

        if (span[position + 1] == 0)
        {
            throw new RlpException("Non-canonical RLP: length with leading zero bytes.");
        }

        if (lengthBytes > 4)
        {
            throw new RlpException("RLP length does not fit in 32 bits.");
        }

        long length = 0;
        for (var i = 0; i < lengthBytes; i++)
        {
            length = (length << 8) | span[position + 1 + i];
        }

        if (length < 56)
        {
            throw new RlpException("Non-canonical RLP: long form used for a payload under 56 bytes.");
        }

        if (length > available - lengthBytes)
        {
            throw new RlpException($"RLP item claims {length} bytes but only {available - lengthBytes} remain.");
        }

        return (1 + lengthBytes, (int)length);
    }
}
