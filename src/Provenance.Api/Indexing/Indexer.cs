using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Provenance.Api.Chain;
using Provenance.Api.Data;
using Provenance.Ethereum;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.JsonRpc;
using SQLitePCL;

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
        var restored = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!restored)
                {
                    await RestoreIndexesAsync(stoppingToken); // a rebuild this store was in when its process stopped
                    restored = true;
                }

                status.Indexed(await CatchUpAsync(stoppingToken));
                await Task.Delay(options.Value.IndexerPollMs, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is RpcException or NotSupportedException or ChainMovedException or SqliteException { SqliteErrorCode: 5 })
            {
                logger.LogWarning("Indexer: chain or store unavailable ({Reason}); retrying", e.Message);
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

        var filter = HistoryFilter(deployment, codec);
        var attributes = new PieceAttributes();
        // Three stages: pages are downloaded ahead (ReadAhead), the next one is decoded and its blocks' times read while
        // this one is written.
        var pages = ReadAheadAsync(eth.GetLogsPagedAsync(filter, (ulong)(cursor + 1), (ulong)head, LogPaging, ct), PagesAhead, ct)
            .GetAsyncEnumerator(ct);
        async Task<PreparedPage?> PrepareNextAsync() => await pages.MoveNextAsync() ? await PrepareAsync(pages.Current, ct) : null;
        var next = PrepareNextAsync();
        try
        {
            while (await next is { } page)
            {
                next = PrepareNextAsync();
                await WriteAsync(page, attributes, ct);
            }
        }
        finally
        {
            try
            {
                await next; // the enumerator cannot be disposed while it is fetching
            }
            catch (Exception)
            {
                // already propagating (the prefetch failed), or superseded by the failure of the page being written
            }

            await pages.DisposeAsync();
        }

        return head;
    }

    /// <summary>
    /// Pages downloaded ahead of the one being decoded. The download of a page (the node's work and the parsing of its
    /// JSON) is the longest stage; started only once the page before was decoded, it waited for that decoding on every
    /// page. Two pages waiting keep the download going while a decode or a write takes longer than usual.
    /// </summary>
    private const int PagesAhead = 2;

    /// <summary>
    /// Enumerates <paramref name="source"/> on a task of its own, up to <paramref name="depth"/> items ahead of the
    /// consumer; its failure reaches the consumer at the item it failed on, and leaving the enumeration stops it.
    /// </summary>
    internal static async IAsyncEnumerable<T> ReadAheadAsync<T>(
        IAsyncEnumerable<T> source, int depth, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var ahead = System.Threading.Channels.Channel.CreateBounded<T>(
            new System.Threading.Channels.BoundedChannelOptions(depth) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in source.WithCancellation(stop.Token))
                {
                    await ahead.Writer.WriteAsync(item, stop.Token);
                }

                ahead.Writer.Complete();
            }
            catch (Exception e)
            {
                ahead.Writer.Complete(e);
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var item in ahead.Reader.ReadAllAsync(ct))
            {
                yield return item;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await producer; // completes the channel, never throws
        }
    }

    /// <summary>
    /// Block ranges of 50: small enough that a dense history's pages overlap from the start (one written while the next
    /// is fetched and decoded; with ranges of 250 the benchmark's 100,000 logs came in three pages, the first 38,000 logs
    /// downloaded and decoded before anything was written), large enough that a sparse chain is read in few calls (the
    /// node splits nothing it can answer). The raw download of the benchmark's logs took the same time and CPU in
    /// ranges of 50 as of 250.
    /// </summary>
    public static LogPagingOptions LogPaging { get; } = new() { MaxBlockRange = 50 };

    /// <summary>The logs the indexer follows: the registry's history events (also the benchmark's raw-download filter).</summary>
    public static LogFilter HistoryFilter(Deployment deployment, IRegistryCodec codec) => new()
    {
        Addresses = [Address.Parse(deployment.Address)],
        Topics = [codec.IndexedTopics],
    };

    /// <summary>A page ready to write: its history entries, its end block and the time of each block with a log.</summary>
    private sealed record PreparedPage(List<PieceLog> Decoded, Block End, Dictionary<ulong, long> Times);

    /// <summary>
    /// Decodes a page's logs (in parallel when there are many) while their blocks' times are read (the blocks are known
    /// from the raw logs, so the header batch does not wait for the decoding).
    /// </summary>
    private async Task<PreparedPage> PrepareAsync(LogPage page, CancellationToken ct)
    {
        var live = page.Logs.Where(l => !l.Removed).ToList();
        var blocks = BlocksAsync(page.ToBlock, live.Select(l => (l.BlockNumber, l.BlockHash)), ct);
        var decoded = (live.Count > 256 ? live.AsParallel().AsOrdered().WithCancellation(ct).Select(codec.Decode) : live.Select(codec.Decode))
            .OfType<PieceLog>().ToList();
        var (end, blockTimes) = await blocks;
        return new PreparedPage(decoded, end, blockTimes);
    }

    /// <summary>
    /// Writes a page in one transaction: the events, the projection (one row per piece the page touches, folded in
    /// memory), the remembered block hashes and the cursor.
    /// </summary>
    private Task WriteAsync(PreparedPage prepared, PieceAttributes attributes, CancellationToken ct)
    {
        var (decoded, end, blockTimes) = prepared;
        return PageTransactionAsync(async (c, tx) =>
        {
            await attributes.LoadAsync(c, tx, decoded, ct);
            using var statements = new Statements(c);
            var projection = new Projection();
            foreach (var log in decoded)
            {
                var blockTime = blockTimes[log.Log.BlockNumber];
                if (Insert(statements, log, blockTime, attributes[log.PieceId], ct))
                {
                    if (log.Kind == EventKind.Registration)
                    {
                        foreach (var maker in log.Makers.Where(m => m != log.Actor))
                        {
                            statements.Execute(InsertCoMaker, ct, ("@address", maker), ("@pieceId", log.PieceId), ("@block", (long)log.Log.BlockNumber));
                        }
                    }

                    projection.Apply(log.PieceId, log.Kind, log.Seq, log.Actor, log.Counterparty, log.Head, log.Status, (long)log.Log.BlockNumber, blockTime);
                }
            }

            projection.Write(statements, ct);
            // The blocks whose hashes BlocksAsync checked: those of the entries, and the page's end.
            foreach (var blockHash in decoded.Select(d => (d.Log.BlockNumber, d.Log.BlockHash)).Append((end.Number, end.Hash)).Distinct())
            {
                statements.Execute("INSERT OR REPLACE INTO index_blocks(number, hash) VALUES (@n, @h)", ct,
                    ("@n", (long)blockHash.Item1), ("@h", blockHash.Item2));
            }

            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO index_cursor(id, block_number, block_hash) VALUES (1, @n, @h) " +
                "ON CONFLICT(id) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash",
                new { n = (long)end.Number, h = end.Hash }, tx, cancellationToken: ct));
        }, ct);
    }

    /// <summary>
    /// A page's write in a transaction of its own, under the store's write gate (so it queues with the group writer's
    /// commits like any write) but not under the group writer's savepoint: inside a savepoint SQLite copies every page a
    /// write touches to a statement journal first, which for a page of tens of thousands of rows cost more than the
    /// rows themselves (the rebuild's inserts took about 2.8 times as long). The connection's page cache is raised for
    /// the transaction (<see cref="PageCacheKib"/>), so the indexes' pages stay in memory instead of being re-read from
    /// the file for each row, and set back afterwards (connections are pooled).
    /// </summary>
    private async Task PageTransactionAsync(Func<SqliteConnection, SqliteTransaction, Task> work, CancellationToken ct)
    {
        await using var connection = await IndexConnection.OpenAsync(db, ct);
        await connection.CommitAsync(work, ct);
    }

    /// <summary>
    /// A connection for the indexer's own transactions, each committed under the store's write gate. Its page cache is
    /// raised (<see cref="PageCacheKib"/>), and its commits are <c>synchronous=NORMAL</c>: the index is derived from the
    /// chain, so a commit that a power cut takes back (never a process crash, in WAL mode; and always whole, with the
    /// cursor it moved) is indexed again on the next pass; skipping an fsync per page leaves the disk to the commits of
    /// acknowledged writes. Both are set back when the connection returns to the pool.
    /// </summary>
    private sealed class IndexConnection : IAsyncDisposable
    {
        private readonly Db _db;
        private readonly SqliteConnection _connection;
        private readonly long _cacheSize;

        private IndexConnection(Db db, SqliteConnection connection, long cacheSize) =>
            (_db, _connection, _cacheSize) = (db, connection, cacheSize);

        public static async Task<IndexConnection> OpenAsync(Db db, CancellationToken ct)
        {
            var c = await db.OpenAsync(ct);
            var cache = await c.ExecuteScalarAsync<long>(new CommandDefinition("PRAGMA cache_size", cancellationToken: ct));
            var connection = new IndexConnection(db, c, cache);
            await c.ExecuteAsync(new CommandDefinition($"PRAGMA cache_size = -{PageCacheKib}; PRAGMA synchronous = NORMAL", cancellationToken: ct));
            return connection;
        }

        public async Task CommitAsync(Func<SqliteConnection, SqliteTransaction, Task> work, CancellationToken ct)
        {
            await using var gate = await _db.EnterWriteGateAsync(ct);
            await using var tx = _connection.BeginTransaction(deferred: false);
            await work(_connection, tx);
            await tx.CommitAsync(ct);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await _connection.ExecuteAsync(new CommandDefinition(
                    $"PRAGMA cache_size = {_cacheSize}; PRAGMA synchronous = FULL", cancellationToken: CancellationToken.None));
            }
            finally
            {
                await _connection.DisposeAsync();
            }
        }
    }

    /// <summary>The page cache (KiB) of the connection writing a page: room for the chain events' indexes of a large store.</summary>
    private const int PageCacheKib = 256 * 1024;

    /// <summary>
    /// The page's end block and the time of every block holding one of its logs, in one JSON-RPC batch of
    /// <c>eth_getBlockByNumber</c> calls. A log's block must still carry the log's block hash; otherwise the chain moved
    /// since <c>eth_getLogs</c> and the page is read again on the next pass.
    /// </summary>
    private async Task<(Block End, Dictionary<ulong, long> Times)> BlocksAsync(
        ulong toBlock, IEnumerable<(ulong Number, string Hash)> logBlocks, CancellationToken ct)
    {
        var wanted = logBlocks.Distinct().ToList();
        var numbers = wanted.Select(b => b.Number).Prepend(toBlock).Distinct().ToArray();
        var headers = numbers.Zip(await HeadersAsync(numbers, ct)).ToDictionary(p => p.First, p => p.Second);
        var endBlock = headers[toBlock] ?? throw new ChainMovedException($"block {toBlock} not found");
        var times = new Dictionary<ulong, long> { [toBlock] = (long)endBlock.Timestamp };
        foreach (var (number, hash) in wanted)
        {
            var block = headers[number];
            if (!IsStill(block, hash))
            {
                throw new ChainMovedException($"block {number} is no longer {hash}");
            }

            times[number] = (long)block.Timestamp;
        }

        return (endBlock, times);
    }

    /// <summary>The headers of <paramref name="numbers"/> (null where the node has no such block), in one JSON-RPC batch.</summary>
    private async Task<Block?[]> HeadersAsync(IReadOnlyCollection<ulong> numbers, CancellationToken ct)
    {
        var batch = new JsonRpcBatch();
        var calls = numbers.Select(n => batch.Add(EthCalls.GetBlockByNumber(n))).ToList();
        await eth.Rpc.SendBatchAsync(batch, ct);
        return await Task.WhenAll(calls);
    }

    /// <summary>True when the node's header <paramref name="block"/> is still the block remembered as <paramref name="hash"/>.</summary>
    private static bool IsStill([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] Block? block, string? hash) =>
        block is not null && string.Equals(block.Hash, hash, StringComparison.OrdinalIgnoreCase);

    private async Task<long> RewindIfForkedAsync(CancellationToken ct)
    {
        var cursor = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<(long Number, string? Hash)?>(new CommandDefinition(
            "SELECT block_number, block_hash FROM index_cursor WHERE id = 1", cancellationToken: ct)), ct);
        if (cursor is null)
        {
            return Math.Max(0, deployment.DeployBlock - 1);
        }

        var (number, hash) = cursor.Value;
        if (IsStill(await eth.GetBlockByNumberAsync((ulong)number, ct), hash))
        {
            return number;
        }

        // Fork: find the newest remembered block that is still on the chain (headers read a batch at a time, newest first).
        var known = await db.ReadAsync(c => c.QueryAsync<(long Number, string Hash)>(new CommandDefinition(
            "SELECT number, hash FROM index_blocks WHERE number < @number ORDER BY number DESC", new { number }, cancellationToken: ct)), ct);
        var keep = Math.Max(0, deployment.DeployBlock - 1);
        foreach (var chunk in known.Chunk(RewindBatch))
        {
            var headers = await HeadersAsync(chunk.Select(k => (ulong)k.Number).ToArray(), ct);
            var kept = chunk.Zip(headers).Where(p => IsStill(p.Second, p.First.Hash)).Select(p => (long?)p.First.Number).FirstOrDefault();
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
                "DELETE FROM chain_events WHERE block_number > @keep; DELETE FROM chain_co_makers WHERE block_number > @keep; " +
                "DELETE FROM index_blocks WHERE number > @keep; " +
                "DELETE FROM piece_state WHERE block_number > @keep;", new { keep }, tx, cancellationToken: ct));
            using (var statements = new Statements(c))
            {
                var projection = new Projection();
                foreach (var e in remaining)
                {
                    var args = System.Text.Json.JsonSerializer.Deserialize(e.ArgsJson, Hosting.ApiJsonContext.Default.IndexedArgs)!;
                    projection.Apply(e.PieceId, Enum.Parse<EventKind>(e.Kind ?? "Note"), e.Seq, e.Actor ?? "", e.Counterparty,
                        args.Head, args.Status is { } st ? Enum.Parse<PieceStatus>(st) : null, e.Block, e.BlockTime);
                }

                projection.Write(statements, ct);
            }

            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE index_cursor SET block_number = @keep, block_hash = (SELECT hash FROM index_blocks WHERE number = @keep) WHERE id = 1",
                new { keep }, tx, cancellationToken: ct));
            return 0;
        }, ct);
        return keep;
    }

    private const int RewindBatch = 100;

    private const string InsertEvent =
        "INSERT OR IGNORE INTO chain_events(block_number, log_index, block_hash, tx_hash, piece_id, name, kind, seq, actor, counterparty, record_hash, args_json, block_time, artisan, craft, cluster) " +
        "VALUES (@block, @logIndex, @blockHash, @txHash, @pieceId, @name, @kind, @seq, @actor, @counterparty, @recordHash, @args, @blockTime, @artisan, @craft, @cluster)";

    /// <summary>A registration's maker other than its artisan (the audit's artisan filter, <see cref="Audit.AuditSchema.FilterColumns"/>).</summary>
    private const string InsertCoMaker =
        "INSERT OR IGNORE INTO chain_co_makers(address, piece_id, block_number) VALUES (@address, @pieceId, @block)";

    /// <summary>Inserts a history entry; false when it was indexed before (then the projection already has it).</summary>
    private static bool Insert(Statements statements, PieceLog log, long blockTime, PieceAttributes.Values piece, CancellationToken ct)
    {
        var args = System.Text.Json.JsonSerializer.Serialize(new IndexedArgs(log.Head, log.Status?.ToString(), log.Makers),
            Hosting.ApiJsonContext.Default.IndexedArgs);
        return statements.Execute(InsertEvent, ct,
            ("@block", (long)log.Log.BlockNumber), ("@logIndex", (long)log.Log.LogIndex), ("@blockHash", log.Log.BlockHash),
            ("@txHash", log.Log.TransactionHash), ("@pieceId", log.PieceId), ("@name", log.Name), ("@kind", log.Kind.ToString()),
            ("@seq", log.Seq), ("@actor", log.Actor), ("@counterparty", log.Counterparty), ("@recordHash", log.RecordHash), ("@args", args),
            ("@blockTime", blockTime), ("@artisan", piece.Artisan), ("@craft", piece.Craft), ("@cluster", piece.Cluster)) == 1;
    }

    /// <summary>
    /// The artisan, craft and cluster of each piece a pass indexes, written on every event of the piece (the audit
    /// filters' ordered indexes, <see cref="Audit.AuditSchema.FilterColumns"/>): read once per piece and pass, with one
    /// query per page for the pieces it has not seen yet, using the same expressions as the migration's backfill. The
    /// artisan is the registration's actor — from the page itself when the registration is in it, else from the
    /// projection written by an earlier page.
    /// </summary>
    private sealed class PieceAttributes
    {
        public readonly record struct Values(string? Artisan, string? Craft, string? Cluster);

        /// <summary>Pieces remembered at most (a pass over a larger history reads some twice).</summary>
        private const int MaxPieces = 1_000_000;

        private const string Lookup =
            $"SELECT piece_id AS PieceId, {Audit.AuditSchema.ArtisanOfPiece} AS Artisan, {Audit.AuditSchema.CraftOfPiece} AS Craft, " +
            $"{Audit.AuditSchema.ClusterOfPiece} AS Cluster FROM (SELECT value AS piece_id FROM json_each(@ids)) AS chain_events";

        private readonly Dictionary<string, Values> _pieces = new(StringComparer.Ordinal);

        public Values this[string pieceId] => _pieces[pieceId];

        public async Task LoadAsync(SqliteConnection c, SqliteTransaction tx, List<PieceLog> logs, CancellationToken ct)
        {
            var registered = new Dictionary<string, string>(StringComparer.Ordinal);
            var missing = new HashSet<string>(StringComparer.Ordinal);
            foreach (var log in logs)
            {
                if (log.Kind == EventKind.Registration)
                {
                    registered[log.PieceId] = log.Actor;
                }

                if (!_pieces.ContainsKey(log.PieceId))
                {
                    missing.Add(log.PieceId);
                }
            }

            if (missing.Count == 0)
            {
                return;
            }

            if (_pieces.Count + missing.Count > MaxPieces)
            {
                _pieces.Clear();
            }

            var ids = System.Text.Json.JsonSerializer.Serialize(missing.ToArray(), Hosting.ApiJsonContext.Default.StringArray);
            foreach (var row in await c.QueryAsync<(string PieceId, string? Artisan, string? Craft, string? Cluster)>(
                         new CommandDefinition(Lookup, new { ids }, tx, cancellationToken: ct)))
            {
                _pieces[row.PieceId] = new Values(registered.GetValueOrDefault(row.PieceId) ?? row.Artisan, row.Craft, row.Cluster);
            }
        }
    }

    /// <summary>
    /// The piece projection (status, custodian, artisan, owner, count, head) after a run of history entries, folded in
    /// memory in chain order and written once per piece: a registration gives the whole row; a later entry sets the
    /// columns it changes (a handoff the custodian, a sale or status change the status, a claim status, owner and
    /// claim time) and always the count, head and block.
    /// </summary>
    private sealed class Projection
    {
        private sealed class Row
        {
            public bool Registered, Claimed;
            public string? Status, Custodian, Artisan, Owner;
            public long? ClaimedAt;
            public long Seq, Block;
            public string Head = "";
        }

        private readonly Dictionary<string, Row> _rows = new(StringComparer.Ordinal);

        public void Apply(string pieceId, EventKind kind, long seq, string actor, string? counterparty, string head, PieceStatus? status, long block, long? blockTime)
        {
            if (!_rows.TryGetValue(pieceId, out var row))
            {
                _rows[pieceId] = row = new Row();
            }

            switch (kind)
            {
                case EventKind.Registration:
                    row.Registered = true;
                    row.Claimed = false;
                    row.Status = "Active";
                    row.Custodian = row.Artisan = actor;
                    row.Owner = null;
                    row.ClaimedAt = null;
                    break;
                case EventKind.Handoff:
                    row.Custodian = counterparty;
                    break;
                case EventKind.Sale:
                    row.Status = "Sold";
                    break;
                case EventKind.Claim:
                    row.Status = "Claimed";
                    row.Owner = counterparty;
                    row.ClaimedAt = blockTime;
                    row.Claimed = true;
                    break;
                case EventKind.Flag or EventKind.Unflag or EventKind.Revocation:
                    row.Status = status?.ToString();
                    break;
            }

            row.Seq = seq;
            row.Head = head;
            row.Block = block;
        }

        public void Write(Statements statements, CancellationToken ct)
        {
            foreach (var (pieceId, r) in _rows)
            {
                if (r.Registered)
                {
                    statements.Execute(
                        "INSERT OR REPLACE INTO piece_state(piece_id, status, custodian, artisan, owner, claimed_at, event_count, head, block_number) " +
                        "VALUES (@pieceId, @status, @custodian, @artisan, @owner, @claimedAt, @seq, @head, @block)", ct,
                        ("@pieceId", pieceId), ("@status", r.Status), ("@custodian", r.Custodian), ("@artisan", r.Artisan), ("@owner", r.Owner),
                        ("@claimedAt", r.ClaimedAt), ("@seq", r.Seq), ("@head", r.Head), ("@block", r.Block));
                }
                else
                {
                    statements.Execute(
                        "UPDATE piece_state SET status = COALESCE(@status, status), custodian = COALESCE(@custodian, custodian), " +
                        "owner = CASE WHEN @claimed THEN @owner ELSE owner END, claimed_at = CASE WHEN @claimed THEN @claimedAt ELSE claimed_at END, " +
                        "event_count = @seq, head = @head, block_number = @block WHERE piece_id = @pieceId", ct,
                        ("@pieceId", pieceId), ("@status", r.Status), ("@custodian", r.Custodian), ("@owner", r.Owner), ("@claimedAt", r.ClaimedAt),
                        ("@claimed", r.Claimed), ("@seq", r.Seq), ("@head", r.Head), ("@block", r.Block));
                }
            }
        }
    }

    /// <summary>
    /// The indexer's statements on the connection of the transaction it writes in, each prepared once and run for every
    /// log (a rebuild writes a row per log: re-parsing each statement per row, as a fresh command does, cost more than
    /// the download). They run on SQLite's own statement API (SQLitePCLRaw, under Microsoft.Data.Sqlite): parameters bound
    /// by position, one step and a reset per row; a command through ADO.NET looked each parameter up by name and went
    /// through a data reader for every row, which cost about as much as SQLite's own work for the row. Values bind as
    /// ADO.NET would bind them (text, 64-bit integer, a bool as 0/1, null), so the rows are the same.
    /// </summary>
    private sealed class Statements(SqliteConnection connection) : IDisposable
    {
        private readonly Dictionary<string, (sqlite3_stmt Statement, int[] Positions)> _statements = new(StringComparer.Ordinal);

        public int Execute(string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
        {
            ct.ThrowIfCancellationRequested();
            var db = connection.Handle!;
            if (!_statements.TryGetValue(sql, out var prepared))
            {
                SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out var statement), db);
                var positions = parameters.Select(p => raw.sqlite3_bind_parameter_index(statement, p.Name)).ToArray();
                if (positions.Contains(0) || raw.sqlite3_bind_parameter_count(statement) != positions.Length)
                {
                    statement.Dispose();
                    throw new InvalidOperationException($"The parameters given do not match the statement's: {sql}");
                }

                _statements[sql] = prepared = (statement, positions);
            }

            var (stmt, at) = prepared;
            for (var i = 0; i < parameters.Length; i++)
            {
                var rc = parameters[i].Value switch
                {
                    null => raw.sqlite3_bind_null(stmt, at[i]),
                    string text => raw.sqlite3_bind_text(stmt, at[i], text),
                    long number => raw.sqlite3_bind_int64(stmt, at[i], number),
                    int number => raw.sqlite3_bind_int64(stmt, at[i], number),
                    bool flag => raw.sqlite3_bind_int64(stmt, at[i], flag ? 1 : 0),
                    var other => throw new ArgumentException($"No binding for a {other.GetType().Name} ({parameters[i].Name}).", nameof(parameters)),
                };
                SqliteException.ThrowExceptionForRC(rc, db);
            }

            try
            {
                var step = raw.sqlite3_step(stmt);
                if (step != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(step, db);
                }

                return raw.sqlite3_changes(db);
            }
            finally
            {
                raw.sqlite3_reset(stmt);
            }
        }

        public void Dispose()
        {
            foreach (var (statement, _) in _statements.Values)
            {
                statement.Dispose();
            }
        }
    }
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
