using System.Globalization;
using System.Security.Claims;
using Dapper;
using Microsoft.Extensions.Options;
using Provenance.Api.Actors;
using Provenance.Api.Chain;
using Provenance.Api.Data;
using Provenance.Api.Events;
using Provenance.Api.Hosting;
using Provenance.Api.Operations;
using Provenance.Api.Products;
using Provenance.Api.Records;
using Provenance.Api.Security;
using Provenance.Epcis;
using Provenance.Epcis.Import;
using Provenance.Epcis.Vocabulary;

namespace Provenance.Api.Audit;

/// <summary>An imported event turned into an operation of the write path.</summary>
public sealed record ImportedOperation(string Pointer, string PieceCode, string Kind, string EventHashId, string OperationId, string StatusUrl);

/// <summary>The operations an accepted EPCIS document became (all or none).</summary>
public sealed record EpcisImportAccepted(int Events, ImportedOperation[] Operations);

/// <summary>A reason an EPCIS document was rejected, at a JSON Pointer into it.</summary>
public sealed record EpcisProblem(string Pointer, string Message);

/// <summary>Rejects a document with every reason found (problem details extension <c>errors</c>).</summary>
public sealed class EpcisRejectedException(int status, string detail, IReadOnlyList<EpcisProblem> errors)
    : Exception(detail)
{
    /// <summary>HTTP status (403, 409, 415 or 422).</summary>
    public int Status { get; } = status;

    /// <summary>The reasons, with pointers.</summary>
    public IReadOnlyList<EpcisProblem> Errors { get; } = errors;
}

