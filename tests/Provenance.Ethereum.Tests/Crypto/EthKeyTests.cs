using System.Numerics;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.Tests.Vectors;
using Provenance.Testing;
using Xunit.Abstractions;

namespace Provenance.Ethereum.Tests.Crypto;

public sealed class EthKeyTests(ITestOutputHelper output)
{
    [VectorFact]
    public void Address_EthersAccounts_MatchChecksummedAddresses()
    {
        var run = new VectorRun(output, "ethers/accounts.json.gz");
        foreach (var v in VectorFiles.Ethers("accounts").EnumerateArray())
        {
            run.Case(v.GetProperty("name").GetString()!, () =>
            {
                var key = EthKey.FromPrivateKey(v.GetProperty("privateKey").GetString()!);
                Expect.Equal(v.GetProperty("address").GetString(), key.Address.ToString(), "address");
                Expect.Equal(key.Address, Address.FromPublicKey(key.PublicKey), "address from public key");
            });
        }

        run.Complete(259);
    }

    [VectorFact]
    public void Address_SpecAccountsAndDevAccounts_Match()
    {
        var run = new VectorRun(output, "spec accounts + Hardhat dev accounts");
        foreach (var v in VectorFiles.Spec.GetProperty("accounts").EnumerateArray())
        {
            run.Case(v.GetProperty("source").GetString()!, () => Expect.Equal(
                v.GetProperty("address").GetString(),
                EthKey.FromPrivateKey(v.GetProperty("privateKey").GetString()!).Address.ToString(),
                "address"));
        }

        foreach (var (privateKey, address) in DevChainProcess.DevAccounts)
        {
            run.Case(address, () => Expect.Equal(address, EthKey.FromPrivateKey(privateKey).Address.ToString(), "address"));
        }

        run.Complete(2 + DevChainProcess.DevAccounts.Count);
    }

    [VectorFact]
    public void Sign_Eip155ExampleSigningHash_GivesPublishedSignature()
    {
        var v = VectorFiles.Spec.GetProperty("eip155_example");
        var key = EthKey.FromPrivateKey(v.GetProperty("privateKey").GetString()!);
        var hash = HexConvert.FromHex(v.GetProperty("signingHash").GetString()!);

        var signature = key.Sign(hash);

        signature.R.Should().Be(BigInteger.Parse(v.GetProperty("r").GetString()!));
        signature.S.Should().Be(BigInteger.Parse(v.GetProperty("s").GetString()!));
        signature.GetLegacyV(1).Should().Be(v.GetProperty("v").GetInt32());
        signature.RecoverAddress(hash).ToLowerHex().Should().Be(v.GetProperty("sender").GetString());
    }

    [Fact]
    public void SignRecover_RandomKeysAndHashes_RoundTrip() => Properties.ForAllSeeds(60, random =>
    {
        var key = EthKey.FromPrivateKey(random.Bytes(32));
        var hash = random.Bytes(32);

        var signature = key.Sign(hash);
        var parsed = EthSignature.FromBytes65(signature.ToBytes65());

        parsed.Should().Be(signature);
        parsed.RecoverAddress(hash).Should().Be(key.Address);
        parsed.RecoverPublicKey(hash).Should().Equal(key.PublicKey.ToArray());
        parsed.S.Should().BeLessThanOrEqualTo(HalfN, "signatures are normalised to low-s");
        key.Sign(hash).Should().Be(signature, "RFC 6979 nonces are deterministic");
    });

