using System.Numerics;
using Provenance.Ethereum.Abi;
using Provenance.Ethereum.Hex;

namespace Provenance.Ethereum.Tests.Abi;

public sealed class AbiCodecTests
{
    [Theory]
    [InlineData("uint", "uint256")]
    [InlineData("int", "int256")]
    [InlineData(" bytes32 [2] [ ] ", "bytes32[2][]")]
    [InlineData("(address to, uint amount)[]", "(address,uint256)[]")]
    [InlineData("tuple(bool,(string,bytes)[3])", "(bool,(string,bytes)[3])")]
    [InlineData("()", "()")]
    public void Parse_ValidType_GivesCanonicalName(string text, string canonical) =>
        AbiType.Parse(text).CanonicalName.Should().Be(canonical);

    [Theory]
    [InlineData("uint7")]
    [InlineData("uint264")]
    [InlineData("uint08")]
    [InlineData("int0")]
    [InlineData("bytes0")]
    [InlineData("bytes33")]
    [InlineData("fixed128x18")]
    [InlineData("function")] // its selector spelling would be "function", not bytes24: unsupported rather than wrong
    [InlineData("uint256[01]")]
    [InlineData("(uint256")]
    [InlineData("uint256[")]
    [InlineData("address payable x y")]
    [InlineData("")]
    public void Parse_InvalidType_Throws(string text) =>
        FluentActions.Invoking(() => AbiType.Parse(text)).Should().Throw<AbiException>();

    [Theory]
    [InlineData("uint8", 256)]
    [InlineData("uint8", -1)]
    [InlineData("int8", 128)]
    [InlineData("int8", -129)]
    [InlineData("uint256", -1)]
    public void Encode_IntegerOutOfRange_Throws(string type, long value)
    {
        FluentActions.Invoking(() => AbiCodec.Encode(AbiType.Parse(type), value)).Should().Throw<AbiException>();
        FluentActions.Invoking(() => AbiCodec.Encode(AbiType.Parse(type), new BigInteger(value))).Should().Throw<AbiException>();
    }

    [Fact]
    public void Encode_NegativeInt_IsSignExtended()
    {
        var encoded = AbiCodec.Encode(AbiType.Int(64), -2L);

        HexConvert.ToHex(encoded).Should().Be("0x" + new string('f', 63) + "e");
        AbiCodec.Encode(AbiType.Int(256), new BigInteger(-2)).Should().Equal(encoded);
        AbiCodec.Decode(AbiType.Int(64), encoded).Should().Be(new BigInteger(-2));
    }

    [Fact]
    public void Encode_WrongValueKinds_Throw()
    {
        FluentActions.Invoking(() => AbiCodec.Encode(AbiType.Bool, 1)).Should().Throw<AbiException>();
        FluentActions.Invoking(() => AbiCodec.Encode(AbiType.Bytes32, new byte[31])).Should().Throw<AbiException>();
        FluentActions.Invoking(() => AbiCodec.Encode(AbiType.Parse("uint8[2]"), new[] { 1 })).Should().Throw<AbiException>();
        FluentActions.Invoking(() => AbiCodec.Encode(AbiType.String, new byte[1])).Should().Throw<AbiException>();
        FluentActions.Invoking(() => AbiCodec.Encode([AbiType.Bool], [])).Should().Throw<AbiException>();
    }

    [Fact]
    public void Encode_CSharpTuple_EncodesAsAbiTuple()
    {
        var type = AbiType.Parse("(uint256,string)");

        var fromTuple = AbiCodec.Encode(type, (BigInteger.One, "a"));
        var fromArray = AbiCodec.Encode(type, new object[] { 1, "a" });

        fromTuple.Should().Equal(fromArray);
    }

