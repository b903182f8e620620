using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Provenance.Api.Actors;
using Provenance.Api.Chain;
using Provenance.Api.Hosting;
using Provenance.Api.Operations;
using Provenance.Api.Products;
using Provenance.Api.Records;
using Provenance.Api.Security;

namespace Provenance.Api.Events;

/// <summary>Events, certification, flag/unflag/revoke on a piece — each a signed action through the write pipeline.</summary>
public static class EventsApi
{
    /// <summary>Maps the piece event endpoints.</summary>
    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/pieces/{code}").WithTags("Events");
        group.MapPost("/events", Append).RequireAuthorization(Roles.Policies.Actor)
            .WithSummary("Append a processing step, shipping, export, sale, payment confirmation or note")
            .WithRequestExample(new AppendEventRequest(AppendableEvent.Processing, "dyeing", "Srinagar", "Natural walnut dye"));
        group.MapPost("/certifications", Certify).RequireAuthorization(Roles.Policies.Certifier)
            .WithSummary("Attest a lab test or GI certification (certifiers)")
            .WithRequestExample(new CertifyRequest(CertificationResult.Pass, "GI-PASH-2024-001234", "LAB-778",
                Tests: new() { ["fibre"] = "100% pashmina, 14.2 µm" }));
        group.MapPost("/flag", (string code, StatusChangeRequest r, ClaimsPrincipal u, EventWriter w, CancellationToken ct) =>
            w.ChangeStatusAsync(code, ActionType.Flag, r, u, ct)).RequireAuthorization(Roles.Policies.Certifier)
            .WithSummary("Flag a piece (suspected stolen, counterfeit, recalled)");
        group.MapPost("/unflag", (string code, StatusChangeRequest r, ClaimsPrincipal u, EventWriter w, CancellationToken ct) =>
            w.ChangeStatusAsync(code, ActionType.Unflag, r, u, ct)).RequireAuthorization(Roles.Policies.Certifier)
            .WithSummary("Clear a flag");
        group.MapPost("/revoke", (string code, StatusChangeRequest r, ClaimsPrincipal u, EventWriter w, CancellationToken ct) =>
            w.ChangeStatusAsync(code, ActionType.Revoke, r, u, ct)).RequireAuthorization(Roles.Policies.Certifier)
            .WithSummary("Revoke a piece for good");
        return routes;
    }

    private static async Task<Accepted<OperationAccepted>> Append(
        string code, AppendEventRequest request, ClaimsPrincipal user, EventWriter writer, CancellationToken ct) =>
        await writer.AppendAsync(code, request, user, ct);

    private static async Task<Accepted<OperationAccepted>> Certify(
        string code, CertifyRequest request, ClaimsPrincipal user, EventWriter writer, CancellationToken ct) =>
        await writer.CertifyAsync(code, request, user, ct);
}

/// <summary>Builds event and status records and their signed actions.</summary>
public sealed class EventWriter(PieceLookup pieces, ActionPipeline pipeline, TimeProvider time)
{
    /// <summary>Appends an event (kinds Processing..Note except Certification).</summary>
    public async Task<Accepted<OperationAccepted>> AppendAsync(string code, AppendEventRequest request, ClaimsPrincipal user, CancellationToken ct)
    {
        var piece = await pieces.GetAsync(code, ct);
        var actor = await pieces.CallerAsync(user, ct);
        var kind = request.Kind!.Value;
        var allowed = kind switch
        {
            AppendableEvent.PaymentConfirmed => actor.Kind == Roles.Artisan,
            AppendableEvent.Note => actor.Kind is Roles.Artisan or Roles.Handler or Roles.Certifier,
            _ => actor.Kind is Roles.Artisan or Roles.Handler,
        };
        if (!allowed)
        {
            throw ApiProblemException.Forbidden($"A {actor.Kind} cannot append a {kind} event.", "NotAllowed");
        }

        if (kind == AppendableEvent.PaymentConfirmed && piece.RegistrantId != actor.Id)
        {
            throw ApiProblemException.Forbidden("Only the registering artisan confirms payment.", "NotArtisan");
        }

        var chainKind = Enum.Parse<EventKind>(kind.ToString());
        var record = RecordHash.Of(new EventRecord("provenance.event/v1", piece.Code, JsonName(kind.ToString()), actor.Address,
            time.GetUtcNow().ToString("O"), request.Step, request.Location, request.Notes,
            request.Attributes is null ? null : new SortedDictionary<string, string>(request.Attributes, StringComparer.Ordinal)),
            ApiJsonContext.Default.EventRecord);
        return await SubmitAsync(piece, actor, "appendEvent", ActionType.AppendEvent, chainKind, record, "event", ct);
    }

