using System.Globalization;
using System.Text.Json;
using Provenance.Api.Actors;
using Provenance.Api.Chain;
using Provenance.Api.Indexing;
using Provenance.Api.Security;
using Provenance.Api.Verification;
using VerificationMaker = Provenance.Api.Verification.MakerView;
using VerificationStatus = Provenance.Api.Verification.PieceStatus;

namespace Provenance.Api.Products;

/// <summary>
/// The verification pages' view of a piece, read from the store and the index (never from the chain on the request
/// path): the piece record, makers as each artisan chose to be shown, history with block times, custody timeline,
/// payment, certification, status and the record-against-chain check of <see cref="PieceReader"/>.
/// </summary>
public sealed class PieceVerificationSource(PieceReader reader, ActorStore actors, Deployment deployment, IndexerStatus indexer)
    : IPieceVerificationSource
{
    /// <inheritdoc />
    public async Task<PieceVerificationView?> GetByCodeAsync(string code, CancellationToken cancellationToken)
    {
        PieceDetails? piece;
        try
        {
            piece = await reader.ReadAsync(code, cancellationToken);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            throw new PieceSourceUnavailableException("the store cannot be read", e);
        }

        var registration = piece?.Events.FirstOrDefault(e => e.Kind == nameof(EventKind.Registration));
        if (piece is null || registration is null || !Enum.TryParse<VerificationStatus>(piece.Status, out var status))
        {
            return null; // unknown, or not on chain yet
        }

        var record = piece.Record.Data ?? default;
        string? Text(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        string[] List(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
                ? v.EnumerateArray().Select(x => x.GetString() ?? "").ToArray() : [];
        var registrant = piece.RegistrantId is null ? null : await actors.FindAsync(piece.RegistrantId, cancellationToken);
        var registrantProfile = registrant is null ? null : ActorsApi.PublicProfile(registrant);
        var cluster = registrantProfile?["cluster"]?.GetValue<string>() ?? "Kashmir";
        var firstTime = registration.Chain.BlockTime ?? DateTimeOffset.UnixEpoch;
        DateTimeOffset TimeOf(TimelineEntry e) => e.Chain.BlockTime ?? firstTime;

        var events = piece.Events.Select(e => new PieceEventView(
            KindOf(e.Kind), Text(e.Record?.Data ?? default, "step"), TimeOf(e), Display(e.Actor),
            Text(e.Record?.Data ?? default, "notes") ?? Text(e.Record?.Data ?? default, "reason"), e.Chain.TxHash, e.Chain.BlockNumber,
            e.Record is null || e.Record.Check == "verified")).ToList();

        var custody = new List<CustodyStepView>
        {
            new(Display(piece.Events[0].Actor), "artisan", registrantProfile?["village"]?.GetValue<string>() ?? cluster, firstTime, null),
        };
        foreach (var handoff in piece.Events.Where(e => e.Kind == nameof(EventKind.Handoff) && e.Counterparty is not null))
        {
            var holder = handoff.Counterparty!.ActorId is { } id ? await actors.FindAsync(id, cancellationToken) : null;
            var role = holder is null ? "handler"
                : JsonDocument.Parse(holder.ProfileJson).RootElement.TryGetProperty("kind", out var k) ? k.GetString() ?? "handler" : "handler";
            custody.Add(new CustodyStepView(Display(handoff.Counterparty), role, Text(handoff.Record?.Data ?? default, "location"),
                TimeOf(handoff), handoff.Chain.TxHash));
        }

        var payment = piece.Events.LastOrDefault(e => e.Kind == nameof(EventKind.PaymentConfirmed));
        var lastStatus = piece.Events.LastOrDefault(e => e.Kind is nameof(EventKind.Flag) or nameof(EventKind.Revocation));
        var mismatched = piece.Events.Where(e => e.Record is { Check: not "verified" })
            .Select(e => e.Kind == nameof(EventKind.Registration) ? "piece details" : $"event {e.Seq}").ToList();
        var latest = indexer.LastCaughtUp;

        return new PieceVerificationView
        {
            Code = piece.Code,
            Craft = Crafts.Label(Text(record, "craft")) ?? "", // a key; free text stored before the catalogue resolves here
            Title = Text(record, "title") ?? piece.Code,
            Description = Text(record, "description"),
            Materials = List(record, "materials"),
            Techniques = List(record, "techniques"),
            Dimensions = Text(record, "dimensions"),
            Certification = Certification(piece, TimeOf),
            Makers = piece.Makers.Select(m => new VerificationMaker(
                m.PublicProfile.TryGetProperty("name", out var n) ? n.GetString() : null,
                m.PublicProfile.TryGetProperty("photo", out var ph) && ph.GetString() is { Length: 64 } sha ? $"/api/photos/{sha}" : null,
                m.PublicProfile.TryGetProperty("village", out var v) ? v.GetString() : null,
                m.PublicProfile.TryGetProperty("cluster", out var c) ? c.GetString() ?? cluster : cluster,
                m.Part)).ToList(),
            Origin = new OriginView(registrantProfile?["village"]?.GetValue<string>() ?? cluster, null, "Kashmir"),
            Events = events,
            Custody = custody,
            Payment = new PaymentView(payment is not null, payment is null ? null : TimeOf(payment)),
            Status = status,
            FlagReason = status is VerificationStatus.Flagged or VerificationStatus.Revoked ? Text(lastStatus?.Record?.Data ?? default, "reason") : null,
            ClaimedSince = piece.ClaimedAt,
            RecordMatch = mismatched.Count == 0 ? RecordMatchView.Matching : new RecordMatchView(false, mismatched),
            Proof = new ChainProofView(
                deployment.ChainId is 31337 or 1337 ? "Provenance dev chain" : $"EVM chain {deployment.ChainId}",
                deployment.ChainId, deployment.Address, piece.PieceId, registration.Chain.TxHash, registration.Chain.BlockNumber,
                piece.Proof.IndexedBlock ?? registration.Chain.BlockNumber),
            Freshness = new DataFreshness(indexer.IsLive(TimeSpan.FromSeconds(15)), latest ?? firstTime),
            LabelPrinters = new[] { piece.RegistrantId, piece.Custodian.ActorId }.Concat(piece.Makers.Select(m => m.ActorId))
                .OfType<string>().Distinct(StringComparer.Ordinal).ToList(),
        };
    }

    private static string Display(AddressRef a) => a.Name ?? (a.Kind == Roles.Artisan ? "an artisan" : a.Address);

    private static CertificationView? Certification(PieceDetails piece, Func<TimelineEntry, DateTimeOffset> timeOf)
    {
        var cert = piece.Events.LastOrDefault(e => e.Kind == nameof(EventKind.Certification) && e.Record?.Data is not null);
        if (cert is null)
        {
            return null;
        }

        var attributes = cert.Record!.Data!.Value.TryGetProperty("attributes", out var a) && a.ValueKind == JsonValueKind.Object
            ? a.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "") : [];
        var passed = attributes.GetValueOrDefault("result") == "pass";
        var results = attributes.Where(p => p.Key.StartsWith("test:", StringComparison.Ordinal))
            .Select(p => new LabResultView(p.Key[5..], p.Value, passed)).ToList();
        if (attributes.TryGetValue("labReport", out var report))
        {
            results.Insert(0, new LabResultView("lab report " + report, attributes.GetValueOrDefault("result") ?? "", passed));
        }

        return new CertificationView(attributes.GetValueOrDefault("giLabel"), cert.Actor.Name ?? cert.Actor.Address, timeOf(cert), results);
    }

    private static PieceEventKind KindOf(string kind) => kind switch
    {
        nameof(EventKind.Registration) => PieceEventKind.Registered,
        nameof(EventKind.Processing) => PieceEventKind.Processing,
        nameof(EventKind.Certification) => PieceEventKind.Certification,
        nameof(EventKind.Shipping) => PieceEventKind.Shipping,
        nameof(EventKind.Export) => PieceEventKind.Export,
        nameof(EventKind.Sale) => PieceEventKind.Sale,
        nameof(EventKind.PaymentConfirmed) => PieceEventKind.PaymentConfirmed,
        nameof(EventKind.Handoff) => PieceEventKind.Handoff,
        nameof(EventKind.Flag) => PieceEventKind.Flagged,
        nameof(EventKind.Revocation) => PieceEventKind.Revoked,
        nameof(EventKind.Claim) => PieceEventKind.Claimed,
        _ => PieceEventKind.Note,
    };
}
