using System.Numerics;
using System.Text.Json;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.Transactions;
using Provenance.Ethereum.Tests.Vectors;
using Provenance.Testing;
using Xunit.Abstractions;

namespace Provenance.Ethereum.Tests.Transactions;

public sealed class TransactionVectorTests(ITestOutputHelper output)
{
    private const int Cases = 3200;

    /// <summary>
    /// Every case of ethers' transactions.json.gz for one variant: the unsigned payload, the signature (r, s, v), the
    /// signed serialisation, decoding it back, and the recovered sender — byte for byte.
    /// </summary>
    [VectorTheory]
    [InlineData("Legacy", Cases)]
    [InlineData("Eip155", Cases - 1536)]
    [InlineData("Berlin", Cases)]
    [InlineData("London", Cases)]
    [InlineData("Cancun", 0)]
    public void SignSerialiseDecode_EthersTransactions_MatchByteForByte(string variant, int expectedRun)
    {
        var run = new VectorRun(output, $"ethers/transactions.json.gz [{variant}]");
        var cases = VectorFiles.Ethers("transactions").EnumerateArray().ToList();
        cases.Should().HaveCount(Cases);
        Parallel.ForEach(cases, v =>
        {
            var name = v.GetProperty("name").GetString()!;
            var unsigned = v.GetProperty("unsigned" + variant).GetString()!;
            if (variant == "Cancun")
            {
                run.Skip(name, "blob transactions (type 3, EIP-4844) are out of scope");
                return;
            }

            if (unsigned.Length == 0)
            {
                run.Skip(name, "no chain id, so the EIP-155 variant is not defined");
                return;
            }

            run.Case(name, () => Check(v, variant, unsigned));
        });

        run.Complete(expectedRun);
    }

    [VectorFact]
    public void Sign_Eip155SpecExample_MatchesEveryStep()
    {
        var v = VectorFiles.Spec.GetProperty("eip155_example");
        var tx = new LegacyTransaction
        {
            ChainId = 1,
            Nonce = 9,
            GasPrice = BigInteger.Parse(v.GetProperty("gasPrice").GetString()!),
            GasLimit = 21000,
            To = Address.Parse(v.GetProperty("to").GetString()!),
            Value = BigInteger.Parse(v.GetProperty("value").GetString()!),
        };

        var signed = tx.Sign(EthKey.FromPrivateKey(v.GetProperty("privateKey").GetString()!));

        HexConvert.ToHex(tx.GetSigningPayload()).Should().Be(v.GetProperty("signingData").GetString());
        HexConvert.ToHex(tx.GetSigningHash()).Should().Be(v.GetProperty("signingHash").GetString());
        signed.V.Should().Be(37);
        signed.ToHex().Should().Be(v.GetProperty("signedTx").GetString());
        signed.HashHex.Should().Be(v.GetProperty("txHash").GetString());
        signed.RecoverSender().ToLowerHex().Should().Be(v.GetProperty("sender").GetString());
    }

    [VectorFact]
    public void Decode_Eip155SpecDecodeVector_GivesSenderAndHash()
    {
        var v = VectorFiles.Spec.GetProperty("eip155_decode")[0];

        var signed = TransactionDecoder.Decode(v.GetProperty("rlp").GetString()!);

        signed.Transaction.Should().BeOfType<LegacyTransaction>().Which.ChainId.Should().Be(1UL);
        signed.HashHex.Should().Be(v.GetProperty("hash").GetString());
        signed.RecoverSender().ToLowerHex().Should().Be(v.GetProperty("sender").GetString());
    }

    [VectorFact]
    public void Sign_Eip1559SpecExampleWithShortS_MatchesSignedTx()
    {
        var v = VectorFiles.Spec.GetProperty("eip1559_example");
        var tx = new Eip1559Transaction
        {
            ChainId = (ulong)HexConvert.ParseQuantity(v.GetProperty("chainId").GetString()!),
            Nonce = v.GetProperty("nonce").GetUInt64(),
            MaxPriorityFeePerGas = HexConvert.ParseQuantity(v.GetProperty("maxPriorityFeePerGas").GetString()!),
            MaxFeePerGas = HexConvert.ParseQuantity(v.GetProperty("maxFeePerGas").GetString()!),
            GasLimit = (ulong)HexConvert.ParseQuantity(v.GetProperty("gasLimit").GetString()!),
            To = Address.Parse(v.GetProperty("to").GetString()!),
            Value = HexConvert.ParseQuantity(v.GetProperty("value").GetString()!),
            Data = HexConvert.FromHex(v.GetProperty("data").GetString()!),
        };
        var key = EthKey.FromPrivateKey(v.GetProperty("privateKey").GetString()!);

        var signed = tx.Sign(key);

        signed.ToHex().Should().Be(v.GetProperty("signedTx").GetString());
        signed.Signature.SBytes[0].Should().Be(0, "this vector's s has 31 significant bytes");
        TransactionDecoder.Decode(signed.ToArray()).RecoverSender().Should().Be(key.Address);
    }

