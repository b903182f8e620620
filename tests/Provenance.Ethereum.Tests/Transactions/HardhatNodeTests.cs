using System.Numerics;
using System.Text.Json;
using Provenance.Ethereum.Abi;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Eip712;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.Rlp;
using Provenance.Ethereum.Tests.JsonRpc;
using Provenance.Ethereum.Transactions;
using Provenance.Testing;

namespace Provenance.Ethereum.Tests.Transactions;

/// <summary>
/// Transactions and signatures made by this library, checked by a real node: Hardhat accepts them, reports our
/// address as the sender, mines them, and its <c>ecrecover</c> precompile agrees with our signatures. Runs on the
/// "hardhat" collection's shared node (nonces are read from it, never assumed).
/// </summary>
[Collection(HardhatCollection.Name)]
public sealed class HardhatNodeTests(HardhatFixture fixture)
{
    private const ulong ChainId = 31337;

    // Init code that deploys a runtime returning uint256 42 for any call.
    private const string ReturnsFortyTwo = "0x600a600c600039600a6000f3602a60005260206000f3";

    private DevChainProcess Chain => fixture.Chain;

    [Fact]
    public async Task SendRawTransaction_LegacyEip155_AcceptedMinedWithOurSender()
    {
        var key = EthKey.FromPrivateKey(DevChainProcess.DevAccounts[2].PrivateKey);
        var recipient = Address.Parse(DevChainProcess.DevAccounts[3].Address);
        var tx = new LegacyTransaction
        {
            ChainId = ChainId,
            Nonce = await NonceAsync(key.Address),
            GasPrice = HexConvert.ParseQuantity((await Chain.RpcAsync("eth_gasPrice")).GetString()!),
            GasLimit = 21_000,
            To = recipient,
            Value = 12345,
        };

        var signed = tx.Sign(key);
        var hash = await Chain.RpcAsync("eth_sendRawTransaction", [signed.ToHex()]);

        hash.GetString().Should().Be(signed.HashHex);
        var mined = await Chain.RpcAsync("eth_getTransactionByHash", [signed.HashHex]);
        mined.GetProperty("from").GetString().Should().Be(key.Address.ToLowerHex());
        mined.GetProperty("type").GetString().Should().Be("0x0");
        mined.GetProperty("to").GetString().Should().Be(recipient.ToLowerHex());
        HexConvert.ParseQuantity(mined.GetProperty("v").GetString()!).Should().Be(signed.V);
        (await ReceiptStatusAsync(signed.HashHex)).Should().Be("0x1");
    }

    [Fact]
    public async Task SendRawTransaction_Eip1559ContractCreation_MinedAtCreateAddressAndCallDecodes()
    {
        var key = EthKey.FromPrivateKey(DevChainProcess.DevAccounts[4].PrivateKey);
        var nonce = await NonceAsync(key.Address);
        var latest = await Chain.RpcAsync("eth_getBlockByNumber", ["latest", false]);
        var baseFee = HexConvert.ParseQuantity(latest.GetProperty("baseFeePerGas").GetString()!);
        var tx = new Eip1559Transaction
        {
            ChainId = ChainId,
            Nonce = nonce,
            MaxPriorityFeePerGas = 1_000_000_000,
            MaxFeePerGas = (2 * baseFee) + 1_000_000_000,
            GasLimit = 100_000,
            Data = HexConvert.FromHex(ReturnsFortyTwo),
        };

        var signed = tx.Sign(key);
        var hash = await Chain.RpcAsync("eth_sendRawTransaction", [signed.ToHex()]);

        hash.GetString().Should().Be(signed.HashHex);
        var mined = await Chain.RpcAsync("eth_getTransactionByHash", [signed.HashHex]);
        mined.GetProperty("from").GetString().Should().Be(key.Address.ToLowerHex());
        mined.GetProperty("type").GetString().Should().Be("0x2");
        var receipt = await Chain.RpcAsync("eth_getTransactionReceipt", [signed.HashHex]);
        receipt.GetProperty("status").GetString().Should().Be("0x1");
        var created = Address.ForCreate(key.Address, nonce);
        receipt.GetProperty("contractAddress").GetString().Should().Be(created.ToLowerHex());
        var result = await Chain.RpcAsync("eth_call", [new { to = created.ToLowerHex(), data = "0x" }, "latest"]);
        AbiCodec.Decode([AbiType.UInt256], HexConvert.FromHex(result.GetString()!))[0].Should().Be(new BigInteger(42));
    }

