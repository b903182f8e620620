using System.Buffers.Binary;
using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using Provenance.Ethereum.Hex;

namespace Provenance.Ethereum.Abi;

/// <summary>
/// Solidity ABI encoding and decoding (Solidity ABI specification, "Formal Specification of the Encoding"): head/tail
/// layout with offsets relative to the start of the enclosing tuple or array, sign-extended integers, UTF-8 strings,
/// and the non-standard packed mode (<c>abi.encodePacked</c>).
/// </summary>
/// <remarks>
/// Values: integers as <see cref="BigInteger"/> (any .NET integer type accepted), <see cref="Address"/> (or a hex
/// string), <see cref="bool"/>, <c>byte[]</c> (or <see cref="ReadOnlyMemory{T}"/>) for <c>bytes</c>/<c>bytesN</c>,
/// <see cref="string"/>, and lists (<see cref="IList"/>, or a C# tuple for a tuple type) for arrays and tuples.
/// Decoding returns <see cref="BigInteger"/>, <see cref="Address"/>, <see cref="bool"/>, <c>byte[]</c>,
/// <see cref="string"/> and <c>object?[]</c> for arrays and tuples. Encoding computes the exact size first and writes
/// into one array. Decoding is strict: every offset and length is bounds-checked, integers must be correctly
/// padded or sign-extended, <c>bool</c> must be 0 or 1, and hostile offsets cannot inflate the work.
/// </remarks>
public static class AbiCodec
{
    private const int Word = 32;

    /// <summary>Encodes one value of <paramref name="type"/> (a tuple type encodes its components in place).</summary>
    public static byte[] Encode(AbiType type, object? value)
    {
        ArgumentNullException.ThrowIfNull(type);
        var result = new byte[Size(type, value)];
        Write(type, value, result);
        return result;
    }

    /// <summary>Encodes a parameter list (function arguments, return values, error arguments) as one tuple.</summary>
    public static byte[] Encode(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values) =>
        EncodeWithPrefix(ReadOnlySpan<byte>.Empty, types, values);

    /// <summary>Encodes a parameter list after a prefix (e.g. a 4-byte selector) into one array.</summary>
    public static byte[] EncodeWithPrefix(ReadOnlySpan<byte> prefix, IReadOnlyList<AbiType> types, IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(values);
        CheckCount(types.Count, values.Count, "parameter list");
        var result = new byte[prefix.Length + SequenceSize(types, values)];
        prefix.CopyTo(result);
        WriteSequence(types, values, result.AsSpan(prefix.Length));
        return result;
    }

    /// <summary>Decodes one value of <paramref name="type"/> from the start of <paramref name="data"/>.</summary>
    /// <exception cref="AbiException">Malformed or out-of-range data.</exception>
    public static object? Decode(AbiType type, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(type);
        var reader = new Reader(data);
        return reader.Read(type, 0);
    }

    /// <summary>Decodes a parameter list (a tuple at offset 0) into its values.</summary>
    /// <exception cref="AbiException">Malformed or out-of-range data.</exception>
    public static object?[] Decode(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(types);
        var reader = new Reader(data);
        return reader.ReadSequence(types, types.Count, 0);
    }

    /// <summary>
    /// Solidity's non-standard packed mode (<c>abi.encodePacked</c>): elementary values in their natural size
    /// (<c>uint16</c> → 2 bytes, <c>address</c> → 20, <c>bool</c> → 1), <c>bytes</c>/<c>string</c> unpadded, and array
    /// elements padded to 32 bytes. Tuples and dynamic types inside arrays are rejected, as in Solidity.
    /// </summary>
    public static byte[] EncodePacked(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(values);
        CheckCount(types.Count, values.Count, "packed parameter list");
        var size = 0;
        for (var i = 0; i < types.Count; i++)
        {
            size += PackedSize(types[i], values[i], inArray: false);
        }

        var result = new byte[size];
        var offset = 0;
        for (var i = 0; i < types.Count; i++)
        {
            offset += WritePacked(types[i], values[i], result.AsSpan(offset), inArray: false);
        }

        return result;
    }

