using System.Numerics;
using System.Text;
using Provenance.Ethereum.Abi;

namespace Provenance.Ethereum.Tests.Abi;

/// <summary>Random ABI types (nested up to a depth) and values of them, for round-trip properties.</summary>
internal static class RandomAbi
{
    public static AbiType Type(Random random, int depth)
    {
        var pick = random.Next(depth > 0 ? 10 : 7);
        return pick switch
        {
            0 => AbiType.UInt(8 * random.Next(1, 33)),
            1 => AbiType.Int(8 * random.Next(1, 33)),
            2 => AbiType.Address,
            3 => AbiType.Bool,
            4 => AbiType.FixedBytes(random.Next(1, 33)),
            5 => AbiType.Bytes,
            6 => AbiType.String,
            7 => AbiType.Array(Type(random, depth - 1), random.Next(2) == 0 ? null : random.Next(0, 4)),
            _ => AbiType.Tuple(Enumerable.Range(0, random.Next(1, 4)).Select(_ => Type(random, depth - 1)).ToArray()),
        };
    }

    public static object? Value(Random random, AbiType type) => type switch
    {
        AbiIntegerType i => Integer(random, i),
        AbiAddressType => Address.FromBytes(random.Bytes(20)),
        AbiBoolType => random.Next(2) == 1,
        AbiFixedBytesType f => random.Bytes(f.Size),
        AbiBytesType => random.Bytes(random.Next(0, 70)),
        AbiStringType => Text(random),
        AbiArrayType a => Enumerable.Range(0, a.Length ?? random.Next(0, 4)).Select(_ => Value(random, a.Element)).ToArray(),
        AbiTupleType t => t.Types.Select(c => Value(random, c)).ToArray(),
        _ => throw new InvalidOperationException(),
    };

    private static BigInteger Integer(Random random, AbiIntegerType type)
    {
        var magnitude = new BigInteger(random.Bytes((type.Bits / 8) + 1), isUnsigned: true);
        var span = type.MaxValue - type.MinValue + 1;
        return type.MinValue + (magnitude % span);
    }

    private static string Text(Random random)
    {
        var alphabet = new[] { "a", "Z", " ", "é", "🚀", "ق", "0" };
        var builder = new StringBuilder();
        for (var i = random.Next(0, 40); i > 0; i--)
        {
            builder.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return builder.ToString();
    }
}
