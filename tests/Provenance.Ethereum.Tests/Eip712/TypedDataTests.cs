using System.Numerics;
using System.Text.Json;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Eip712;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.Tests.Vectors;
using Provenance.Testing;
using Xunit.Abstractions;

namespace Provenance.Ethereum.Tests.Eip712;

public sealed class TypedDataTests(ITestOutputHelper output)
{
    [VectorFact]
    public void EtherMail_SpecVector_EveryStepMatches()
    {
        var v = VectorFiles.Spec.GetProperty("eip712_mail");
        var typed = TypedData.FromJson(v.GetRawText());
        var key = EthKey.FromPrivateKey(v.GetProperty("privateKey").GetString()!);

        TypedDataEncoder.EncodeType("Mail", typed.Types).Should().Be(v.GetProperty("encodeType").GetString());
        HexConvert.ToHex(TypedDataEncoder.TypeHash("Mail", typed.Types)).Should().Be(v.GetProperty("typeHash").GetString());
        HexConvert.ToHex(TypedDataEncoder.EncodeData("Mail", typed.Message, typed.Types)).Should().Be(v.GetProperty("encodeData").GetString());
        HexConvert.ToHex(typed.StructHash()).Should().Be(v.GetProperty("structHash").GetString());
        HexConvert.ToHex(typed.DomainSeparator()).Should().Be(v.GetProperty("domainSeparator").GetString());
        HexConvert.ToHex(typed.Digest()).Should().Be(v.GetProperty("digest").GetString());

        var signature = typed.Sign(key);

        signature.V.Should().Be((byte)v.GetProperty("v").GetInt32());
        HexConvert.ToHex(signature.RBytes).Should().Be(v.GetProperty("r").GetString());
        HexConvert.ToHex(signature.SBytes).Should().Be(v.GetProperty("s").GetString());
        typed.RecoverSigner(signature).Should().Be(key.Address);
    }

    [VectorFact]
    public void EncodeDataAndDigest_EthersTypedData_MatchByteForByte()
    {
        var run = new VectorRun(output, "ethers/typed-data.json.gz");
        var signed = 0;
        foreach (var v in VectorFiles.Ethers("typed-data").EnumerateArray())
        {
            run.Case(v.GetProperty("name").GetString()!, () =>
            {
                var types = ReadTypes(v.GetProperty("types"));
                var primary = v.GetProperty("primaryType").GetString()!;
                var typed = TypedData.FromJson(types, primary, v.GetProperty("domain"), v.GetProperty("data"));
                Expect.Hex(v.GetProperty("encoded").GetString()!, TypedDataEncoder.EncodeData(primary, typed.Message, typed.Types), "encodeData");
                Expect.Hex(v.GetProperty("digest").GetString()!, typed.Digest(), "digest");
                if (v.TryGetProperty("privateKey", out var privateKey))
                {
                    var signature = typed.Sign(EthKey.FromPrivateKey(privateKey.GetString()!));
                    Expect.Equal(v.GetProperty("signature").GetString(), signature.ToHex(), "signature");
                    Interlocked.Increment(ref signed);
                }
            });
        }

        run.Complete(130);
        signed.Should().Be(1);
    }

    [Fact]
    public void SignRecover_RandomKeys_RecoverSigner() => Properties.ForAllSeeds(20, random =>
    {
        var key = EthKey.FromPrivateKey(random.Bytes(32));
        var typed = Permit(random.Next(), key.Address);

        var signature = typed.Sign(key);

        typed.RecoverSigner(signature).Should().Be(key.Address);
        EthSignature.FromBytes65(signature.ToBytes65()).RecoverAddress(typed.Digest()).Should().Be(key.Address);
    });

    [Fact]
    public void EncodeType_NestedAndArrayDependencies_SortedAfterPrimary()
    {
        var types = new Dictionary<string, IReadOnlyList<TypedDataField>>
        {
            ["Zoo"] = [new("keepers", "Keeper[]"), new("animals", "Animal[2]")],
            ["Keeper"] = [new("name", "string"), new("badge", "Badge")],
            ["Badge"] = [new("id", "uint256")],
            ["Animal"] = [new("kind", "string")],
        };

        TypedDataEncoder.EncodeType("Zoo", types).Should().Be(
            "Zoo(Keeper[] keepers,Animal[2] animals)Animal(string kind)Badge(uint256 id)Keeper(string name,Badge badge)");
    }

    [Fact]
    public void EncodeData_MissingFieldOrUnknownType_Throws()
    {
        var types = new Dictionary<string, IReadOnlyList<TypedDataField>> { ["A"] = [new("x", "uint256")] };
        var bad = new Dictionary<string, IReadOnlyList<TypedDataField>> { ["A"] = [new("x", "Unknown")] };

        FluentActions.Invoking(() => TypedDataEncoder.EncodeData("A", new Dictionary<string, object?>(), types))
            .Should().Throw<Eip712Exception>().WithMessage("*lacks the field 'x'*");
        FluentActions.Invoking(() => TypedDataEncoder.EncodeType("A", bad)).Should().Throw<Eip712Exception>();
        FluentActions.Invoking(() => TypedDataEncoder.EncodeData("A", new Dictionary<string, object?> { ["x"] = -1 }, types))
            .Should().Throw<Eip712Exception>().WithMessage("*A.x*");
    }

    [Fact]
    public void FromJson_EthSignTypedDataV4WithDomainType_UsesDeclaredDomainFields()
    {
        const string json = """
        {
          "types": {
            "EIP712Domain": [ { "name": "name", "type": "string" }, { "name": "chainId", "type": "uint256" } ],
            "Ping": [ { "name": "n", "type": "uint8" } ]
          },
          "primaryType": "Ping",
          "domain": { "name": "P", "chainId": "0x7a69" },
          "message": { "n": 7 }
        }
        """;

        var typed = TypedData.FromJson(json);

        typed.Domain.ChainId.Should().Be(new BigInteger(31337));
        typed.DomainSeparator().Should().Equal(TypedDataEncoder.HashDomain(new Eip712Domain { Name = "P", ChainId = 31337 }));
    }

    private static TypedData Permit(int nonce, Address owner)
    {
        var types = new Dictionary<string, IReadOnlyList<TypedDataField>>
        {
            ["Permit"] = [new("owner", "address"), new("spender", "address"), new("value", "uint256"), new("nonce", "uint256"), new("deadline", "uint256")],
        };
        var message = new Dictionary<string, object?>
        {
            ["owner"] = owner,
            ["spender"] = Address.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
            ["value"] = BigInteger.Pow(10, 18),
            ["nonce"] = new BigInteger(nonce),
            ["deadline"] = new BigInteger(1_900_000_000),
        };
        var domain = new Eip712Domain { Name = "Token", Version = "1", ChainId = 31337, VerifyingContract = Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3") };
        return new TypedData(types, "Permit", domain, message);
    }

    private static Dictionary<string, IReadOnlyList<TypedDataField>> ReadTypes(JsonElement json) =>
        json.EnumerateObject().ToDictionary(
            t => t.Name,
            t => (IReadOnlyList<TypedDataField>)t.Value.EnumerateArray()
                .Select(f => new TypedDataField(f.GetProperty("name").GetString()!, f.GetProperty("type").GetString()!)).ToList());
}
