using System.Text.Json;
using Provenance.Ethereum.Hex;
using Provenance.Testing;

namespace Provenance.Ethereum.Tests.Eth;

/// <summary>
/// Hand-assembled runtime bytecode for node tests that need a contract before the registry exists: each is
/// deployed by a 12-byte constructor that returns the runtime code (CODECOPY + RETURN).
/// </summary>
internal static class TinyContracts
{
    /// <summary>Reverts with its calldata as revert data: CALLDATACOPY(0,0,size); REVERT(0,size).</summary>
    public const string RevertEcho = "366000600037366000fd";

    /// <summary>Returns its calldata: CALLDATACOPY(0,0,size); RETURN(0,size).</summary>
    public const string ReturnEcho = "366000600037366000f3";

    /// <summary>Emits LOG1 with topic = first 32 bytes of calldata and no data.</summary>
    public const string LogEmitter = "36600060003760005160006000a100";

    /// <summary>Deploys <paramref name="runtimeHex"/> from dev account #0 (the node signs) and returns its address.</summary>
    public static async Task<Address> DeployAsync(DevChainProcess chain, string runtimeHex)
    {
        var length = runtimeHex.Length / 2;
        var init = $"0x60{length:x2}600c60003960{length:x2}6000f3{runtimeHex}";
        var hash = await SendAsync(chain, null, init);
        // Anvil may answer the send before it serves the receipt: poll briefly.
        for (var attempt = 0; ; attempt++)
        {
            var receipt = await chain.RpcAsync("eth_getTransactionReceipt", [hash]);
            if (receipt.ValueKind == JsonValueKind.Object)
            {
                return Address.Parse(receipt.GetProperty("contractAddress").GetString()!);
            }

            if (attempt > 100)
            {
                throw new TimeoutException($"no receipt for deployment {hash}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Sends a transaction from dev account #0 through the node's own signer (automine) and returns its hash.</summary>
    public static async Task<string> SendAsync(DevChainProcess chain, Address? to, string dataHex)
    {
        var tx = new Dictionary<string, string>
        {
            ["from"] = DevChainProcess.DevAccounts[0].Address,
            ["data"] = dataHex,
            ["gas"] = "0x100000",
        };
        if (to is { } t)
        {
            tx["to"] = t.ToLowerHex();
        }

        var result = await chain.RpcAsync("eth_sendTransaction", [tx]);
        return result.GetString()!;
    }

    /// <summary>A 32-byte topic value with the given last byte pattern.</summary>
    public static string Topic(ulong n) => HexConvert.ToHex(BitConverter.GetBytes(n).Reverse().ToArray().PadLeft32());

    private static byte[] PadLeft32(this byte[] value)
    {
        var padded = new byte[32];
        value.CopyTo(padded, 32 - value.Length);
        return padded;
    }

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
