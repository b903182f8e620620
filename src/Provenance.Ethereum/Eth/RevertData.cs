using System.Text.Json;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.JsonRpc;

namespace Provenance.Ethereum.Eth;

/// <summary>
/// Finds the revert data of a failed <c>eth_call</c> / <c>eth_estimateGas</c> in a node's JSON-RPC error. Nodes put
/// it in different places: <c>error.data</c> as a hex string (geth, Anvil, newer Hardhat), <c>error.data.data</c>
/// (Hardhat 2), <c>error.data.result</c> (Ganache).
/// </summary>
public static class RevertData
{
    /// <summary>
    /// True when <paramref name="error"/> reports an execution revert; <paramref name="data"/> is then the revert data
    /// (empty for a bare <c>revert()</c> or a node that omits it).
    /// </summary>
    public static bool TryExtract(JsonRpcError error, out byte[] data)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.Data is { } d && FindHex(d) is { } hex)
        {
            data = HexConvert.FromHex(hex);
            return true;
        }

        if (error.Code == JsonRpcError.ExecutionReverted
            || error.Message.Contains("revert", StringComparison.OrdinalIgnoreCase))
        {
            data = [];
            return true;
        }

        data = [];
        return false;
    }

    private static string? FindHex(JsonElement data)
    {
        if (IsHex(data))
        {
            return data.GetString();
        }

        if (data.ValueKind == JsonValueKind.Object)
        {
            foreach (var name in (ReadOnlySpan<string>)["data", "result"])
            {
                if (data.TryGetProperty(name, out var inner) && IsHex(inner))
                {
                    return inner.GetString();
                }
            }
        }

        return null;
    }

    private static bool IsHex(JsonElement element) =>
        element.ValueKind == JsonValueKind.String && HexConvert.IsHexData(element.GetString());
}

/// <summary>
/// A call or gas estimate that reverted (the node answered an execution-reverted error). Keeps the node's code,
/// message and raw data, plus the extracted <see cref="RevertData"/> to decode with <c>RevertDecoder</c>.
/// </summary>
public sealed class ContractRevertedException : JsonRpcException
{
    /// <summary>Creates the exception from the node's error and the extracted revert data.</summary>
    public ContractRevertedException(string method, JsonRpcError error, byte[] revertData, RevertReason reason, Exception? inner = null)
        : base(method, error, inner)
    {
        RevertData = revertData;
        Reason = reason;
    }

    /// <summary>The revert data (ABI-encoded error; empty for a bare revert).</summary>
    public byte[] RevertData { get; }

    /// <summary>The decoded reason.</summary>
    public RevertReason Reason { get; }

    /// <inheritdoc />
    public override string Message => $"{Method} reverted: {Reason}";
}
