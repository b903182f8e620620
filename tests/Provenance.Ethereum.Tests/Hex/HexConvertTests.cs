using System.Numerics;
using FluentAssertions;
using Provenance.Ethereum.Hex;
using Xunit;

namespace Provenance.Ethereum.Tests.Hex;

public class HexConvertTests
{
    [Theory]
    [InlineData("0x", new byte[0])]
    [InlineData("0x00ff10", new byte[] { 0, 255, 16 })]
    [InlineData("00FF10", new byte[] { 0, 255, 16 })]
    public void FromHex_ValidData_DecodesBytes(string hex, byte[] expected) =>
        HexConvert.FromHex(hex).Should().Equal(expected);

    [Theory]
    [InlineData("0x0")]
    [InlineData("0xzz")]
    [InlineData("0x12g4")]
    public void FromHex_InvalidData_Throws(string hex) =>
        FluentActions.Invoking(() => HexConvert.FromHex(hex)).Should().Throw<FormatException>();

    [Theory]
    [InlineData(0, "0x0")]
    [InlineData(1, "0x1")]
    [InlineData(1024, "0x400")]
    public void ToQuantity_Value_IsMinimal(long value, string expected)
    {
        HexConvert.ToQuantity(new BigInteger(value)).Should().Be(expected);
        HexConvert.ToQuantity((ulong)value).Should().Be(expected);
    }

    [Theory]
    [InlineData("0x0", 0)]
    [InlineData("0x400", 1024)]
    [InlineData("0x0400", 1024)]
    public void ParseQuantity_Quantity_ParsesValue(string hex, long expected) =>
        HexConvert.ParseQuantity(hex).Should().Be(new BigInteger(expected));

    [Theory]
    [InlineData("0x")]
    [InlineData("0x-1")]
    [InlineData("12x")]
    public void ParseQuantity_NotAQuantity_Throws(string hex) =>
        FluentActions.Invoking(() => HexConvert.ParseQuantity(hex)).Should().Throw<FormatException>();

    [Fact]
    public void IsHexData_Length_Checked()
    {
        HexConvert.IsHexData("0x" + new string('a', 64), 32).Should().BeTrue();
        HexConvert.IsHexData("0x" + new string('a', 62), 32).Should().BeFalse();
        HexConvert.IsHexData("abcd").Should().BeFalse();
    }
}
