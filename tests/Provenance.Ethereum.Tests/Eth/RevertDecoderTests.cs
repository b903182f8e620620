using System.Numerics;
using Provenance.Ethereum.Abi;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Hex;

namespace Provenance.Ethereum.Tests.Eth;

public sealed class RevertDecoderTests
{
    [Fact]
    public void Decode_ErrorString_ReturnsMessage()
    {
        var data = HexConvert.FromHex("0x08c379a0000000000000000000000000000000000000000000000000000000000000002000000000000000000000000000000000000000000000000000000000000000036f6f700000000000000000000000000000000000000000000000000000000000");

        var reason = RevertDecoder.Standard.Decode(data);

        reason.Kind.Should().Be(RevertKind.ErrorString);
        reason["message"].Should().Be("oop");
        reason.Message.Should().Be("reverted: oop");
        reason.Selector.Should().Be("0x08c379a0");
    }

    [Theory]
    [InlineData(0x01, "assertion failed")]
    [InlineData(0x11, "arithmetic overflow or underflow")]
    [InlineData(0x12, "division or modulo by zero")]
    [InlineData(0x32, "array index out of bounds")]
    [InlineData(0x99, "unknown panic code")]
    public void Decode_Panic_ReturnsCodeAndMeaning(int code, string meaning)
    {
        var reason = RevertDecoder.Standard.Decode(AbiError.Panic.Encode(code));

        reason.Kind.Should().Be(RevertKind.Panic);
        reason["code"].Should().Be(new BigInteger(code));
        reason.Message.Should().EndWith(meaning);
    }

    [Fact]
    public void Decode_Empty_IsEmpty()
    {
        RevertDecoder.Standard.Decode([]).Kind.Should().Be(RevertKind.Empty);
    }

    [Theory]
    [InlineData("0xdeadbeef")]
    [InlineData("0x08c379a0ff")] // Error(string) selector with malformed arguments
    [InlineData("0x0102")]
    public void Decode_UnknownOrMalformed_IsUnknownWithRaw(string hex)
    {
        var reason = RevertDecoder.Standard.Decode(HexConvert.FromHex(hex));

        reason.Kind.Should().Be(RevertKind.Unknown);
        reason.Raw.Should().Equal(HexConvert.FromHex(hex));
    }

    [Fact]
    public void Decode_CustomErrorFromAbi_ReturnsNameAndArguments()
    {
        var abi = ContractAbi.Parse("""[{"type":"error","name":"Nope","inputs":[{"name":"who","type":"address"},{"name":"amount","type":"uint256"}]}]""");
        var who = Address.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");

        var reason = new RevertDecoder(abi).Decode(abi.GetError("Nope").Encode(who, 42));

        reason.Kind.Should().Be(RevertKind.Custom);
        reason.Name.Should().Be("Nope");
        reason["who"].Should().Be(who);
        reason["amount"].Should().Be(new BigInteger(42));
        RevertDecoder.Standard.Decode(reason.Raw).Kind.Should().Be(RevertKind.Unknown, "the standard decoder does not know the ABI");
    }
}
