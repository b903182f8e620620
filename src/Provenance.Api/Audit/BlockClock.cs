using Dapper;
using Microsoft.Extensions.Options;
using Provenance.Api.Data;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.JsonRpc;

namespace Provenance.Api.Audit;

/// <summary>
/// Keeps <c>audit_block_times</c>: the timestamp (<c>eth_getBlockByNumber</c>) of every block that holds an indexed
/// history event, so time filters and exports need no chain round trip. Runs in the background and is also caught up
/// before each audit query.
/// </summary>
public sealed class BlockClock(Db db, EthClient eth, IOptions<AuditOptions> options, ILogger<BlockClock> logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _watermark = -1;

    /// <summary>Records the time of every indexed block not known yet.</summary>
    public async Task CatchUpAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var cursor = await db.ReadAsync(c => c.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT block_number FROM index_cursor WHERE id = 1", cancellationToken: ct)), ct) ?? -1;
            _watermark = Math.Min(_watermark, cursor); // the indexer rewound: look again above the cursor
            var missing = (await db.ReadAsync(c => c.QueryAsync<(long Number, string Hash)>(new CommandDefinition(
                "SELECT DISTINCT e.block_number, e.block_hash FROM chain_events e WHERE e.block_number > @w " +
                "AND NOT EXISTS (SELECT 1 FROM audit_block_times t WHERE t.hash = e.block_hash) ORDER BY e.block_number",
                new { w = _watermark }, cancellationToken: ct)), ct)).ToList();
            var times = new List<(string Hash, long Number, long Timestamp)>();
            foreach (var (number, hash) in missing)
            {
                var block = await eth.GetBlockByNumberAsync((ulong)number, ct);
                if (block is not null && string.Equals(block.Hash, hash, StringComparison.OrdinalIgnoreCase))
                {
                    times.Add((hash, number, (long)block.Timestamp));
                }
            }

            if (times.Count > 0)
            {
                await db.WriteAsync(async (c, tx) => await c.ExecuteAsync(new CommandDefinition(
                    "INSERT OR IGNORE INTO audit_block_times(hash, number, timestamp) VALUES (@Hash, @Number, @Timestamp)",
                    times.Select(t => new { t.Hash, t.Number, t.Timestamp }), tx, cancellationToken: ct)), ct);
            }

            // Blocks whose hash the chain no longer has stay above the watermark until the indexer has re-indexed them.
            var unresolved = missing.Where(m => !times.Any(t => t.Hash == m.Hash)).Select(m => m.Number).DefaultIfEmpty(long.MaxValue).Min();
            var highest = missing.Select(m => m.Number).DefaultIfEmpty(_watermark).Max();
            _watermark = Math.Max(_watermark, Math.Min(highest, unresolved - 1));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CatchUpAsync(stoppingToken);
                await Task.Delay(options.Value.BlockClockPollMs, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (RpcException e)
            {
                logger.LogWarning("Audit block clock: chain unavailable ({Reason}); retrying", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }
}
