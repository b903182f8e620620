using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Provenance.Api.Records;

/// <summary>A stored off-chain record.</summary>
public sealed class StoredRecord
{
    /// <summary>Hash registered on chain when it was written (0x hex).</summary>
    public required string Hash { get; init; }

    /// <summary>Piece code.</summary>
    public required string PieceCode { get; init; }

    /// <summary>Position among the piece's records.</summary>
    public long Seq { get; init; }

    /// <summary>piece, event, handoff, status.</summary>
    public required string Kind { get; init; }

    /// <summary>Canonical JSON as stored (may have been altered: always re-hash before trusting it).</summary>
    public required string Json { get; init; }

    /// <summary>Operation that carried it.</summary>
    public required string OperationId { get; init; }
}

/// <summary>Off-chain records, keyed by piece and sequence, found by their on-chain hash.</summary>
public static class RecordStore
{
    /// <summary>Inserts a record in the caller's transaction.</summary>
    public static Task InsertAsync(
        SqliteConnection c, IDbTransaction tx, string pieceCode, string kind, string actorId, CanonicalRecord record,
        string operationId, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO records(hash, piece_code, seq, kind, actor_id, json, operation_id, created_at) " +
            "VALUES (@hash, @pieceCode, (SELECT COALESCE(MAX(seq), 0) + 1 FROM records WHERE piece_code = @pieceCode), @kind, @actorId, @json, @operationId, @now)",
            new { hash = record.HashHex, pieceCode, kind, actorId, json = record.Json, operationId, now = DateTimeOffset.UtcNow.ToString("O") },
            tx, cancellationToken: ct));

    /// <summary>All records of a piece in order.</summary>
    public static async Task<IReadOnlyList<StoredRecord>> ForPieceAsync(SqliteConnection c, string pieceCode, CancellationToken ct) =>
        (await c.QueryAsync<StoredRecord>(new CommandDefinition(
            "SELECT hash AS Hash, piece_code AS PieceCode, seq AS Seq, kind AS Kind, json AS Json, operation_id AS OperationId " +
            "FROM records WHERE piece_code = @pieceCode ORDER BY seq", new { pieceCode }, cancellationToken: ct))).AsList();
}
