using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Provenance.Api.Actors;
using Provenance.Api.Chain;
using Provenance.Api.Data;
using Provenance.Api.Records;
using Provenance.Ethereum.Hex;

namespace Provenance.Api.Products;

/// <summary>Reads a piece from the store and the index, checking every record against the hash the chain holds.</summary>
public sealed class PieceReader(Db db, ActorStore actors, Deployment deployment)
{
    private sealed class EventRow
    {
        public long BlockNumber { get; init; }
        public long LogIndex { get; init; }
        public required string BlockHash { get; init; }
        public required string TxHash { get; init; }
        public required string Name { get; init; }
        public string? Kind { get; init; }
        public long Seq { get; init; }
        public string? Actor { get; init; }
        public string? Counterparty { get; init; }
        public string? RecordHash { get; init; }
        public required string ArgsJson { get; init; }
        public long? BlockTime { get; init; }
    }

    private sealed class StateRow
    {
        public required string Status { get; init; }
        public required string Custodian { get; init; }
        public string? Owner { get; init; }
        public long? ClaimedAt { get; init; }
        public long EventCount { get; init; }
        public required string Head { get; init; }
    }

    /// <summary>The piece, or null when the code is unknown to this gateway.</summary>
    public async Task<PieceDetails?> ReadAsync(string code, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var piece = await c.QuerySingleOrDefaultAsync<PieceRow>(new CommandDefinition(
            "SELECT code AS Code, piece_id AS PieceId, registrant_id AS RegistrantId, claim_signer AS ClaimSigner, created_at AS CreatedAt FROM pieces WHERE code = @code",
            new { code }, cancellationToken: ct));
        if (piece is null)
        {
            return null;
        }

        var events = (await c.QueryAsync<EventRow>(new CommandDefinition(
            "SELECT block_number AS BlockNumber, log_index AS LogIndex, block_hash AS BlockHash, tx_hash AS TxHash, name AS Name, kind AS Kind, " +
            "seq AS Seq, actor AS Actor, counterparty AS Counterparty, record_hash AS RecordHash, args_json AS ArgsJson, block_time AS BlockTime " +
            "FROM chain_events WHERE piece_id = @id ORDER BY seq", new { id = piece.PieceId }, cancellationToken: ct))).AsList();
        var state = await c.QuerySingleOrDefaultAsync<StateRow>(new CommandDefinition(
            "SELECT status AS Status, custodian AS Custodian, owner AS Owner, claimed_at AS ClaimedAt, event_count AS EventCount, head AS Head " +
            "FROM piece_state WHERE piece_id = @id", new { id = piece.PieceId }, cancellationToken: ct));
        var records = await RecordStore.ForPieceAsync(c, piece.Code, ct);
        var pending = (await c.QueryAsync<(string Id, string Kind, string Status, string CreatedAt)>(new CommandDefinition(
            "SELECT id, kind, status, created_at FROM operations WHERE piece_code = @code AND status IN ('pending','submitted') ORDER BY rowid",
            new { code }, cancellationToken: ct))).Select(p => new PendingView(p.Id, p.Kind, p.Status, Time(p.CreatedAt))).ToArray();
        var indexed = await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT block_number FROM index_cursor WHERE id = 1", cancellationToken: ct));
        var makers = await MakersAsync(c, piece, events.FirstOrDefault(e => e.Name == "PieceRegistered"), ct);

        var names = new Dictionary<string, AddressRef>(StringComparer.OrdinalIgnoreCase);
        async Task<AddressRef> Ref(string address)
        {
            if (!names.TryGetValue(address, out var r))
            {
                var a = await actors.FindByAddressAsync(address, ct);
                r = new AddressRef(address, a?.Id, a is null ? null : ActorsApi.View(a, full: false).Name, a?.Kind);
                names[address] = r;
            }

            return r;
        }

        var timeline = new List<TimelineEntry>();
        foreach (var e in events)
        {
            timeline.Add(new TimelineEntry(e.Seq, e.Kind ?? e.Name, await Ref(e.Actor ?? SignedAction.ZeroAddress),
                e.Counterparty is null || e.Counterparty == SignedAction.ZeroAddress ? null : await Ref(e.Counterparty),
                Check(e.RecordHash, records),
                JsonDocument.Parse(e.ArgsJson).RootElement.TryGetProperty("head", out var h) ? h.GetString() ?? "" : "",
                new ChainRef(e.TxHash, e.BlockNumber, e.BlockHash, e.LogIndex,
                    e.BlockTime is { } t and > 0 ? DateTimeOffset.FromUnixTimeSeconds(t) : null)));
        }

        var registration = timeline.FirstOrDefault(t => t.Kind == "Registration");
        var pieceRecord = registration?.Record ?? Unconfirmed(records.FirstOrDefault(r => r.Kind == "piece"));
        var checks = timeline.Where(t => t.Record is not null).Select(t => t.Record!.Check).ToList();
        var integrity = timeline.Count == 0 ? "pending"
            : checks.Contains("mismatch") ? "mismatch"
            : checks.Contains("missing") ? "missing"
            : "verified";
        var registrant = await actors.FindAsync(piece.RegistrantId, ct);
        return new PieceDetails(
            piece.Code, piece.PieceId, state?.Status ?? "pending", integrity, piece.RegistrantId,
            await Ref(state?.Custodian ?? registrant?.Address ?? SignedAction.ZeroAddress),
            state?.Owner is { } owner ? await Ref(owner) : null,
            state?.ClaimedAt is { } at and > 0 ? DateTimeOffset.FromUnixTimeSeconds(at) : null,
            pieceRecord, makers, timeline.ToArray(), pending,
            new ProofView(deployment.ChainId, deployment.Address, state?.EventCount ?? 0, state?.Head, indexed,
                events.Select(e => e.TxHash).Distinct().ToArray()));
    }