/// <summary>
/// Imports an EPCIS 2.0 JSON-LD document of ObjectEvents about pieces this gateway registered (an exporter's
/// existing system) as events of the importing actor, through the gateway's one write path: each event becomes a
/// signed action with an off-chain record (keeping the event's time, bizStep, parties and its CBV 2.0 hash ID), all
/// pre-checked and stored in one transaction, or none. What the chain cannot express is refused with a reason at its
/// JSON Pointer: commissioning (pieces are registered through <c>POST /api/pieces</c>), receiving (custody moves only
/// by a two-party handoff), events already on chain (<c>prov:onChain</c>), events imported before (same hash ID).
/// </summary>
public sealed class EpcisImport(
    Db db, PieceLookup pieces, ActionPipeline pipeline, IOptions<SecurityOptions> security)
{
    /// <summary>Imports <paramref name="document"/> for the calling actor.</summary>
    public async Task<EpcisImportAccepted> ImportAsync(ReadOnlyMemory<byte> document, ClaimsPrincipal user, CancellationToken ct)
    {
        var actor = await pieces.CallerAsync(user, ct);
        var profile = new EpcisProfile(new Uri(security.Value.PublicBaseUrl));
        var result = await new EpcisImporter(profile).ImportAsync(document, new Resolver(db, profile), ct);
        if (!result.Succeeded)
        {
            throw Rejected(422, result.Errors.Select(e => new EpcisProblem(e.Pointer, e.Message)).ToList());
        }

        var errors = new List<(int Status, EpcisProblem Problem)>();
        var drafts = new List<(ActionDraft Draft, ImportedEvent Event, string Code)>();
        foreach (var e in result.Events)
        {
            foreach (var code in e.PieceCodes.Distinct())
            {
                if (await CheckAsync(e, code, actor, ct) is { } problem)
                {
                    errors.Add(problem);
                    continue;
                }

                drafts.Add((Draft(e, code, actor), e, code));
            }
        }

        if (errors.Count > 0)
        {
            throw Rejected(errors[0].Status, errors.Select(x => x.Problem).ToList());
        }

        var ids = await pipeline.SubmitManyAsync(drafts.Select(d => d.Draft).ToList(), ct);
        return new EpcisImportAccepted(result.Events.Count, drafts.Select((d, i) => new ImportedOperation(
            d.Event.Pointer, d.Code, d.Draft.Action.Kind.ToString(), d.Event.EventHashId, ids[i], $"/api/operations/{ids[i]}")).ToArray());
    }

    private static EpcisRejectedException Rejected(int status, IReadOnlyList<EpcisProblem> errors) =>
        new(status, $"{errors.Count} problem(s); first: {errors[0].Pointer}: {errors[0].Message}", errors);

    // Who may import what: the same rules as the write API (the chain's pre-check adds custody and status).
    private async Task<(int, EpcisProblem)?> CheckAsync(ImportedEvent e, string code, ActorRow actor, CancellationToken ct)
    {
        (int, EpcisProblem) Problem(int status, string member, string message) => (status, new EpcisProblem(e.Pointer + member, message));

        if (e.Chain is { } chain)
        {
            return Problem(409, "", $"the event is already on chain (transaction {chain.TransactionHash}, block {chain.BlockNumber}): it was exported by a Provenance gateway and cannot be appended again");
        }

        var allowed = e.Kind switch
        {
            ImportedEventKind.Registration => (bool?)null,
            ImportedEventKind.Receiving => null,
            ImportedEventKind.Certification => actor.Kind == Roles.Certifier,
            ImportedEventKind.Flag or ImportedEventKind.Revoke => actor.Kind is Roles.Certifier or Roles.Admin,
            _ => actor.Kind is Roles.Artisan or Roles.Handler,
        };
        if (e.Kind == ImportedEventKind.Registration)
        {
            return Problem(422, "/bizStep", $"commissioning of {code}: pieces are registered (and their codes minted) through POST /api/pieces, not imported");
        }

        if (e.Kind == ImportedEventKind.Receiving)
        {
            return Problem(422, "/bizStep", $"receiving of {code}: custody moves only by a handoff both parties sign (POST /api/pieces/{code}/handoffs)");
        }

        if (allowed == false)
        {
            return Problem(403, "", $"a {actor.Kind} cannot record a {e.Kind} event");
        }

        if (!actor.Custodial)
        {
            return Problem(422, "", "this actor signs with its own wallet: send the action to the registry contract directly");
        }

        var seen = await db.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM records WHERE piece_code = @code AND json_extract(json, '$.attributes.epcisEventId') = @id",
            new { code, id = e.EventHashId }, cancellationToken: ct)), ct);
        return seen > 0 ? Problem(409, "", $"event {e.EventHashId} was already imported for {code}") : null;
    }

    private static ActionDraft Draft(ImportedEvent e, string code, ActorRow actor)
    {
        var at = e.EventTime.ToString("O", CultureInfo.InvariantCulture);
        var location = e.BizLocation ?? e.ReadPoint;
        CanonicalRecord record;
        EventKind kind;
        ActionType type;
        string operation;
        if (e.Kind is ImportedEventKind.Flag or ImportedEventKind.Revoke)
        {
            (kind, type, operation) = e.Kind == ImportedEventKind.Flag ? (EventKind.Flag, ActionType.Flag, "flag") : (EventKind.Revocation, ActionType.Revoke, "revoke");
            record = RecordHash.Of(new StatusRecord("provenance.status/v1", code, operation, actor.Address, at,
                $"EPCIS import: disposition {e.Disposition} (event {e.EventHashId})", location), ApiJsonContext.Default.StatusRecord);
        }
        else
        {
            (kind, operation) = e.Kind switch
            {
                ImportedEventKind.Certification => (EventKind.Certification, "certify"),
                ImportedEventKind.Sale => (EventKind.Sale, "appendEvent"),
                ImportedEventKind.Shipping => (EventKind.Shipping, "appendEvent"),
                _ => (EventKind.Processing, "appendEvent"),
            };
            type = ActionType.AppendEvent;
            var attributes = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["epcisEventId"] = e.EventHashId, ["epcisAction"] = e.Action,
            };
            Add(attributes, "epcisBizStep", e.BizStep);
            Add(attributes, "epcisDisposition", e.Disposition);
            Add(attributes, "epcisStatedEventId", e.StatedEventId);
            for (var i = 0; i < e.CertificationInfo.Count; i++)
            {
                attributes[$"certificate:{i}"] = e.CertificationInfo[i];
            }

            for (var i = 0; i < e.Sources.Count; i++)
            {
                attributes[$"source:{i}"] = $"{e.Sources[i].Type} {e.Sources[i].Id}";
            }

            for (var i = 0; i < e.Destinations.Count; i++)
            {
                attributes[$"destination:{i}"] = $"{e.Destinations[i].Type} {e.Destinations[i].Id}";
            }

            var kindName = char.ToLowerInvariant(kind.ToString()[0]) + kind.ToString()[1..];
            record = RecordHash.Of(new EventRecord("provenance.event/v1", code, kindName, actor.Address, at, e.Step?.Term(), location,
                "Imported from an EPCIS 2.0 document", attributes), ApiJsonContext.Default.EventRecord);
        }

        var action = new SignedAction(type, actor.Address, PieceRegistrar.PieceId(code), kind, record.HashHex, SignedAction.ZeroAddress, [],
            ActionAuthorization.None, ActionAuthorization.None);
        var recordKind = type == ActionType.AppendEvent ? "event" : "status";
        return new ActionDraft(operation, actor.Id, code, action, new ActionSigning.Custodial(actor.Id), null, [actor.Address],
            (c, tx, operationId, token) => RecordStore.InsertAsync(c, tx, code, recordKind, actor.Id, record, operationId, token));
    }

    private static void Add(SortedDictionary<string, string> attributes, string key, string? value)
    {
        if (value is not null)
        {
            attributes[key] = value;
        }
    }

    // Our piece URIs of pieces this gateway registered.
    private sealed class Resolver(Db db, EpcisProfile profile) : IPieceResolver
    {
        public async ValueTask<IReadOnlyDictionary<string, string>> ResolveAsync(IReadOnlyCollection<string> epcs, CancellationToken cancellationToken)
        {
            var codes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var epc in epcs)
            {
                if (profile.TryParsePieceUri(epc, out var code))
                {
                    codes[epc] = code;
                }
            }

            if (codes.Count == 0)
            {
                return codes;
            }

            var known = (await db.ReadAsync(c => c.QueryAsync<string>(new CommandDefinition(
                "SELECT code FROM pieces WHERE code IN @codes", new { codes = codes.Values.Distinct().ToArray() },
                cancellationToken: cancellationToken)), cancellationToken)).ToHashSet(StringComparer.Ordinal);
            return codes.Where(kv => known.Contains(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value);
        }
    }
}
