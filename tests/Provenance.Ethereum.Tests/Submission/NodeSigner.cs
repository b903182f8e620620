using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.Submission;
using Provenance.Ethereum.Transactions;

namespace Provenance.Ethereum.Tests.Submission;

/// <summary>
/// Test-only signer: asks Anvil to sign with one of its unlocked dev accounts (<c>eth_signTransaction</c>), so the
/// submitter can be exercised against a real node with real signed transactions independently of our own signing
/// code (which has its own vector tests). Hardhat lacks <c>eth_signTransaction</c>, hence Anvil.
/// </summary>
internal sealed class NodeSigner(string rpcUrl, Address address) : ITransactionSigner
{
    private static readonly HttpClient Http = new();

    public Address Address { get; } = address;

    public SignedTransaction Sign(UnsignedTransaction tx)
    {
        var json = new JsonObject
        {
            ["from"] = Address.ToLowerHex(),
            ["gas"] = HexConvert.ToQuantity(tx.GasLimit),
            ["value"] = HexConvert.ToQuantity(tx.Value),
            ["data"] = HexConvert.ToHex(tx.Data),
            ["nonce"] = HexConvert.ToQuantity(tx.Nonce),
            ["chainId"] = HexConvert.ToQuantity(tx.ChainId),
        };
        if (tx.To is { } to)
        {
            json["to"] = to.ToLowerHex();
        }

        switch (tx.Fees)
        {
            case Eip1559Fees f:
                json["type"] = "0x2";
                json["maxFeePerGas"] = HexConvert.ToQuantity(f.MaxFeePerGas);
                json["maxPriorityFeePerGas"] = HexConvert.ToQuantity(f.MaxPriorityFeePerGas);
                break;
            case LegacyFees l:
                json["type"] = "0x0";
                json["gasPrice"] = HexConvert.ToQuantity(l.GasPrice);
                break;
        }

        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = "eth_signTransaction", ["params"] = new JsonArray(json) };
        using var request = new HttpRequestMessage(HttpMethod.Post, rpcUrl) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        using var response = Http.Send(request);
        using var doc = JsonDocument.Parse(response.Content.ReadAsStream());
        if (doc.RootElement.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"eth_signTransaction: {error}");
        }

        // Anvil's bytes, read back with our decoder (strict: a node's encoding we could not read would fail here).
        return TransactionDecoder.Decode(doc.RootElement.GetProperty("result").GetString()!);
    }
}
