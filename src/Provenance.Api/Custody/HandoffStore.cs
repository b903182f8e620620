using System.Data;
using System.Security.Claims;
using Dapper;
using Microsoft.Data.Sqlite;
using Provenance.Api.Actors;
using Provenance.Api.Chain;
using Provenance.Api.Data;
using Provenance.Api.Hosting;
using Provenance.Api.Products;
using Provenance.Api.Records;
using Provenance.Api.Security;
using Provenance.Ethereum.Hex;

namespace Provenance.Api.Custody;

/// <summary>A stored handoff proposal.</summary>
public sealed class HandoffRow
{
    /// <summary>Id.</summary>
    public required string Id { get; init; }

    /// <summary>Piece code.</summary>
    public required string PieceCode { get; init; }

    /// <summary>Custodian's actor id.</summary>
    public required string FromActor { get; init; }

    /// <summary>Receiver's actor id.</summary>
    public required string ToActor { get; init; }

    /// <summary>Canonical record JSON.</summary>
    public required string RecordJson { get; init; }

    /// <summary>Its keccak256.</summary>
    public required string RecordHash { get; init; }

    /// <summary>proposed, accepted, cancelled.</summary>
    public required string Status { get; init; }

    /// <summary>Operation, once accepted.</summary>
    public string? OperationId { get; init; }

    /// <summary>ISO 8601.</summary>
    public required string CreatedAt { get; init; }

    /// <summary>API view.</summary>
    public HandoffView ToView() => new(Id, PieceCode, FromActor, ToActor, Status, RecordHash, OperationId,
        DateTimeOffset.Parse(CreatedAt, System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>Handoff proposals.</summary>
public sealed class HandoffStore(Db db, ActorStore actors, PieceLookup pieces)
{
    /// <summary>The proposal, visible to its two parties and admins (404 for anyone else).</summary>
    public async Task<HandoffRow> GetForPartyAsync(string id, ClaimsPrincipal user, CancellationToken ct)
    {
        var row = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<HandoffRow>(new CommandDefinition(
            "SELECT id AS Id, piece_code AS PieceCode, from_actor AS FromActor, to_actor AS ToActor, record_json AS RecordJson, " +
            "record_hash AS RecordHash, status AS Status, operation_id AS OperationId, created_at AS CreatedAt FROM handoffs WHERE id = @id",
            new { id }, cancellationToken: ct)), ct);
        var me = user.ActorId();
        if (row is null || (row.FromActor != me && row.ToActor != me && !user.IsInRole(Roles.Admin)))
        {
            throw ApiProblemException.NotFound($"No handoff '{id}'.");
        }

        return row;
    }

    /// <summary>Stores a new proposal of <paramref name="record"/> (not yet on chain); returns its view.</summary>
    public async Task<HandoffView> ProposeAsync(
        PieceRow piece, ActorRow from, ActorRow to, CanonicalRecord record, DateTimeOffset now, CancellationToken ct)
    {
        var id = "hof_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO handoffs(id, piece_code, from_actor, to_actor, record_json, record_hash, status, created_at) " +
            "VALUES (@id, @code, @from, @to, @json, @hash, 'proposed', @now)",
            new { id, code = piece.Code, from = from.Id, to = to.Id, json = record.Json, hash = record.HashHex, now = now.ToString("O") },
            tx, cancellationToken: ct)), ct);
        return new HandoffView(id, piece.Code, from.Id, to.Id, "proposed", record.HashHex, null, now);
    }

    /// <summary>
    /// In the operation's transaction: closes the open proposal as accepted by <paramref name="operationId"/> (409 when
    /// it is no longer open) and stores its record.
    /// </summary>
    public static async Task AcceptAsync(SqliteConnection c, IDbTransaction tx, HandoffRow h, string operationId, CancellationToken ct)
    {
        var updated = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE handoffs SET status = 'accepted', operation_id = @operationId WHERE id = @id AND status = 'proposed'",
            new { id = h.Id, operationId }, tx, cancellationToken: ct));
        if (updated != 1)
        {
            throw ApiProblemException.Conflict($"Handoff {h.Id} is no longer open.", "HandoffClosed");
        }

        await RecordStore.InsertAsync(c, tx, h.PieceCode, "handoff", h.FromActor,
            new CanonicalRecord(h.RecordJson, HexConvert.FromHex(h.RecordHash)), operationId, ct);
    }

    /// <summary>Cancels the proposal if it is still open; false when it is not.</summary>
    public async Task<bool> CancelAsync(string id, CancellationToken ct) =>
        await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
            "UPDATE handoffs SET status = 'cancelled' WHERE id = @id AND status = 'proposed'", new { id }, tx,
            cancellationToken: ct)), ct) == 1;

    /// <summary>The two parties and the piece.</summary>
    public async Task<(ActorRow From, ActorRow To, PieceRow Piece)> PartiesAsync(HandoffRow h, CancellationToken ct) =>
        (await actors.FindAsync(h.FromActor, ct) ?? throw new InvalidOperationException("missing actor"),
         await actors.FindAsync(h.ToActor, ct) ?? throw new InvalidOperationException("missing actor"),
         await pieces.FindAsync(h.PieceCode, ct) ?? throw new InvalidOperationException("missing piece"));

    /// <summary>The Handoff action (signatures empty).</summary>
    public static SignedAction Action(PieceRow piece, ActorRow from, ActorRow to, string recordHash) =>
        new(ActionType.Handoff, from.Address, piece.PieceId, EventKind.Handoff, recordHash, to.Address, [],
            ActionAuthorization.None, ActionAuthorization.None);
}