    /// <summary>Pieces currently held by <paramref name="address"/>.</summary>
    public async Task<CustodyItem[]> InCustodyOfAsync(string address, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Code, string Status, string? Json, long EventCount, long BlockNumber)>(new CommandDefinition(
            "SELECT p.code, s.status, r.json, s.event_count, s.block_number FROM piece_state s JOIN pieces p ON p.piece_id = s.piece_id " +
            "LEFT JOIN records r ON r.piece_code = p.code AND r.kind = 'piece' WHERE lower(s.custodian) = lower(@address) ORDER BY s.block_number DESC",
            new { address }, cancellationToken: ct));
        return rows.Select(r => new CustodyItem(r.Code, r.Status, Title(r.Json), r.EventCount, r.BlockNumber)).ToArray();
    }

    private async Task<MakerView[]> MakersAsync(SqliteConnection c, PieceRow piece, EventRow? registered, CancellationToken ct)
    {
        var onChain = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (registered is not null && JsonDocument.Parse(registered.ArgsJson).RootElement.TryGetProperty("makers", out var m))
        {
            foreach (var a in m.EnumerateArray())
            {
                onChain.Add(a.GetString()!);
            }
        }

        var rows = await c.QueryAsync<(string ActorId, string Part)>(new CommandDefinition(
            "SELECT actor_id, part FROM piece_makers WHERE piece_code = @code", new { code = piece.Code }, cancellationToken: ct));
        var result = new List<MakerView>();
        foreach (var (actorId, part) in rows)
        {
            var actor = await actors.FindAsync(actorId, ct);
            if (actor is not null)
            {
                result.Add(new MakerView(actor.Id, actor.Address, part,
                    JsonSerializer.SerializeToElement(ActorsApi.PublicProfile(actor), Hosting.ApiJsonContext.Default.JsonObject),
                    onChain.Contains(actor.Address)));
            }
        }

        return result.ToArray();
    }

    private static RecordView? Check(string? onChainHash, IReadOnlyList<StoredRecord> records)
    {
        if (onChainHash is null || onChainHash == SignedAction.ZeroHash)
        {
            return null;
        }

        var stored = records.FirstOrDefault(r => string.Equals(r.Hash, onChainHash, StringComparison.OrdinalIgnoreCase));
        if (stored is null)
        {
            return new RecordView(onChainHash, "missing", null);
        }

        string check;
        JsonElement? data = null;
        try
        {
            var actual = HexConvert.ToHex(RecordHash.OfStored(stored.Json));
            check = string.Equals(actual, onChainHash, StringComparison.OrdinalIgnoreCase) ? "verified" : "mismatch";
            data = JsonDocument.Parse(stored.Json).RootElement.Clone();
        }
        catch (JsonException)
        {
            check = "mismatch";
        }

        return new RecordView(onChainHash, check, data);
    }

    private static RecordView Unconfirmed(StoredRecord? record) =>
        record is null ? new RecordView(SignedAction.ZeroHash, "missing", null)
            : new RecordView(record.Hash, "pending", JsonDocument.Parse(record.Json).RootElement.Clone());

    private static string? Title(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(json).RootElement.TryGetProperty("title", out var t) ? t.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static DateTimeOffset Time(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
}
