using System.Text;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.Tests.Vectors;
using Provenance.Testing;
using Xunit.Abstractions;

namespace Provenance.Ethereum.Tests.Crypto;

public sealed class KeccakTests(ITestOutputHelper output)
{
    [VectorFact]
    public void Keccak256_SpecVectors_MatchByteForByte()
    {
        var run = new VectorRun(output, "spec keccak256");
        foreach (var v in VectorFiles.Spec.GetProperty("keccak256").EnumerateArray())
        {
            var input = v.TryGetProperty("input_hex", out var hex)
                ? HexConvert.FromHex(hex.GetString()!)
                : Encoding.UTF8.GetBytes(v.GetProperty("input_utf8").GetString()!);
            run.Case(v.GetProperty("source").GetString()!, () =>
                Expect.Hex(v.GetProperty("hash").GetString()!, Keccak.Keccak256(input), "keccak256"));
        }

        run.Complete(4);
    }

    [VectorFact]
    public void Keccak256_EthersHashes_MatchByteForByte()
    {
        var run = new VectorRun(output, "ethers/hashes.json.gz");
        foreach (var v in VectorFiles.Ethers("hashes").EnumerateArray())
        {
            run.Case(v.GetProperty("name").GetString()!, () =>
            {
                var data = HexConvert.FromHex(v.GetProperty("data").GetString()!);
                var expected = v.GetProperty("keccak256").GetString()!;
                Expect.Hex(expected, Keccak.Keccak256(data), "keccak256(bytes)");
                Span<byte> into = stackalloc byte[32];
                Keccak.Keccak256(data, into);
                Expect.Hex(expected, into, "keccak256(span)");
                var half = data.Length / 2;
                Keccak.Keccak256(data.AsSpan(0, half), data.AsSpan(half), into);
                Expect.Hex(expected, into, "keccak256(first, second)");
            });
        }

        run.Complete(257);
    }

    [Fact]
    public void Keccak256_String_HashesUtf8Bytes()
    {
        var text = "Moo é🚀";

        Keccak.Keccak256(text).Should().Equal(Keccak.Keccak256(Encoding.UTF8.GetBytes(text)));
        Keccak.Keccak256(new string('é', 2000)).Should().Equal(Keccak.Keccak256(Encoding.UTF8.GetBytes(new string('é', 2000))));
    }

    [Fact]
    public void Keccak256_EmptyInput_IsEmptyHash() =>
        Keccak.Keccak256(ReadOnlySpan<byte>.Empty).Should().Equal(Keccak.EmptyHash.ToArray());

    [Fact]
    public void Keccak256_LongInputAcrossChunks_MatchesSplitHashing()
    {
        var data = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();
        var split = new byte[32];

        Keccak.Keccak256(data.AsSpan(0, 1234), data.AsSpan(1234), split);

        Keccak.Keccak256(data).Should().Equal(split);
        Keccak.Keccak256(data).Should().NotEqual(Keccak.Keccak256(data.AsSpan(1)));
    }

    [Fact]
    public async Task Keccak256_ConcurrentThreads_GiveSameResults()
    {
        var inputs = Enumerable.Range(0, 64).Select(i => Enumerable.Repeat((byte)i, i * 31).ToArray()).ToArray();
        var expected = inputs.Select(i => HexConvert.ToHex(Keccak.Keccak256(i))).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            inputs.Select(i => HexConvert.ToHex(Keccak.Keccak256(i))).ToArray())));

        results.Should().AllSatisfy(r => r.Should().Equal(expected));
    }
}