    [Fact]
    public async Task EcrecoverPrecompile_Eip712AndEip191Signatures_RecoverOurAddress()
    {
        var key = EthKey.Generate();
        var typed = new TypedData(
            new Dictionary<string, IReadOnlyList<TypedDataField>> { ["Custody"] = [new("piece", "bytes32"), new("to", "address")] },
            "Custody",
            new Eip712Domain { Name = "ProvenanceRegistry", Version = "1", ChainId = ChainId, VerifyingContract = Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3") },
            new Dictionary<string, object?> { ["piece"] = Keccak.Keccak256("K3WQ8M2X7P4R9TA"), ["to"] = key.Address });

        foreach (var (digest, signature) in new[]
        {
            (typed.Digest(), typed.Sign(key)),
            (Eip191.HashPersonalMessage("hello"), key.SignPersonalMessage("hello")),
        })
        {
            // ecrecover(hash, v, r, s) at address 0x01, the primitive OpenZeppelin's ECDSA.recover relies on.
            var input = AbiCodec.Encode(
                [AbiType.Bytes32, AbiType.UInt(8), AbiType.Bytes32, AbiType.Bytes32],
                [digest, (int)signature.V, signature.RBytes.ToArray(), signature.SBytes.ToArray()]);
            var result = await Chain.RpcAsync(
                "eth_call", [new { to = "0x0000000000000000000000000000000000000001", data = HexConvert.ToHex(input) }, "latest"]);

            AbiCodec.Decode([AbiType.Address], HexConvert.FromHex(result.GetString()!))[0].Should().Be(key.Address);
        }
    }

    [Fact]
    public async Task SendRawTransaction_HighSVariant_RejectedByOurDecoderAndNode()
    {
        var key = EthKey.FromPrivateKey(DevChainProcess.DevAccounts[2].PrivateKey);
        var tx = new Eip1559Transaction { ChainId = ChainId, Nonce = 1_000, MaxFeePerGas = 1, GasLimit = 21_000, To = key.Address };
        var signed = tx.Sign(key);
        var n = BigInteger.Parse("0fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", System.Globalization.NumberStyles.HexNumber);
        var highS = RlpEncoder.EncodeInteger(n - signed.Signature.S);
        var fields = ((RlpList)RlpDecoder.Decode(signed.RawBytes[1..].ToArray())).ToList();
        fields[9] = RlpItem.Of(new BigInteger(1 - signed.Signature.YParity));
        fields[11] = RlpDecoder.Decode(highS);
        var raw = new byte[] { 2 }.Concat(RlpEncoder.Encode(new RlpList(fields))).ToArray();

        FluentActions.Invoking(() => TransactionDecoder.Decode(raw)).Should().Throw<InvalidTransactionException>().WithMessage("*high-s*");
        var send = () => Chain.RpcAsync("eth_sendRawTransaction", [HexConvert.ToHex(raw)]);
        await send.Should().ThrowAsync<InvalidOperationException>();
    }

    private async Task<ulong> NonceAsync(Address address) =>
        HexConvert.ParseQuantityUInt64((await Chain.RpcAsync("eth_getTransactionCount", [address.ToLowerHex(), "pending"])).GetString()!);

    private async Task<string?> ReceiptStatusAsync(string hash)
    {
        var receipt = await Chain.RpcAsync("eth_getTransactionReceipt", [hash]);
        return receipt.ValueKind == JsonValueKind.Null ? null : receipt.GetProperty("status").GetString();
    }
}