    /// <summary>Encodes an elementary value into a 32-byte word (e.g. an indexed event topic).</summary>
    public static void WriteWord(AbiType type, object? value, Span<byte> destination)
    {
        if (type.IsDynamic || type is AbiArrayType or AbiTupleType)
        {
            throw new AbiException($"{type} is not an elementary type.");
        }

        destination[..Word].Clear();
        Write(type, value, destination);
    }

    /// <summary>Decodes an elementary value from a 32-byte word (e.g. an indexed event topic).</summary>
    public static object? ReadWord(AbiType type, ReadOnlySpan<byte> word)
    {
        if (type.IsDynamic || type is AbiArrayType or AbiTupleType || word.Length != Word)
        {
            throw new AbiException($"{type} cannot be read from a {word.Length}-byte word.");
        }

        return new Reader(word).Read(type, 0);
    }

    // ---- encoding ----

    private static int Size(AbiType type, object? value) => type switch
    {
        AbiBytesType => Word + Padded(AsBytes(value, type).Length),
        AbiStringType => Word + Padded(Encoding.UTF8.GetByteCount(AsString(value))),
        AbiArrayType { Length: null } a => Word + ArraySize(a, AsList(value, a)),
        AbiArrayType a when a.IsDynamic => ArraySize(a, AsList(value, a)),
        AbiTupleType t when t.IsDynamic => SequenceSize(t.Types, AsTuple(value, t)),
        _ => type.HeadSize,
    };

    private static int ArraySize(AbiArrayType array, IList items)
    {
        if (array.Length is { } k && items.Count != k)
        {
            throw new AbiException($"{array} needs {k} elements, got {items.Count}.");
        }

        if (!array.Element.IsDynamic)
        {
            return checked(items.Count * array.Element.HeadSize);
        }

        var size = 0;
        foreach (var item in items)
        {
            size = checked(size + Word + Size(array.Element, item));
        }

        return size;
    }

    private static int SequenceSize(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values)
    {
        CheckCount(types.Count, values.Count, "tuple");
        var size = 0;
        for (var i = 0; i < types.Count; i++)
        {
            size = checked(size + (types[i].IsDynamic ? Word + Size(types[i], values[i]) : types[i].HeadSize));
        }

        return size;
    }

    /// <summary>Writes the encoding of one value at the start of a zeroed <paramref name="dest"/>; returns its length.</summary>
    private static int Write(AbiType type, object? value, Span<byte> dest)
    {
        switch (type)
        {
            case AbiIntegerType integer:
                WriteInteger(integer, value, dest);
                return Word;
            case AbiAddressType:
                AsAddress(value).Bytes.CopyTo(dest[12..Word]);
                return Word;
            case AbiBoolType:
                dest[Word - 1] = value is bool b ? (b ? (byte)1 : (byte)0) : throw Mismatch(type, value);
                return Word;
            case AbiFixedBytesType fixedBytes:
            {
                var bytes = AsBytes(value, type);
                if (bytes.Length != fixedBytes.Size)
                {
                    throw new AbiException($"{type} needs exactly {fixedBytes.Size} bytes, got {bytes.Length}.");
                }

                bytes.CopyTo(dest);
                return Word;
            }

            case AbiBytesType:
            {
                var bytes = AsBytes(value, type);
                WriteLength(bytes.Length, dest);
                bytes.CopyTo(dest[Word..]);
                return Word + Padded(bytes.Length);
            }

            case AbiStringType:
            {
                var written = Encoding.UTF8.GetBytes(AsString(value), dest[Word..]);
                WriteLength(written, dest);
                return Word + Padded(written);
            }

            case AbiArrayType array:
            {
                var items = AsList(value, array);
                if (array.Length is { } k && items.Count != k)
                {
                    throw new AbiException($"{array} needs {k} elements, got {items.Count}.");
                }

                if (array.Length is null)
                {
                    WriteLength(items.Count, dest);
                    return Word + WriteArrayElements(array.Element, items, dest[Word..]);
                }

                return WriteArrayElements(array.Element, items, dest);
            }

            case AbiTupleType tuple:
                return WriteSequence(tuple.Types, AsTuple(value, tuple), dest);
            default:
                throw new AbiException($"Unsupported ABI type {type}.");
        }
    }

