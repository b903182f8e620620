using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.Rlp;
using Provenance.Ethereum.Tests.Vectors;
using Provenance.Testing;
using Xunit.Abstractions;

namespace Provenance.Ethereum.Tests.Rlp;

public sealed class RlpTests(ITestOutputHelper output)
{
    [VectorFact]
    public void Encode_SpecValidVectors_MatchAndDecodeBack()
    {
        var run = new VectorRun(output, "spec rlp_valid");
        foreach (var v in VectorFiles.Spec.GetProperty("rlp_valid").EnumerateArray())
        {
            run.Case(v.GetProperty("name").GetString()!, () =>
            {
                var item = FromSpec(v.GetProperty("in"));
                var expected = v.GetProperty("out").GetString()!;
                var encoded = RlpEncoder.Encode(item);
                Expect.Hex(expected, encoded, "encoding");
                Expect.Hex(expected, RlpEncoder.Encode(RlpDecoder.Decode(encoded)), "decode then encode");
            });
        }

        run.Complete(11);
    }

    [VectorFact]
    public void Decode_SpecInvalidVectors_Rejected()
    {
        var run = new VectorRun(output, "spec rlp_invalid");
        foreach (var v in VectorFiles.Spec.GetProperty("rlp_invalid").EnumerateArray())
        {
            run.Case(v.GetProperty("name").GetString()!, () => Expect.Throws<RlpException>(
                () => RlpDecoder.Decode(HexConvert.FromHex(v.GetProperty("bytes").GetString()!)), "strict decode"));
        }

        run.Complete(5);
    }

    [VectorFact]
    public void EncodeDecode_EthersRlpVectors_MatchByteForByte()
    {
        var run = new VectorRun(output, "ethers/rlp.json.gz");
        foreach (var v in VectorFiles.Ethers("rlp").EnumerateArray())
        {
            run.Case(v.GetProperty("name").GetString()!, () =>
            {
                var expected = v.GetProperty("encoded").GetString()!;
                var decoded = v.GetProperty("decoded");
                Expect.Hex(expected, RlpEncoder.Encode(FromHexTree(decoded)), "encoding");
                var back = RlpDecoder.Decode(HexConvert.FromHex(expected));
                Expect.Equal(ToJson(FromHexTree(decoded)), ToJson(back), "decoded tree");
            });
        }

        run.Complete(61);
    }

    [Theory]
    [InlineData(0UL, "0x80")]
    [InlineData(1UL, "0x01")]
    [InlineData(0x7fUL, "0x7f")]
    [InlineData(0x80UL, "0x8180")]
    [InlineData(0x400UL, "0x820400")]
    [InlineData(ulong.MaxValue, "0x88ffffffffffffffff")]
    public void EncodeInteger_Value_IsMinimal(ulong value, string expected)
    {
        HexConvert.ToHex(RlpEncoder.EncodeInteger(value)).Should().Be(expected);
        HexConvert.ToHex(RlpEncoder.EncodeInteger(new BigInteger(value))).Should().Be(expected);
        RlpDecoder.Decode(HexConvert.FromHex(expected)).AsString().ToUInt64().Should().Be(value);
    }

    [Theory]
    [InlineData("0x00")]     // integer with a leading zero byte
    [InlineData("0x820001")] // integer with a leading zero byte
    public void ToUInt64_LeadingZero_Rejected(string encoded) =>
        FluentActions.Invoking(() => RlpDecoder.Decode(HexConvert.FromHex(encoded)).AsString().ToUInt64())
            .Should().Throw<RlpException>();

    [Theory]
    [InlineData("0x", "end")]
    [InlineData("0x83646f", "claims 3 bytes")]
    [InlineData("0x83646f6700", "trailing")]
    [InlineData("0xc583646f67", "claims 5 bytes")]
    [InlineData("0xc2820102", "claims 2 bytes")] // child runs past the list end
    [InlineData("0xb90037", "leading")] // long length with an unnecessary extra byte (0x0037 < 56 …)
    [InlineData("0xb90000", "leading zero")]
    [InlineData("0xbf", "truncated")]
    public void Decode_Malformed_Rejected(string encoded, string reason) =>
        FluentActions.Invoking(() => RlpDecoder.Decode(HexConvert.FromHex(encoded)))
            .Should().Throw<RlpException>().WithMessage($"*{reason}*");

    [Fact]
    public void Decode_DeepNesting_RejectedBeyondLimit()
    {
        RlpItem item = RlpItem.List();
        for (var i = 0; i < RlpDecoder.MaxDepth + 1; i++)
        {
            item = RlpItem.List(item);
        }

        FluentActions.Invoking(() => RlpDecoder.Decode(RlpEncoder.Encode(item)))
            .Should().Throw<RlpException>().WithMessage("*deeper*");
    }

    [Fact]
    public void Encode_LongListAndString_UseLongForms()
    {
        var payload = new byte[1024];
        var list = RlpItem.List(Enumerable.Range(0, 100).Select(_ => (RlpItem)RlpItem.Of(new byte[] { 1, 2 })).ToArray());

        var s = RlpEncoder.Encode(RlpItem.Of(payload));
        var l = RlpEncoder.Encode(list);

        s.AsSpan(0, 3).ToArray().Should().Equal(0xb9, 0x04, 0x00);
        l.AsSpan(0, 3).ToArray().Should().Equal(0xf9, 0x01, 0x2c);
        RlpDecoder.Decode(s).AsString().Value.Length.Should().Be(1024);
        RlpDecoder.Decode(l).AsList().Count.Should().Be(100);
    }

    private static RlpItem FromSpec(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => new RlpList(e.EnumerateArray().Select(FromSpec).ToList()),
        JsonValueKind.Number => RlpItem.Of(new BigInteger(e.GetUInt64())),
        JsonValueKind.String when e.GetString()!.StartsWith('#') =>
            RlpItem.Of(BigInteger.Parse(e.GetString()![1..], CultureInfo.InvariantCulture)),
        JsonValueKind.String => RlpItem.Of(Encoding.UTF8.GetBytes(e.GetString()!)),
        _ => throw new InvalidOperationException($"unexpected {e.ValueKind}"),
    };

    private static RlpItem FromHexTree(JsonElement e) => e.ValueKind == JsonValueKind.Array
        ? new RlpList(e.EnumerateArray().Select(FromHexTree).ToList())
        : RlpItem.Of(HexConvert.FromHex(e.GetString()!));

    private static string ToJson(RlpItem item) => item switch
    {
        RlpList list => "[" + string.Join(", ", list.Select(ToJson)) + "]",
        RlpString s => "\"" + HexConvert.ToHex(s.Value.Span) + "\"",
        _ => throw new InvalidOperationException(),
    };
}
