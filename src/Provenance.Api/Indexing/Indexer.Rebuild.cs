using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Provenance.Api.Data;

namespace Provenance.Api.Indexing;

/// <summary>Rebuilding the index from the chain alone, and the digest that shows two indexes are the same.</summary>
public sealed partial class Indexer
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Drops the index (events, co-makers, piece projection, remembered block hashes, cursor) and indexes again from the deployment
    /// block, using nothing but the chain. Returns the block indexed to. The index tables' secondary indexes are set
    /// aside while the pages go in and created again at the end (<see cref="DeferIndexesAsync"/>).
    /// </summary>
    public async Task<long> RebuildAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await PageTransactionAsync(async (c, tx) =>
            {
                await DeferIndexesAsync(c, tx, ct);
                await c.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM chain_events; DELETE FROM chain_co_makers; DELETE FROM piece_state; DELETE FROM index_blocks; DELETE FROM index_cursor;",
                    transaction: tx, cancellationToken: ct));
            }, ct);
            logger.LogWarning("Indexer: index dropped; rebuilding from block {From}", deployment.DeployBlock);
            try
            {
                return await CatchUpLockedAsync(ct);
            }
            finally
            {
                await RestoreIndexesLockedAsync(CancellationToken.None);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The tables a rebuild refills, whose secondary indexes it sets aside meanwhile.</summary>
    private const string RebuiltTables = "'chain_events', 'chain_co_makers', 'piece_state', 'index_blocks'";

    /// <summary>
    /// Drops the secondary indexes of the tables a rebuild refills, their definitions kept in <c>index_deferred</c> in the
    /// same transaction. Filling a table and then creating each index in one sorted pass costs less than keeping the
    /// indexes (eight B-trees on <c>chain_events</c>, most keyed by random text) up to date row by row: in the
    /// benchmark's rebuild of 100,000 events about 0.65 s against 1.0 s. Until they are back, reads of these tables
    /// scan them (the index is being rebuilt, so they are incomplete anyway).
    /// </summary>
    private static async Task DeferIndexesAsync(SqliteConnection c, SqliteTransaction tx, CancellationToken ct)
    {
        var indexes = (await c.QueryAsync<(string Name, string Sql)>(new CommandDefinition(
            $"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({RebuiltTables})",
            transaction: tx, cancellationToken: ct))).ToList();
        foreach (var (name, sql) in indexes)
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT OR REPLACE INTO index_deferred(name, sql) VALUES (@name, @sql)", new { name, sql }, tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition($"DROP INDEX \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"",
                transaction: tx, cancellationToken: ct));
        }
    }

    /// <summary>
    /// Creates again every index a rebuild set aside (<see cref="DeferIndexesAsync"/>): each in a transaction of its own
    /// that also removes its definition, so the store's write gate is held for one index at a time and a crash leaves
    /// the rest listed. Runs at the end of a rebuild, whatever its outcome, and when the indexer starts (a process
    /// that stopped mid-rebuild); the live indexer then goes on from the last page committed.
    /// </summary>
    public async Task RestoreIndexesAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await RestoreIndexesLockedAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RestoreIndexesLockedAsync(CancellationToken ct)
    {
        var deferred = await db.ReadAsync(c => c.QueryAsync<(string Name, string Sql)>(new CommandDefinition(
            "SELECT name, sql FROM index_deferred ORDER BY name", cancellationToken: ct)), ct);
        // One connection for all of them: its page cache keeps the table read by the first for the next.
        await using var connection = await IndexConnection.OpenAsync(db, ct);
        foreach (var (name, sql) in deferred)
        {
            await connection.CommitAsync(async (c, tx) =>
            {
                // A migration may have created (or replaced) an index of that name since it was set aside.
                if (await c.ExecuteScalarAsync<long>(new CommandDefinition(
                        "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = @name", new { name }, tx, cancellationToken: ct)) == 0)
                {
                    await c.ExecuteAsync(new CommandDefinition(sql, transaction: tx, cancellationToken: ct));
                }

                await c.ExecuteAsync(new CommandDefinition("DELETE FROM index_deferred WHERE name = @name", new { name }, tx, cancellationToken: ct));
            }, ct);
        }
    }

    /// <summary>Step 105: where a rebuild keeps the definitions of the indexes it set aside.</summary>
    public const string DeferredIndexesTable = """
        CREATE TABLE index_deferred (
            name  TEXT PRIMARY KEY,
            sql   TEXT NOT NULL
        );
        """;

    /// <summary>
    /// SHA-256 over the indexed history (every column of <c>chain_events</c>, by block and log index) and the piece
    /// projection (by piece id), up to <paramref name="toBlock"/>: equal digests mean equal indexes.
    /// </summary>
    public static Task<string> DigestAsync(Db db, long toBlock, CancellationToken ct) =>
        db.ReadAsync(c => DigestAsync(c, toBlock, ct), ct);

    /// <summary>The digest on an open connection.</summary>
    public static async Task<string> DigestAsync(SqliteConnection c, long toBlock, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(IDictionary<string, object?> row)
        {
            foreach (var (name, value) in row.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                sha.AppendData(Encoding.UTF8.GetBytes($"{name}={value}\u001f"));
            }

            sha.AppendData("\u001e"u8);
        }

        foreach (var row in await c.QueryAsync(new CommandDefinition(
                     "SELECT * FROM chain_events WHERE block_number <= @toBlock ORDER BY block_number, log_index", new { toBlock }, cancellationToken: ct)))
        {
            Add((IDictionary<string, object?>)row);
        }

        sha.AppendData("\u001d"u8);
        foreach (var row in await c.QueryAsync(new CommandDefinition(
                     "SELECT * FROM piece_state WHERE block_number <= @toBlock ORDER BY piece_id", new { toBlock }, cancellationToken: ct)))
        {
            Add((IDictionary<string, object?>)row);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