    private static int WriteArrayElements(AbiType element, IList items, Span<byte> dest)
    {
        var headSize = element.HeadSize;
        var head = 0;
        var tail = checked(items.Count * headSize);
        foreach (var item in items)
        {
            if (element.IsDynamic)
            {
                WriteLength(tail, dest[head..]);
                tail += Write(element, item, dest[tail..]);
            }
            else
            {
                Write(element, item, dest[head..]);
            }

            head += headSize;
        }

        return tail;
    }

    private static int WriteSequence(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values, Span<byte> dest)
    {
        CheckCount(types.Count, values.Count, "tuple");
        var tail = 0;
        for (var i = 0; i < types.Count; i++)
        {
            tail += types[i].HeadSize;
        }

        var head = 0;
        for (var i = 0; i < types.Count; i++)
        {
            var type = types[i];
            if (type.IsDynamic)
            {
                WriteLength(tail, dest[head..]);
                tail += Write(type, values[i], dest[tail..]);
            }
            else
            {
                Write(type, values[i], dest[head..]);
            }

            head += type.HeadSize;
        }

        return tail;
    }

    private static void WriteLength(int length, Span<byte> dest) =>
        BinaryPrimitives.WriteUInt64BigEndian(dest.Slice(Word - 8, 8), (ulong)length);

    private static void WriteInteger(AbiIntegerType type, object? value, Span<byte> dest)
    {
        // Fast paths for the common .NET integers; everything else through BigInteger.
        switch (value)
        {
            case ulong u:
                if (type.Bits < 64 && u > (ulong)type.MaxValue)
                {
                    throw OutOfRange(type, value);
                }

                BinaryPrimitives.WriteUInt64BigEndian(dest.Slice(Word - 8, 8), u);
                return;
            case long or int or uint or short or ushort or byte or sbyte:
            {
                var l = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                if ((l < 0 && !type.IsSigned) || (type.Bits < 64 && (l > (long)type.MaxValue || l < (long)type.MinValue)))
                {
                    throw OutOfRange(type, value);
                }

                dest[..Word].Fill(l < 0 ? (byte)0xff : (byte)0);
                BinaryPrimitives.WriteInt64BigEndian(dest.Slice(Word - 8, 8), l);
                return;
            }
        }

        var big = value switch
        {
            BigInteger b => b,
            UInt128 u => (BigInteger)u,
            Int128 i => (BigInteger)i,
            _ => throw Mismatch(type, value),
        };
        if (big < type.MinValue || big > type.MaxValue)
        {
            throw OutOfRange(type, value);
        }

        var count = big.GetByteCount(isUnsigned: big.Sign >= 0);
        dest[..Word].Fill(big.Sign < 0 ? (byte)0xff : (byte)0);
        big.TryWriteBytes(dest.Slice(Word - count, count), out _, isUnsigned: big.Sign >= 0, isBigEndian: true);
    }

    // ---- packed ----

    private static int PackedSize(AbiType type, object? value, bool inArray) => type switch
    {
        AbiArrayType array => PackedArraySize(array, AsList(value, array)),
        AbiTupleType => throw new AbiException("Packed encoding does not support tuples."),
        AbiBytesType or AbiStringType when inArray => throw new AbiException($"Packed encoding does not support {type} inside arrays."),
        AbiBytesType => AsBytes(value, type).Length,
        AbiStringType => Encoding.UTF8.GetByteCount(AsString(value)),
        _ when inArray => Word,
        AbiIntegerType i => i.Bits / 8,
        AbiAddressType => Address.Size,
        AbiBoolType => 1,
        AbiFixedBytesType f => f.Size,
        _ => throw new AbiException($"Unsupported ABI type {type}."),
    };

    private static int PackedArraySize(AbiArrayType array, IList items)
    {
        if (array.Length is { } k && items.Count != k)
        {
            throw new AbiException($"{array} needs {k} elements, got {items.Count}.");
        }

        var size = 0;
        foreach (var item in items)
        {
            size += PackedSize(array.Element, item, inArray: true);
        }

        return size;
    }

