using System.Data;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Provenance.Api.Chain;
using Provenance.Api.Data;
using Provenance.Api.Hosting;

namespace Provenance.Api.Operations;

/// <summary>A stored operation row.</summary>
public sealed class OperationRow
{
    /// <summary>Operation id.</summary>
    public required string Id { get; init; }

    /// <summary>register, appendEvent, handoff, flag, unflag, revoke, claim, grantRole.</summary>
    public required string Kind { get; init; }

    /// <summary>Status.</summary>
    public required string Status { get; init; }

    /// <summary>Piece code, when the operation concerns a piece.</summary>
    public string? PieceCode { get; init; }

    /// <summary>The signed action (or the grant) as JSON.</summary>
    public required string ActionJson { get; init; }

    /// <summary>Transaction that carried it.</summary>
    public string? TxHash { get; init; }

    /// <summary>Block it was mined in.</summary>
    public long? BlockNumber { get; init; }

    /// <summary>Failure code.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Failure detail.</summary>
    public string? ErrorDetail { get; init; }

    /// <summary>ISO 8601.</summary>
    public required string CreatedAt { get; init; }

    /// <summary>ISO 8601.</summary>
    public required string UpdatedAt { get; init; }

    /// <summary>The API view.</summary>
    public OperationView ToView() => new(Id, Kind, Status, PieceCode, TxHash, BlockNumber,
        ErrorCode is null ? null : new OperationError(ErrorCode, ErrorDetail ?? ErrorCode),
        DateTimeOffset.Parse(CreatedAt, System.Globalization.CultureInfo.InvariantCulture),
        DateTimeOffset.Parse(UpdatedAt, System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>A role grant queued for the relayer (sent as a direct <c>grantRole</c> transaction).</summary>
public sealed record RoleGrant(string Role, string Account);

/// <summary>Operations: the durable queue between the API and the relayer, and their status.</summary>
public sealed class OperationStore(Db db)
{
    private const string Columns =
        "id AS Id, kind AS Kind, status AS Status, piece_code AS PieceCode, action_json AS ActionJson, tx_hash AS TxHash, " +
        "block_number AS BlockNumber, error_code AS ErrorCode, error_detail AS ErrorDetail, created_at AS CreatedAt, updated_at AS UpdatedAt";

    /// <summary>New unguessable operation id (128 random bits).</summary>
    public static string NewId() => "op_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Inserts a pending signed action in the caller's transaction.</summary>
    public static async Task<string> InsertActionAsync(
        SqliteConnection c, IDbTransaction tx, string kind, string? actorId, string? pieceCode, SignedAction action,
        CancellationToken ct)
    {
        var id = NewId();
        var receiver = action.Action == ActionType.Handoff ? action.Account : null;
        await InsertAsync(c, tx, id, kind, actorId, pieceCode, action.Signer, receiver,
            JsonSerializer.Serialize(action, ApiJsonContext.Default.SignedAction), ct);
        return id;
    }

    /// <summary>Inserts a pending role grant in the caller's transaction.</summary>
    public static async Task<string> InsertGrantAsync(
        SqliteConnection c, IDbTransaction tx, string actorId, RoleGrant grant, CancellationToken ct)
    {
        var id = NewId();
        await InsertAsync(c, tx, id, "grantRole", actorId, null, null, grant.Account,
            JsonSerializer.Serialize(grant, ApiJsonContext.Default.RoleGrant), ct);
        return id;
    }

    /// <summary>An operation by id.</summary>
    public Task<OperationRow?> FindAsync(string id, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<OperationRow>(new CommandDefinition(
            $"SELECT {Columns} FROM operations WHERE id = @id", new { id }, cancellationToken: ct)), ct);

    /// <summary>
    /// True when the chain's state is the whole truth for a simulation: nothing pending or submitted on the piece, no
    /// pending role grant for <paramref name="roleHolders"/>, and no pending action by <paramref name="nonceHolders"/>
    /// (whose signatures a simulation checks against their on-chain nonce).
    /// </summary>
    public Task<bool> IsSettledAsync(
        string? pieceCode, IEnumerable<string> roleHolders, IEnumerable<string> nonceHolders, CancellationToken ct)
    {
        var grants = roleHolders.Select(a => a.ToLowerInvariant()).Distinct().ToArray();
        var signers = nonceHolders.Select(a => a.ToLowerInvariant()).Distinct().ToArray();
        return db.ReadAsync(async c => await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM operations WHERE status IN ('pending','submitted') AND (piece_code = @pieceCode " +
            "OR (kind = 'grantRole' AND lower(receiver) IN @grants) OR lower(signer) IN @signers OR lower(receiver) IN @signers)",
            new { pieceCode, grants, signers }, cancellationToken: ct)) == 0, ct);
    }

    private static Task InsertAsync(
        SqliteConnection c, IDbTransaction tx, string id, string kind, string? actorId, string? pieceCode, string? signer,
        string? receiver, string json, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow.ToString("O");
        return c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO operations(id, kind, actor_id, piece_code, status, signer, receiver, action_json, created_at, updated_at) " +
            "VALUES (@id, @kind, @actorId, @pieceCode, 'pending', @signer, @receiver, @json, @now, @now)",
            new { id, kind, actorId, pieceCode, signer, receiver, json, now }, tx, cancellationToken: ct));
    }
}
