using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.Tests.Vectors;
using Provenance.Testing;
using Xunit.Abstractions;

namespace Provenance.Ethereum.Tests;

public sealed class AddressTests(ITestOutputHelper output)
{
    [VectorFact]
    public void Parse_Eip55SpecVectors_RoundTripsChecksum()
    {
        var run = new VectorRun(output, "spec eip55");
        foreach (var v in VectorFiles.Spec.GetProperty("eip55").GetProperty("valid").EnumerateArray())
        {
            var text = v.GetString()!;
            run.Case(text, () =>
            {
                var address = Address.Parse(text);
                Expect.Equal(text, address.ToString(), "checksummed form");
                Expect.True(Address.IsValidChecksum(text), "IsValidChecksum");
                Expect.Equal(text.ToLowerInvariant(), address.ToLowerHex(), "lower-case form");
            });
        }

        run.Complete(8);
    }

    [VectorFact]
    public void ForCreate_EthersCreateVectors_MatchAddresses()
    {
        var run = new VectorRun(output, "ethers/create.json.gz");
        var total = 0;
        foreach (var group in VectorFiles.Ethers("create").EnumerateArray())
        {
            var sender = Address.Parse(group.GetProperty("sender").GetString()!);
            foreach (var v in group.GetProperty("creates").EnumerateArray())
            {
                total++;
                run.Case(v.GetProperty("name").GetString()!, () =>
                {
                    var created = Address.ForCreate(sender, v.GetProperty("nonce").GetUInt64());
                    Expect.Equal(v.GetProperty("address").GetString(), created.ToString(), "CREATE address");
                });
            }
        }

        run.Complete(total);
        total.Should().BeGreaterThan(100);
    }

    // EIP-1014 "Examples" (deployer, salt, init code → address).
    [Theory]
    [InlineData("0x0000000000000000000000000000000000000000", "0x0000000000000000000000000000000000000000000000000000000000000000", "0x00", "0x4D1A2e2bB4F88F0250f26Ffff098B0b30B26BF38")]
    [InlineData("0xdeadbeef00000000000000000000000000000000", "0x0000000000000000000000000000000000000000000000000000000000000000", "0x00", "0xB928f69Bb1D91Cd65274e3c79d8986362984fDA3")]
    [InlineData("0xdeadbeef00000000000000000000000000000000", "0x000000000000000000000000feed000000000000000000000000000000000000", "0x00", "0xD04116cDd17beBE565EB2422F2497E06cC1C9833")]
    [InlineData("0x0000000000000000000000000000000000000000", "0x0000000000000000000000000000000000000000000000000000000000000000", "0xdeadbeef", "0x70f2b2914A2a4b783FaEFb75f459A580616Fcb5e")]
    [InlineData("0x00000000000000000000000000000000deadbeef", "0x00000000000000000000000000000000000000000000000000000000cafebabe", "0xdeadbeef", "0x60f3f640a8508fC6a86d45DF051962668E1e8AC7")]
    [InlineData("0x0000000000000000000000000000000000000000", "0x0000000000000000000000000000000000000000000000000000000000000000", "0x", "0xE33C0C7F7df4809055C3ebA6c09CFe4BaF1BD9e0")]
    public void ForCreate2_Eip1014Examples_MatchAddresses(string deployer, string salt, string initCode, string expected)
    {
        var address = Address.ForCreate2(
            Address.Parse(deployer), HexConvert.FromHex(salt), Keccak.Keccak256(HexConvert.FromHex(initCode)));

        address.ToString().Should().Be(expected);
    }

    [Theory]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")] // last digit's case flipped
    [InlineData("0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    public void Parse_MixedCaseWithWrongChecksum_Throws(string text)
    {
        FluentActions.Invoking(() => Address.Parse(text)).Should().Throw<FormatException>().WithMessage("*checksum*");
        Address.IsValid(text).Should().BeFalse();
    }

    [Theory]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")]
    [InlineData("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED")]
    public void Parse_SingleCase_AcceptedWithoutChecksum(string text)
    {
        Address.Parse(text).ToString().Should().Be("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        Address.IsValidChecksum(text).Should().BeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg")]
    public void Parse_Malformed_Throws(string text) =>
        FluentActions.Invoking(() => Address.Parse(text)).Should().Throw<FormatException>();

    [Fact]
    public void Default_IsZeroAddress()
    {
        default(Address).Should().Be(Address.Parse("0x0000000000000000000000000000000000000000"));
        default(Address).IsZero.Should().BeTrue();
        default(Address).ToString().Should().Be("0x0000000000000000000000000000000000000000");
    }

    [Fact]
    public void Equality_SameBytes_EqualAndSameHash()
    {
        var a = Address.Parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
        var b = Address.FromBytes(HexConvert.FromHex("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"));

        (a == b).Should().BeTrue();
        a.GetHashCode().Should().Be(b.GetHashCode());
        (a == Address.Zero).Should().BeFalse();
    }
}