    /// <summary>Appends a Certification event.</summary>
    public async Task<Accepted<OperationAccepted>> CertifyAsync(string code, CertifyRequest request, ClaimsPrincipal user, CancellationToken ct)
    {
        var piece = await pieces.GetAsync(code, ct);
        var actor = await pieces.CallerAsync(user, ct);
        if (actor.Kind != Roles.Certifier)
        {
            throw ApiProblemException.Forbidden("Only certifiers certify.", "NotAllowed");
        }

        var attributes = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["result"] = JsonName(request.Result!.Value.ToString()) };
        if (request.GiLabel is not null)
        {
            attributes["giLabel"] = request.GiLabel;
        }

        if (request.LabReport is not null)
        {
            attributes["labReport"] = request.LabReport;
        }

        foreach (var (k, v) in request.Tests ?? [])
        {
            attributes["test:" + k] = v;
        }

        var record = RecordHash.Of(new EventRecord("provenance.event/v1", piece.Code, "certification", actor.Address,
            time.GetUtcNow().ToString("O"), null, null, request.Notes, attributes), ApiJsonContext.Default.EventRecord);
        return await SubmitAsync(piece, actor, "certify", ActionType.AppendEvent, EventKind.Certification, record, "event", ct);
    }

    /// <summary>Flags, unflags or revokes.</summary>
    public async Task<Accepted<OperationAccepted>> ChangeStatusAsync(
        string code, ActionType action, StatusChangeRequest request, ClaimsPrincipal user, CancellationToken ct)
    {
        var piece = await pieces.GetAsync(code, ct);
        var actor = await pieces.CallerAsync(user, ct);
        var name = JsonName(action.ToString());
        var record = RecordHash.Of(new StatusRecord("provenance.status/v1", piece.Code, name, actor.Address,
            time.GetUtcNow().ToString("O"), request.Reason, request.Evidence), ApiJsonContext.Default.StatusRecord);
        var kind = action switch
        {
            ActionType.Flag => EventKind.Flag,
            ActionType.Unflag => EventKind.Unflag,
            _ => EventKind.Revocation,
        };
        return await SubmitAsync(piece, actor, name, action, kind, record, "status", ct);
    }

    private async Task<Accepted<OperationAccepted>> SubmitAsync(
        PieceRow piece, ActorRow actor, string operationKind, ActionType type, EventKind kind, CanonicalRecord record,
        string recordKind, CancellationToken ct)
    {
        if (!actor.Custodial)
        {
            throw ApiProblemException.Unprocessable(
                "This actor signs with its own wallet: send the action to the registry contract directly.", "SignatureRequired");
        }

        var action = new SignedAction(type, actor.Address, piece.PieceId, kind, record.HashHex, SignedAction.ZeroAddress, [],
            ActionAuthorization.None, ActionAuthorization.None);
        var id = await pipeline.SubmitAsync(new ActionDraft(operationKind, actor.Id, piece.Code, action,
            new ActionSigning.Custodial(actor.Id), null, [actor.Address],
            (c, tx, operationId, token) => RecordStore.InsertAsync(c, tx, piece.Code, recordKind, actor.Id, record, operationId, token)), ct);
        return TypedResults.Accepted($"/api/operations/{id}", OperationsApi.Accepted(id));
    }

    private static string JsonName(string pascal) => char.ToLowerInvariant(pascal[0]) + pascal[1..];
}
