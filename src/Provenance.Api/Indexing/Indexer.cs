using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Provenance.Api.Chain;
using Provenance.Api.Data;
using Provenance.Ethereum;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.JsonRpc;

namespace Provenance.Api.Indexing;

/// <summary>
/// Follows the registry's logs into SQLite: <c>eth_getLogs</c> paged by block range (EthClient.GetLogsPagedAsync),
/// each page's rows, the piece projection and the cursor committed in one transaction. It remembers the hash of every
/// block it indexed up to; when the chain's hash for the cursor block differs (a reorg or a restarted dev chain) it
/// walks back to the last block whose hash still matches, deletes what was indexed after it and re-indexes.
/// </summary>
public sealed partial class Indexer(
    Db db, EthClient eth, IRegistryCodec codec, Deployment deployment, IOptions<ChainOptions> options, IndexerStatus status,
    ILogger<Indexer> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                status.Indexed(await CatchUpAsync(stoppingToken));
                await Task.Delay(options.Value.IndexerPollMs, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is RpcException or NotSupportedException or ChainMovedException)
            {
                logger.LogWarning("Indexer: chain unavailable ({Reason}); retrying", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    /// <summary>Indexes up to the current head; returns the block indexed to.</summary>
    public async Task<long> CatchUpAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct); // one pass at a time (the loop, a rebuild)
        try
        {
            return await CatchUpLockedAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<long> CatchUpLockedAsync(CancellationToken ct)
    {
        var cursor = await RewindIfForkedAsync(ct);
        var head = (long)await eth.GetBlockNumberAsync(ct);
        if (head <= cursor)
        {
            return cursor;
        }

        var filter = new LogFilter
        {
            Addresses = [Address.Parse(deployment.Address)],
            Topics = [codec.IndexedTopics],
        };
        await foreach (var page in eth.GetLogsPagedAsync(filter, (ulong)(cursor + 1), (ulong)head, null, ct))
        {
            var decoded = page.Logs.Where(l => !l.Removed).Select(codec.Decode).OfType<PieceLog>().ToList();
            var (end, blockTimes) = await BlocksAsync(page.ToBlock, decoded.Select(d => (d.Log.BlockNumber, d.Log.BlockHash)), ct);
            await db.WriteAsync(async (c, tx) =>
            {
                foreach (var log in decoded)
                {
                    await InsertAsync(c, tx, log, blockTimes[log.Log.BlockNumber], ct);
                }

                foreach (var blockHash in page.Logs.Select(l => (l.BlockNumber, l.BlockHash)).Append((end.Number, end.Hash)).Distinct())
                {
                    await c.ExecuteAsync(new CommandDefinition(
                        "INSERT OR REPLACE INTO index_blocks(number, hash) VALUES (@n, @h)",
                        new { n = (long)blockHash.Item1, h = blockHash.Item2 }, tx, cancellationToken: ct));
                }

                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO index_cursor(id, block_number, block_hash) VALUES (1, @n, @h) " +
                    "ON CONFLICT(id) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash",
                    new { n = (long)end.Number, h = end.Hash }, tx, cancellationToken: ct));
                return 0;
            }, ct);
        }

        return head;
    }

    /// <summary>
    /// The page's end block and the time of every block holding one of its logs, in one JSON-RPC batch of
    /// <c>eth_getBlockByNumber</c> calls. A log's block must still carry the log's block hash; otherwise the chain moved
    /// since <c>eth_getLogs</c> and the page is read again on the next pass.
    /// </summary>
    private async Task<(Block End, Dictionary<ulong, long> Times)> BlocksAsync(
        ulong toBlock, IEnumerable<(ulong Number, string Hash)> logBlocks, CancellationToken ct)
    {
        var batch = new JsonRpcBatch();
        var end = batch.Add(EthCalls.GetBlockByNumber(toBlock));
        var blocks = logBlocks.Distinct()
            .Select(b => (b.Number, b.Hash, Block: b.Number == toBlock ? end : batch.Add(EthCalls.GetBlockByNumber(b.Number)))).ToList();
        await eth.Rpc.SendBatchAsync(batch, ct);
        var endBlock = await end ?? throw new ChainMovedException($"block {toBlock} not found");
        var times = new Dictionary<ulong, long> { [toBlock] = (long)endBlock.Timestamp };
        foreach (var (number, hash, task) in blocks)
        {
            var block = await task;
            if (block is null || !string.Equals(block.Hash, hash, StringComparison.OrdinalIgnoreCase))
            {
                throw new ChainMovedException($"block {number} is no longer {hash}");
            }

            times[number] = (long)block.Timestamp;
        }

        return (endBlock, times);
    }

    private async Task<long> RewindIfForkedAsync(CancellationToken ct)
    {
        var cursor = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<(long Number, string? Hash)?>(new CommandDefinition(
            "SELECT block_number, block_hash FROM index_cursor WHERE id = 1", cancellationToken: ct)), ct);
        if (cursor is null)
        {
            return Math.Max(0, deployment.DeployBlock - 1);
        }

        var (number, hash) = cursor.Value;
        var onChain = await eth.GetBlockByNumberAsync((ulong)number, ct);
        if (onChain is not null && string.Equals(onChain.Hash, hash, StringComparison.OrdinalIgnoreCase))
        {
            return number;
        }

        // Fork: find the newest remembered block that is still on the chain (headers read a batch at a time, newest first).
        var known = await db.ReadAsync(c => c.QueryAsync<(long Number, string Hash)>(new CommandDefinition(
            "SELECT number, hash FROM index_blocks WHERE number < @number ORDER BY number DESC", new { number }, cancellationToken: ct)), ct);
        var keep = Math.Max(0, deployment.DeployBlock - 1);
        foreach (var chunk in known.Chunk(RewindBatch))
        {
            var batch = new JsonRpcBatch();
            var headers = chunk.Select(k => (k.Number, k.Hash, Block: batch.Add(EthCalls.GetBlockByNumber((ulong)k.Number)))).ToList();
            await eth.Rpc.SendBatchAsync(batch, ct);
            var kept = await FirstStillOnChainAsync(headers);
            if (kept is { } n)
            {
                keep = n;
                break;
            }
        }

        logger.LogWarning("Indexer: block {Number} changed (reorg or chain reset); re-indexing after block {Keep}", number, keep);
        await db.WriteAsync(async (c, tx) =>
        {
            // Only pieces with an entry after the kept block change: a projection's block is its last entry's block.
            var remaining = (await c.QueryAsync<(string PieceId, string Name, string? Kind, long Seq, string? Actor, string? Counterparty, string ArgsJson, long Block, long? BlockTime)>(
                new CommandDefinition(
                    "SELECT piece_id, name, kind, seq, actor, counterparty, args_json, block_number, block_time FROM chain_events " +
                    "WHERE block_number <= @keep AND piece_id IN (SELECT piece_id FROM piece_state WHERE block_number > @keep) ORDER BY block_number, log_index",
                    new { keep }, tx, cancellationToken: ct))).ToList();
            await c.ExecuteAsync(new CommandDefinition(
                "DELETE FROM chain_events WHERE block_number > @keep; DELETE FROM index_blocks WHERE number > @keep; " +
                "DELETE FROM piece_state WHERE block_number > @keep;", new { keep }, tx, cancellationToken: ct));
            foreach (var e in remaining)
            {
                await ProjectAsync(c, tx, e.PieceId, Enum.Parse<EventKind>(e.Kind ?? "Note"), e.Seq, e.Actor ?? "", e.Counterparty,
                    HeadOf(e.ArgsJson), StatusOf(e.ArgsJson), e.Block, e.BlockTime, ct);
            }

            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE index_cursor SET block_number = @keep, block_hash = (SELECT hash FROM index_blocks WHERE number = @keep) WHERE id = 1",
                new { keep }, tx, cancellationToken: ct));
            return 0;
        }, ct);
        return keep;
    }

    private const int RewindBatch = 100;

    private static async Task<long?> FirstStillOnChainAsync(IEnumerable<(long Number, string Hash, Task<Block?> Block)> headers)
    {
        foreach (var (n, h, block) in headers)
        {
            if (await block is { } b && string.Equals(b.Hash, h, StringComparison.OrdinalIgnoreCase))
            {
                return n;
            }
        }

        return null;
    }

    private static async Task InsertAsync(SqliteConnection c, System.Data.IDbTransaction tx, PieceLog log, long blockTime, CancellationToken ct)
    {
        var args = System.Text.Json.JsonSerializer.Serialize(new IndexedArgs(log.Head, log.Status?.ToString(), log.Makers),
            Hosting.ApiJsonContext.Default.IndexedArgs);
        var inserted = await c.ExecuteAsync(new CommandDefinition(
            "INSERT OR IGNORE INTO chain_events(block_number, log_index, block_hash, tx_hash, piece_id, name, kind, seq, actor, counterparty, record_hash, args_json, block_time) " +
            "VALUES (@block, @logIndex, @blockHash, @txHash, @pieceId, @name, @kind, @seq, @actor, @counterparty, @recordHash, @args, @blockTime)",
            new
            {
                block = (long)log.Log.BlockNumber, logIndex = (long)log.Log.LogIndex, blockHash = log.Log.BlockHash,
                txHash = log.Log.TransactionHash, pieceId = log.PieceId, name = log.Name, kind = log.Kind.ToString(), seq = log.Seq,
                actor = log.Actor, counterparty = log.Counterparty, recordHash = log.RecordHash, args, blockTime,
            }, tx, cancellationToken: ct));
        if (inserted == 1)
        {
            await ProjectAsync(c, tx, log.PieceId, log.Kind, log.Seq, log.Actor, log.Counterparty, log.Head, log.Status,
                (long)log.Log.BlockNumber, blockTime, ct);
        }
    }

    /// <summary>Applies one history entry to the piece projection (status, custodian, owner, count, head).</summary>
    private static Task ProjectAsync(
        SqliteConnection c, System.Data.IDbTransaction tx, string pieceId, EventKind kind, long seq, string actor,
        string? counterparty, string head, PieceStatus? status, long block, long? blockTime, CancellationToken ct)
    {
        var sql = kind switch
        {
            EventKind.Registration =>
                "INSERT OR REPLACE INTO piece_state(piece_id, status, custodian, artisan, owner, claimed_at, event_count, head, block_number) " +
                "VALUES (@pieceId, 'Active', @actor, @actor, NULL, NULL, @seq, @head, @block)",
            EventKind.Handoff => "UPDATE piece_state SET custodian = @counterparty, event_count = @seq, head = @head, block_number = @block WHERE piece_id = @pieceId",
            EventKind.Sale => "UPDATE piece_state SET status = 'Sold', event_count = @seq, head = @head, block_number = @block WHERE piece_id = @pieceId",
            EventKind.Claim => "UPDATE piece_state SET status = 'Claimed', owner = @counterparty, claimed_at = @blockTime, event_count = @seq, head = @head, block_number = @block WHERE piece_id = @pieceId",
            EventKind.Flag or EventKind.Unflag or EventKind.Revocation =>
                "UPDATE piece_state SET status = @status, event_count = @seq, head = @head, block_number = @block WHERE piece_id = @pieceId",
            _ => "UPDATE piece_state SET event_count = @seq, head = @head, block_number = @block WHERE piece_id = @pieceId",
        };
        return c.ExecuteAsync(new CommandDefinition(sql,
            new { pieceId, actor, counterparty, seq, head, block, blockTime, status = status?.ToString() }, tx, cancellationToken: ct));
    }

    private static string HeadOf(string args) =>
        System.Text.Json.JsonSerializer.Deserialize(args, Hosting.ApiJsonContext.Default.IndexedArgs)!.Head;

    private static PieceStatus? StatusOf(string args) =>
        System.Text.Json.JsonSerializer.Deserialize(args, Hosting.ApiJsonContext.Default.IndexedArgs)!.Status is { } s
            ? Enum.Parse<PieceStatus>(s) : null;
}

/// <summary>The chain changed under a page being indexed (a block re-mined between <c>eth_getLogs</c> and its header).</summary>
internal sealed class ChainMovedException(string message) : Exception(message);

/// <summary>The decoded log fields kept beside the indexed columns.</summary>
public sealed record IndexedArgs(string Head, string? Status, string[] Makers);

/// <summary>When the indexer last caught up with the chain (for "live" versus "last verified" reads).</summary>
public sealed class IndexerStatus(TimeProvider time)
{
    private long _lastTicks;

    /// <summary>The last time the indexer reached the chain's head, or null.</summary>
    public DateTimeOffset? LastCaughtUp => Interlocked.Read(ref _lastTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>The block it reached then.</summary>
    public long Block { get; private set; }

    /// <summary>True when it caught up within <paramref name="window"/>.</summary>
    public bool IsLive(TimeSpan window) => LastCaughtUp is { } at && time.GetUtcNow() - at < window;

    internal void Indexed(long block)
    {
        Block = block;
        Interlocked.Exchange(ref _lastTicks, time.GetUtcNow().UtcTicks);
    }
}