    [Fact]
    public async Task Sign_ConcurrentThreads_SameSignaturesAsSequential()
    {
        var keys = Enumerable.Range(1, 16).Select(i => EthKey.FromPrivateKey(Keccak.Keccak256($"key {i}"))).ToArray();
        var hash = Keccak.Keccak256("concurrent");
        var expected = keys.Select(k => k.Sign(hash).ToHex()).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            keys.Select(k => k.Sign(hash)).Select(s => s.ToHex()).ToArray())));

        results.Should().AllSatisfy(r => r.Should().Equal(expected));
    }

    [Fact]
    public void RecoverAddress_OtherHash_GivesOtherAddress()
    {
        var key = EthKey.Generate();
        var hash = Keccak.Keccak256("one");

        var signature = key.Sign(hash);

        signature.RecoverAddress(Keccak.Keccak256("two")).Should().NotBe(key.Address);
        signature.IsValidFor(hash, key.Address).Should().BeTrue();
        signature.IsValidFor(Keccak.Keccak256("two"), key.Address).Should().BeFalse();
    }

    [Fact]
    public void Create_HighS_Rejected()
    {
        var signature = EthKey.Generate().Sign(Keccak.Keccak256("x"));
        var highS = N - signature.S;

        FluentActions.Invoking(() => EthSignature.Create(signature.R, highS, 1 - signature.YParity))
            .Should().Throw<FormatException>().WithMessage("*high-s*");
        var bytes = signature.ToBytes65();
        highS.TryWriteBytes(bytes.AsSpan(32, 32), out _, isUnsigned: true, isBigEndian: true);
        FluentActions.Invoking(() => EthSignature.FromBytes65(bytes)).Should().Throw<FormatException>();
    }

    [Theory]
    [InlineData(0, 1, 0, "positive")]
    [InlineData(1, 0, 0, "positive")]
    [InlineData(1, 1, 2, "yParity")]
    public void Create_OutOfRange_Rejected(int r, int s, int yParity, string message) =>
        FluentActions.Invoking(() => EthSignature.Create(r, s, yParity))
            .Should().Throw<FormatException>().WithMessage($"*{message}*");

    [Fact]
    public void Create_RAtCurveOrder_Rejected() =>
        FluentActions.Invoking(() => EthSignature.Create(N, 1, 0)).Should().Throw<FormatException>();

    [Theory]
    [InlineData(64, 27)]
    [InlineData(65, 29)]
    [InlineData(65, 26)]
    public void FromBytes65_BadLengthOrV_Rejected(int length, byte v)
    {
        var bytes = new byte[length];
        bytes[31] = 1;
        bytes[63] = 1;
        bytes[^1] = v;

        FluentActions.Invoking(() => EthSignature.FromBytes65(bytes)).Should().Throw<FormatException>();
    }

    [Fact]
    public void FromBytes65_VZeroOrOne_AcceptedAsYParity()
    {
        var key = EthKey.Generate();
        var hash = Keccak.Keccak256("v");
        var bytes = key.Sign(hash).ToBytes65();
        bytes[64] -= 27;

        EthSignature.FromBytes65(bytes).RecoverAddress(hash).Should().Be(key.Address);
    }

    [Fact]
    public void RecoverAddress_RNotOnCurve_ThrowsFormatException()
    {
        // About half of all x values are not on the curve; find one among small r and check recovery refuses it.
        var hash = Keccak.Keccak256("r");
        var refused = Enumerable.Range(1, 40).Count(r =>
        {
            try
            {
                EthSignature.Create(r, 1, 0).RecoverAddress(hash);
                return false;
            }
            catch (FormatException)
            {
                return true;
            }
        });

        refused.Should().BeInRange(5, 35);
    }

    [Theory]
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")] // n
    [InlineData("0x01")]
    public void FromPrivateKey_Invalid_Rejected(string hex) =>
        FluentActions.Invoking(() => EthKey.FromPrivateKey(hex)).Should().Throw<ArgumentException>();

    [Fact]
    public void ExportPrivateKey_Imported_RoundTrips()
    {
        var key = EthKey.Generate();

        EthKey.FromPrivateKey(key.ExportPrivateKey()).Address.Should().Be(key.Address);
        key.ToString().Should().Be($"EthKey({key.Address})");
    }

    [VectorFact]
    public void HashPersonalMessage_SpecEip191Vectors_Match()
    {
        var run = new VectorRun(output, "spec eip191");
        foreach (var v in VectorFiles.Spec.GetProperty("eip191").EnumerateArray())
        {
            var isHex = v.TryGetProperty("message_hex", out var hex);
            var label = isHex ? "hex " + hex.GetString() : "utf8 " + v.GetProperty("message_utf8").GetString();
            run.Case(label, () =>
            {
                var hash = isHex
                    ? Eip191.HashPersonalMessage(HexConvert.FromHex(hex.GetString()!))
                    : Eip191.HashPersonalMessage(v.GetProperty("message_utf8").GetString()!);
                Expect.Hex(v.GetProperty("hash").GetString()!, hash, "EIP-191 hash");
            });
        }

        run.Complete(3);
    }

    [Fact]
    public void SignPersonalMessage_Recover_GivesSigner()
    {
        var key = EthKey.FromPrivateKey(DevChainProcess.DevAccounts[1].PrivateKey);

        var signature = key.SignPersonalMessage("piece ABC123");

        Eip191.RecoverPersonalMessage("piece ABC123", signature).Should().Be(key.Address);
        Eip191.RecoverPersonalMessage("piece ABC124", signature).Should().NotBe(key.Address);
    }

    private static readonly BigInteger N = BigInteger.Parse(
        "0fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", System.Globalization.NumberStyles.HexNumber);

    private static readonly BigInteger HalfN = N / 2;
}
