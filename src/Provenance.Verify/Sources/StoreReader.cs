using Dapper;
using Microsoft.Data.Sqlite;
using Provenance.Ethereum;
using Provenance.Ethereum.Contracts.Registry;
using Provenance.Verify.Chain;

namespace Provenance.Verify.Sources;

/// <summary>
/// Reads a gateway's SQLite store directly, read-only and in one snapshot: its pieces and off-chain records, the
/// history its indexer copied from the chain (<c>chain_events</c>), its piece projection (<c>piece_state</c>) and its
/// cursor. Every record row is a claim to be re-hashed; records of confirmed operations must be on chain.
/// </summary>
public static class StoreReader
{
    private sealed record EventRow(
        long BlockNumber, long LogIndex, string TxHash, string PieceId, string? Kind, long Seq, string? Actor, string? Counterparty,
        string? RecordHash, string ArgsJson);

    private sealed record StateRow(string PieceId, string Status, string Custodian, string? Owner, long EventCount, string Head, long BlockNumber);

    private sealed record RecordRow(string Hash, string PieceId, long Seq, string Kind, string Json, string? OperationStatus);

    /// <summary>Reads the store at <paramref name="path"/> (opened read-only; the file must exist).</summary>
    public static async Task<IndexedView> ReadAsync(string path, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"store '{path}' not found", path);
        }

        var cs = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        await using var c = new SqliteConnection(cs);
        await c.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct); // one read snapshot (WAL)
        var cursor = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT block_number FROM index_cursor WHERE id = 1", transaction: tx, cancellationToken: ct)) ?? 0;
        var pieces = new Dictionary<string, IndexedPiece>(StringComparer.OrdinalIgnoreCase);
        IndexedPiece Piece(string id) => pieces.TryGetValue(id, out var p) ? p : pieces[id.ToLowerInvariant()] = new IndexedPiece(id);

        foreach (var (code, id) in await c.QueryAsync<(string, string)>(new CommandDefinition(
                     "SELECT code, piece_id FROM pieces", transaction: tx, cancellationToken: ct)))
        {
            Piece(id).Code = code;
        }

        var events = (await c.QueryAsync<EventRow>(new CommandDefinition(
            "SELECT block_number AS BlockNumber, log_index AS LogIndex, tx_hash AS TxHash, piece_id AS PieceId, kind AS Kind, seq AS Seq, " +
            "actor AS Actor, counterparty AS Counterparty, record_hash AS RecordHash, args_json AS ArgsJson " +
            "FROM chain_events WHERE piece_id IS NOT NULL ORDER BY block_number, log_index", transaction: tx, cancellationToken: ct))).ToList();
        foreach (var group in events.GroupBy(e => e.PieceId, StringComparer.OrdinalIgnoreCase))
        {
            Piece(group.Key).Histories.Add(new EventsClaim("chain_events", (ulong)cursor, group.Select(e => new EventClaim(
                e.Seq, e.Kind, Addr(e.Actor), Addr(e.Counterparty), e.RecordHash, HeadOf(e.ArgsJson), (ulong)e.BlockNumber,
                (ulong)e.LogIndex, e.TxHash)).ToList()));
        }

        foreach (var s in await c.QueryAsync<StateRow>(new CommandDefinition(
                     "SELECT piece_id AS PieceId, status AS Status, custodian AS Custodian, owner AS Owner, event_count AS EventCount, " +
                     "head AS Head, block_number AS BlockNumber FROM piece_state", transaction: tx, cancellationToken: ct)))
        {
            Piece(s.PieceId).States.Add(new StateClaim("piece_state", (ulong)s.BlockNumber,
                Enum.TryParse<PieceStatus>(s.Status, out var status) ? status : null, Addr(s.Custodian), Addr(s.Owner), s.EventCount, s.Head));
        }

        foreach (var r in await c.QueryAsync<RecordRow>(new CommandDefinition(
                     "SELECT r.hash AS Hash, p.piece_id AS PieceId, r.seq AS Seq, r.kind AS Kind, r.json AS Json, o.status AS OperationStatus " +
                     "FROM records r JOIN pieces p ON p.code = r.piece_code LEFT JOIN operations o ON o.id = r.operation_id",
                     transaction: tx, cancellationToken: ct)))
        {
            Piece(r.PieceId).Records.Add(new RecordClaim($"records row {r.Seq} ({r.Kind})", r.Hash, r.Json, r.OperationStatus == "confirmed"));
        }

        return new IndexedView("store", (ulong)cursor, pieces, RecordsComplete: true);
    }

    private static Address? Addr(string? text) => Address.TryParse(text, out var a) ? a : null;

    private static string? HeadOf(string args)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(args);
            return doc.RootElement.TryGetProperty("head", out var h) ? h.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