    private static int WritePacked(AbiType type, object? value, Span<byte> dest, bool inArray)
    {
        switch (type)
        {
            case AbiArrayType array:
            {
                var offset = 0;
                foreach (var item in AsList(value, array))
                {
                    offset += WritePacked(array.Element, item, dest[offset..], inArray: true);
                }

                return offset;
            }

            case AbiBytesType:
            {
                var bytes = AsBytes(value, type);
                bytes.CopyTo(dest);
                return bytes.Length;
            }

            case AbiStringType:
                return Encoding.UTF8.GetBytes(AsString(value), dest);
        }

        // Elementary: the ABI word, then keep the natural-size part unless inside an array.
        Span<byte> word = stackalloc byte[Word];
        word.Clear();
        Write(type, value, word);
        if (inArray)
        {
            word.CopyTo(dest);
            return Word;
        }

        var size = PackedSize(type, value, inArray: false);
        var part = type is AbiFixedBytesType ? word[..size] : word[(Word - size)..];
        part.CopyTo(dest);
        return size;
    }

    // ---- value coercion ----

    private static ReadOnlySpan<byte> AsBytes(object? value, AbiType type) => value switch
    {
        byte[] b => b,
        ReadOnlyMemory<byte> m => m.Span,
        Memory<byte> m => m.Span,
        string s when HexConvert.IsHexData(s) => HexConvert.FromHex(s),
        _ => throw Mismatch(type, value),
    };

    private static string AsString(object? value) =>
        value as string ?? throw Mismatch(AbiType.String, value);

    private static Address AsAddress(object? value) => value switch
    {
        Address a => a,
        string s => Address.Parse(s),
        _ => throw Mismatch(AbiType.Address, value),
    };

    private static IList AsList(object? value, AbiType type) => value switch
    {
        IList list => list,
        IEnumerable<object?> e => e.ToList(),
        _ => throw Mismatch(type, value),
    };

    private static IReadOnlyList<object?> AsTuple(object? value, AbiTupleType type)
    {
        var values = value switch
        {
            IReadOnlyList<object?> list => list,
            ITuple t => Enumerable.Range(0, t.Length).Select(i => t[i]).ToArray(),
            IList list => list.Cast<object?>().ToArray(),
            _ => throw Mismatch(type, value),
        };
        CheckCount(type.Types.Count, values.Count, type.CanonicalName);
        return values;
    }

    private static void CheckCount(int expected, int actual, string what)
    {
        if (expected != actual)
        {
            throw new AbiException($"{what} needs {expected} values, got {actual}.");
        }
    }

    private static int Padded(int length) => checked((length + Word - 1) / Word * Word);

    private static AbiException Mismatch(AbiType type, object? value) =>
        new($"A {value?.GetType().Name ?? "null"} cannot be encoded as {type}.");

    private static AbiException OutOfRange(AbiType type, object? value) =>
        new($"{value} is out of range for {type}.");

    // ---- decoding ----

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;

        // Words read so far; honest encodings read each word about once, hostile offsets that alias the same
        // region again and again are cut off.
        private long _budget = 1024 + (16L * (data.Length / Word));

        public object? Read(AbiType type, int position)
        {
            switch (type)
            {
                case AbiIntegerType integer:
                    return ReadInteger(integer, Word32(position));
                case AbiAddressType:
                {
                    var word = Word32(position);
                    if (word[..12].IndexOfAnyExcept((byte)0) >= 0)
                    {
                        throw new AbiException($"Dirty high bytes in an address at offset {position}.");
                    }

                    return Address.FromBytes(word[12..]);
                }

                case AbiBoolType:
                {
                    var word = Word32(position);
                    if (word[..31].IndexOfAnyExcept((byte)0) >= 0 || word[31] > 1)
                    {
                        throw new AbiException($"A bool must be 0 or 1, at offset {position}.");
                    }

                    return word[31] == 1;
                }

                case AbiFixedBytesType fixedBytes:
                {
                    var word = Word32(position);
                    if (word[fixedBytes.Size..].IndexOfAnyExcept((byte)0) >= 0)
                    {
                        throw new AbiException($"Dirty padding after {type} at offset {position}.");
                    }

                    return word[..fixedBytes.Size].ToArray();
                }

                case AbiBytesType:
                    return ReadBytes(position).ToArray();
                case AbiStringType:
                    return Encoding.UTF8.GetString(ReadBytes(position));
                case AbiArrayType array:
                {
                    int count;
                    var start = position;
                    if (array.Length is { } k)
                    {
                        count = k;
                    }
                    else
                    {
                        count = ReadLength(position, "array length");
                        start = position + Word;
                        var room = (_data.Length - start) / Math.Max(array.Element.HeadSize, Word);
                        if (count > room)
                        {
                            throw new AbiException($"Array of {count} elements at offset {position} exceeds the data.");
                        }
                    }

                    return ReadSequence(Repeat(array.Element, count), count, start);
                }

                case AbiTupleType tuple:
                    return ReadSequence(tuple.Types, tuple.Types.Count, position);
                default:
                    throw new AbiException($"Unsupported ABI type {type}.");
            }
        }