    [Theory]
    [InlineData("bool", "0000000000000000000000000000000000000000000000000000000000000002", "bool")]
    [InlineData("address", "0000000000000000000000010000000000000000000000000000000000000000", "address")]
    [InlineData("uint8", "0000000000000000000000000000000000000000000000000000000000000100", "Dirty")]
    [InlineData("int8", "00000000000000000000000000000000000000000000000000000000000000ff", "sign-extended")]
    [InlineData("int8", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff01", "sign-extended")]
    [InlineData("bytes1", "0101000000000000000000000000000000000000000000000000000000000000", "padding")]
    [InlineData("uint256", "00", "past the end")]
    public void Decode_DirtyOrShortWord_Throws(string type, string hex, string reason) =>
        FluentActions.Invoking(() => AbiCodec.Decode(AbiType.Parse(type), HexConvert.FromHex(hex)))
            .Should().Throw<AbiException>().WithMessage($"*{reason}*");

    [Fact]
    public void Decode_OffsetPastEnd_Throws()
    {
        var data = AbiCodec.Encode([AbiType.String], ["hello"]);
        data[31] = 0xff; // the offset of the string

        FluentActions.Invoking(() => AbiCodec.Decode([AbiType.String], data))
            .Should().Throw<AbiException>().WithMessage("*past the end*");
    }

    [Fact]
    public void Decode_TruncatedBytes_Throws()
    {
        var data = AbiCodec.Encode([AbiType.Bytes], [new byte[40]]);

        FluentActions.Invoking(() => AbiCodec.Decode([AbiType.Bytes], data.AsSpan(0, data.Length - 1)))
            .Should().Throw<AbiException>().WithMessage("*run past the end*");
    }

    [Fact]
    public void Decode_HugeArrayLength_ThrowsWithoutAllocating()
    {
        var data = AbiCodec.Encode([AbiType.Parse("uint256[]")], [new BigInteger[] { 1 }]);
        data[32 + 28] = 0x7f; // length ≈ 2^31

        FluentActions.Invoking(() => AbiCodec.Decode([AbiType.Parse("uint256[]")], data))
            .Should().Throw<AbiException>().WithMessage("*exceeds the data*");
    }

    [Fact]
    public void Decode_AliasedOffsets_InflationRejected()
    {
        // uint256[][] whose 400 elements all point at the same 400-element array: 160,000 words from 26 KB.
        const int n = 400;
        var data = new byte[32 + 32 + (n * 32) + 32 + (n * 32)];
        data[31] = 0x20;
        Write(data, 32, n);
        for (var i = 0; i < n; i++)
        {
            Write(data, 64 + (i * 32), n * 32); // offset relative to the element heads
        }

        Write(data, 64 + (n * 32), n);

        FluentActions.Invoking(() => AbiCodec.Decode([AbiType.Parse("uint256[][]")], data))
            .Should().Throw<AbiException>().WithMessage("*too often*");
    }

    [Fact]
    public void Decode_OffsetsRelativeToEnclosingTuple_Decoded()
    {
        // g(uint256[][],string[]) example of the Solidity ABI spec: offsets inside each array count from its heads.
        var types = new[] { AbiType.Parse("uint256[][]"), AbiType.Parse("string[]") };
        object[] values =
        [
            new object[] { new BigInteger[] { 1, 2 }, new BigInteger[] { 3 } },
            new object[] { "one", "two", "three" },
        ];

        var encoded = AbiCodec.Encode(types, values);

        encoded.Length.Should().Be(0x280);
        HexConvert.ToHex(encoded.AsSpan(0x60, 0x40)).Should().Be(
            "0x0000000000000000000000000000000000000000000000000000000000000040" +
            "00000000000000000000000000000000000000000000000000000000000000a0");
        HexConvert.ToHex(encoded.AsSpan(0x160, 0x60)).Should().Be(
            "0x0000000000000000000000000000000000000000000000000000000000000060" +
            "00000000000000000000000000000000000000000000000000000000000000a0" +
            "00000000000000000000000000000000000000000000000000000000000000e0");
        AbiValueText.ToText(AbiCodec.Decode(types, encoded)).Should().Be(AbiValueText.ToText(values));
    }

    [Fact]
    public void EncodeDecode_RandomTypesAndValues_RoundTrip() => Properties.ForAllSeeds(300, random =>
    {
        var types = Enumerable.Range(0, random.Next(0, 4)).Select(_ => RandomAbi.Type(random, 3)).ToArray();
        var values = types.Select(t => RandomAbi.Value(random, t)).ToArray();

        var encoded = AbiCodec.Encode(types, values);
        var decoded = AbiCodec.Decode(types, encoded);

        AbiValueText.ToText(decoded).Should().Be(AbiValueText.ToText(values), string.Join(",", types.Select(t => t.CanonicalName)));
        AbiCodec.Encode(types, decoded).Should().Equal(encoded);
    });

    [Fact]
    public void EncodePacked_ArraysAndNaturalSizes_MatchSolidity()
    {
        var packed = AbiCodec.EncodePacked(
            [AbiType.UInt(16), AbiType.Address, AbiType.Bool, AbiType.Parse("uint8[2]"), AbiType.Parse("bytes2[]")],
            [(ushort)0x1234, Address.Parse("0x00000000000000000000000000000000000000ff"), true, new[] { 1, 2 }, new[] { new byte[] { 0xab, 0xcd } }]);

        HexConvert.ToHex(packed).Should().Be(
            "0x1234" + "00000000000000000000000000000000000000ff" + "01"
            + "0000000000000000000000000000000000000000000000000000000000000001"
            + "0000000000000000000000000000000000000000000000000000000000000002"
            + "abcd000000000000000000000000000000000000000000000000000000000000");
    }

    [Fact]
    public void EncodePacked_TupleOrStringArray_Rejected()
    {
        FluentActions.Invoking(() => AbiCodec.EncodePacked([AbiType.Parse("(uint8)")], [new object[] { 1 }]))
            .Should().Throw<AbiException>();
        FluentActions.Invoking(() => AbiCodec.EncodePacked([AbiType.Parse("string[]")], [new[] { "a" }]))
            .Should().Throw<AbiException>();
    }

    private static void Write(byte[] data, int offset, int value)
    {
        data[offset + 30] = (byte)(value >> 8);
        data[offset + 31] = (byte)value;
    }
}
