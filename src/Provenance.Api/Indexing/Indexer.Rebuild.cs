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
    /// block, using nothing but the chain. Returns the block indexed to.
    /// </summary>
    public async Task<long> RebuildAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await db.WriteAsync(async (c, tx) => await c.ExecuteAsync(new CommandDefinition(
                "DELETE FROM chain_events; DELETE FROM chain_co_makers; DELETE FROM piece_state; DELETE FROM index_blocks; DELETE FROM index_cursor;",
                transaction: tx, cancellationToken: ct)), ct);
            logger.LogWarning("Indexer: index dropped; rebuilding from block {From}", deployment.DeployBlock);
            return await CatchUpLockedAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

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