    private static void Check(JsonElement v, string variant, string unsignedHex)
    {
        var key = EthKey.FromPrivateKey(v.GetProperty("privateKey").GetString()!);
        var tx = Build(v.GetProperty("transaction"), variant);
        Expect.Hex(unsignedHex, tx.GetSigningPayload(), "unsigned payload");

        var signed = tx.Sign(key);
        var expected = v.GetProperty("signature" + variant);
        Expect.Hex(expected.GetProperty("r").GetString()!, signed.Signature.RBytes, "r");
        Expect.Equal(HexConvert.ParseQuantity(expected.GetProperty("s").GetString()!), signed.Signature.S, "s");
        Expect.Equal(HexConvert.ParseQuantity(expected.GetProperty("v").GetString()!), signed.V, "v");
        var signedHex = v.GetProperty("signed" + variant).GetString()!;
        Expect.Hex(signedHex, signed.RawBytes, "signed serialisation");

        var decoded = TransactionDecoder.Decode(signedHex);
        Expect.Equal(tx.GetType(), decoded.Transaction.GetType(), "decoded kind");
        Expect.Hex(unsignedHex, decoded.Transaction.GetSigningPayload(), "decoded unsigned payload");
        Expect.Hex(signedHex, decoded.RawBytes, "re-encoded");
        Expect.Equal(key.Address, decoded.RecoverSender(), "recovered sender");
        Expect.Hex(HexConvert.ToHex(Keccak.Keccak256(HexConvert.FromHex(signedHex))), decoded.Hash, "hash");
    }

    private static Transaction Build(JsonElement t, string variant)
    {
        var nonce = t.TryGetProperty("nonce", out var n) ? n.GetUInt64() : 0;
        var gasLimit = (ulong)Quantity(t, "gasLimit");
        var to = t.TryGetProperty("to", out var a) ? Address.Parse(a.GetString()!) : (Address?)null;
        var value = Quantity(t, "value");
        var data = t.TryGetProperty("data", out var d) ? HexConvert.FromHex(d.GetString()!) : [];
        var chainId = (ulong)Quantity(t, "chainId");
        var accessList = t.TryGetProperty("accessList", out var list)
            ? list.EnumerateArray().Select(e => new AccessListEntry(
                Address.Parse(e.GetProperty("address").GetString()!),
                e.GetProperty("storageKeys").EnumerateArray().Select(k => HexConvert.FromHex(k.GetString()!)).ToList())).ToList()
            : [];
        return variant switch
        {
            "Legacy" => new LegacyTransaction { Nonce = nonce, GasPrice = Quantity(t, "gasPrice"), GasLimit = gasLimit, To = to, Value = value, Data = data },
            "Eip155" => new LegacyTransaction { Nonce = nonce, GasPrice = Quantity(t, "gasPrice"), GasLimit = gasLimit, To = to, Value = value, Data = data, ChainId = chainId },
            "Berlin" => new Eip2930Transaction { ChainId = chainId, Nonce = nonce, GasPrice = Quantity(t, "gasPrice"), GasLimit = gasLimit, To = to, Value = value, Data = data, AccessList = accessList },
            "London" => new Eip1559Transaction
            {
                ChainId = chainId, Nonce = nonce, MaxPriorityFeePerGas = Quantity(t, "maxPriorityFeePerGas"),
                MaxFeePerGas = Quantity(t, "maxFeePerGas"), GasLimit = gasLimit, To = to, Value = value, Data = data, AccessList = accessList,
            },
            _ => throw new ArgumentOutOfRangeException(nameof(variant)),
        };
    }

    private static BigInteger Quantity(JsonElement t, string name) =>
        t.TryGetProperty(name, out var q) ? HexConvert.ParseQuantity(q.GetString()!) : BigInteger.Zero;
}