        public object?[] ReadSequence(IReadOnlyList<AbiType> types, int count, int start)
        {
            var values = new object?[count];
            var head = start;
            for (var i = 0; i < count; i++)
            {
                var type = types[i];
                if (type.IsDynamic)
                {
                    var offset = ReadLength(head, "offset");
                    var target = (long)start + offset;
                    if (target > _data.Length)
                    {
                        throw new AbiException($"Offset {offset} at {head} points past the end of the data ({_data.Length} bytes).");
                    }

                    values[i] = Read(type, (int)target);
                }
                else
                {
                    values[i] = Read(type, head);
                }

                head += type.HeadSize;
            }

            return values;
        }

        private ReadOnlySpan<byte> ReadBytes(int position)
        {
            var length = ReadLength(position, "byte length");
            var start = (long)position + Word;
            if (start + Padded(length) > _data.Length)
            {
                throw new AbiException($"{length} bytes at offset {position} run past the end of the data.");
            }

            _budget -= Padded(length) / Word;
            return _data.Slice((int)start, length);
        }

        private int ReadLength(int position, string what)
        {
            var word = Word32(position);
            if (word[..24].IndexOfAnyExcept((byte)0) >= 0)
            {
                throw new AbiException($"The {what} at offset {position} is too large.");
            }

            var value = BinaryPrimitives.ReadUInt64BigEndian(word[24..]);
            if (value > int.MaxValue)
            {
                throw new AbiException($"The {what} at offset {position} is too large.");
            }

            return (int)value;
        }

        private ReadOnlySpan<byte> Word32(int position)
        {
            if (position < 0 || (long)position + Word > _data.Length)
            {
                throw new AbiException($"Reading 32 bytes at offset {position} runs past the end of the data ({_data.Length} bytes).");
            }

            if (--_budget < 0)
            {
                throw new AbiException("The encoded data references the same bytes too often (inflation attack?).");
            }

            return _data.Slice(position, Word);
        }

        private static BigInteger ReadInteger(AbiIntegerType type, ReadOnlySpan<byte> word)
        {
            var byteCount = type.Bits / 8;
            var padding = word[..(Word - byteCount)];
            var body = word[(Word - byteCount)..];
            if (!type.IsSigned)
            {
                if (padding.IndexOfAnyExcept((byte)0) >= 0)
                {
                    throw new AbiException($"Dirty high bytes in a {type}.");
                }

                return new BigInteger(body, isUnsigned: true, isBigEndian: true);
            }

            var fill = (body[0] & 0x80) != 0 ? (byte)0xff : (byte)0;
            if (padding.IndexOfAnyExcept(fill) >= 0)
            {
                throw new AbiException($"A {type} is not correctly sign-extended.");
            }

            return new BigInteger(body, isUnsigned: false, isBigEndian: true);
        }

        private static IReadOnlyList<AbiType> Repeat(AbiType element, int count) => new RepeatedList(element, count);
    }

    private sealed class RepeatedList(AbiType element, int count) : IReadOnlyList<AbiType>
    {
        public int Count => count;

        public AbiType this[int index] => element;

        public IEnumerator<AbiType> GetEnumerator() => Enumerable.Repeat(element, count).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
