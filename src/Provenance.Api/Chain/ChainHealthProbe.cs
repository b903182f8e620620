using System.Text.Json.Nodes;
using Dapper;
using Provenance.Api.Data;
using Provenance.Api.Health;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.JsonRpc;

namespace Provenance.Api.Chain;

/// <summary>Probes the node (eth_chainId, eth_blockNumber, eth_getCode) and reads the indexer cursor.</summary>
public sealed class ChainHealthProbe(IJsonRpcClient rpc, Deployment deployment, Db db) : IChainHealthProbe
{
    /// <inheritdoc />
    public async Task<ChainHealth> ProbeAsync(CancellationToken ct)
    {
        var indexed = await db.ReadAsync(c => c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT block_number FROM index_cursor WHERE id = 1", cancellationToken: ct)), ct);
        try
        {
            var timeout = TimeSpan.FromSeconds(2);
            var chainId = HexConvert.ParseQuantityUInt64((await rpc.SendAsync(new JsonRpcRequest("eth_chainId") { Timeout = timeout }, ct)).GetString()!);
            var head = HexConvert.ParseQuantityUInt64((await rpc.SendAsync(new JsonRpcRequest("eth_blockNumber") { Timeout = timeout }, ct)).GetString()!);
            var code = (await rpc.SendAsync(new JsonRpcRequest("eth_getCode", JsonValue.Create(deployment.Address), JsonValue.Create("latest")) { Timeout = timeout }, ct)).GetString();
            var deployed = code is { Length: > 2 } && (long)chainId == deployment.ChainId;
            string? error = (long)chainId != deployment.ChainId
                ? $"chain id {chainId} differs from the deployment's {deployment.ChainId}"
                : deployed ? null : $"no registry code at {deployment.Address}";
            return new ChainHealth(true, (long)chainId, deployed, deployment.Address, (long)head, indexed,
                indexed is { } i ? Math.Max(0, (long)head - i) : null, error);
        }
        catch (RpcException e)
        {
            return new ChainHealth(false, null, false, deployment.Address, null, indexed, null, e.Message);
        }
    }
}
