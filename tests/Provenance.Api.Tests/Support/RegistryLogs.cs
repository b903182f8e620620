using System.Text.Json;
using Provenance.Testing;

namespace Provenance.Api.Tests.Support;

/// <summary>
/// The registry's logs as the chain holds them, for exactly-once checks: read straight from the node, since the
/// gateway's own view would hide a duplicate.
/// </summary>
public static class RegistryLogs
{
    /// <summary>
    /// How many registry logs name each piece (its id is the logs' first indexed topic), from one <c>eth_getLogs</c>
    /// over the whole chain; a piece without logs is absent.
    /// </summary>
    public static async Task<Dictionary<string, int>> PerPieceAsync(DevChainProcess chain, string deploymentFile)
    {
        var contract = JsonDocument.Parse(await File.ReadAllTextAsync(deploymentFile)).RootElement.GetProperty("address").GetString()!;
        var logs = await chain.RpcAsync("eth_getLogs", [new { fromBlock = "0x0", toBlock = "latest", address = contract }]);
        return logs.EnumerateArray()
            .Where(l => l.GetProperty("topics").GetArrayLength() > 1)
            .GroupBy(l => l.GetProperty("topics")[1].GetString()!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
    }
}
