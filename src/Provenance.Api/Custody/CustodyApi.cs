using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Provenance.Api.Actors;
using Provenance.Api.Chain;
using Provenance.Api.Hosting;
using Provenance.Api.Operations;
using Provenance.Api.Products;
using Provenance.Api.Records;
using Provenance.Api.Security;

namespace Provenance.Api.Custody;

/// <summary>
/// Two-party custody transfer: the custodian proposes, the receiver (a handler) accepts; the transfer carries both
/// parties' EIP-712 signatures — made by the gateway for custodial actors, supplied by actors with their own wallet
/// (typed data from <c>GET /api/handoffs/{id}/typed-data</c>).
/// </summary>
public static class CustodyApi
{
    /// <summary>Maps the custody endpoints.</summary>
    public static IEndpointRouteBuilder MapCustody(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/pieces/{code}/handoffs", Propose).WithTags("Custody").RequireAuthorization(Roles.Policies.Custodian)
            .WithSummary("The custodian proposes handing the piece to a handler")
            .WithRequestExample(new ProposeHandoffRequest("han_0123456789ab", "Srinagar", "Handed over at the workshop"));
        var group = routes.MapGroup("/api/handoffs/{id}").WithTags("Custody").RequireAuthorization(Roles.Policies.Actor);
        group.MapGet("/", Get).WithSummary("A handoff proposal (its parties and admins)");
        group.MapGet("/typed-data", TypedData).WithSummary("EIP-712 typed data for a party with its own wallet to sign");
        group.MapPost("/accept", Accept).WithSummary("The receiver accepts: both signatures are made or checked and the transfer is relayed");
        group.MapPost("/cancel", Cancel).WithSummary("Either party cancels a proposal");
        return routes;
    }

    private static async Task<Created<HandoffView>> Propose(
        string code, ProposeHandoffRequest request, ClaimsPrincipal user, PieceLookup pieces, ActorStore actors,
        IRegistryChain chain, OperationStore operations, HandoffStore store, TimeProvider time, CancellationToken ct)
    {
        var piece = await pieces.GetAsync(code, ct);
        var from = await pieces.CallerAsync(user, ct);
        var to = await actors.FindAsync(request.To, ct);
        if (to is null || to.Kind != Roles.Handler)
        {
            throw ApiProblemException.Unprocessable($"Receiver '{request.To}' is not an onboarded handler.", "InvalidReceiver");
        }

        if (to.Id == from.Id)
        {
            throw ApiProblemException.Unprocessable("A handoff needs a different receiver.", "InvalidReceiver");
        }

        if (await operations.IsSettledAsync(piece.Code, [], [], ct))
        {
            var state = await chain.PieceAsync(piece.PieceId, ct);
            if (!string.Equals(state.Custodian, from.Address, StringComparison.OrdinalIgnoreCase))
            {
                throw ApiProblemException.Conflict($"You are not the custodian of {piece.Code}.", "ProvenanceRegistryNotCustodian");
            }
        }

        var now = time.GetUtcNow();
        var record = RecordHash.Of(new HandoffRecord("provenance.handoff/v1", piece.Code, from.Address, to.Address,
            now.ToString("O"), request.Location, request.Notes), ApiJsonContext.Default.HandoffRecord);
        var view = await store.ProposeAsync(piece, from, to, record, now, ct);
        return TypedResults.Created($"/api/handoffs/{view.Id}", view);
    }

    private static async Task<Ok<HandoffView>> Get(string id, ClaimsPrincipal user, HandoffStore store, CancellationToken ct)
    {
        var h = await store.GetForPartyAsync(id, user, ct);
        return TypedResults.Ok(h.ToView());
    }

    private static async Task<Ok<HandoffTypedData>> TypedData(
        string id, ClaimsPrincipal user, HandoffStore store, ActorStore actors, PieceLookup pieces, SignerNonces nonces,
        IRegistryChain chain, TimeProvider time, CancellationToken ct)
    {
        var h = await store.GetForPartyAsync(id, user, ct);
        var (from, to, piece) = await store.PartiesAsync(h, ct);
        if (user.ActorId() != from.Id && user.ActorId() != to.Id)
        {
            throw ApiProblemException.Forbidden("Only the two parties of a handoff sign it.", "NotParty");
        }

        var me = user.ActorId() == from.Id ? from : to;
        var action = HandoffStore.Action(piece, from, to, h.RecordHash);
        var nonce = await nonces.PeekAsync(me.Address, ct);
        var deadline = time.GetUtcNow().AddHours(1).ToUnixTimeSeconds();
        return TypedResults.Ok(new HandoffTypedData(me == from ? "from" : "to", me.Address, nonce, deadline,
            chain.TypedData(action, new ActionAuthorization(nonce, deadline, "0x"))));
    }

    private static async Task<Accepted<OperationAccepted>> Accept(
        string id, AcceptHandoffRequest? request, ClaimsPrincipal user, HandoffStore store, ActionPipeline pipeline,
        CancellationToken ct)
    {
        var h = await store.GetForPartyAsync(id, user, ct);
        if (user.ActorId() != h.ToActor)
        {
            throw ApiProblemException.Forbidden("Only the receiver accepts a handoff.", "NotReceiver");
        }

        if (h.Status != "proposed")
        {
            throw ApiProblemException.Conflict($"Handoff {id} is {h.Status}.", "HandoffClosed");
        }

        var (from, to, piece) = await store.PartiesAsync(h, ct);
        var action = HandoffStore.Action(piece, from, to, h.RecordHash);
        var operationId = await pipeline.SubmitAsync(new ActionDraft("handoff", to.Id, piece.Code, action,
            Signing(from, request?.FromSignature, "fromSignature"), Signing(to, request?.ToSignature, "toSignature"),
            [from.Address, to.Address],
            (c, tx, opId, token) => HandoffStore.AcceptAsync(c, tx, h, opId, token)), ct);
        return TypedResults.Accepted($"/api/operations/{operationId}", OperationsApi.Accepted(operationId));
    }

    private static async Task<Ok<HandoffView>> Cancel(string id, ClaimsPrincipal user, HandoffStore store, CancellationToken ct)
    {
        var h = await store.GetForPartyAsync(id, user, ct);
        if (!await store.CancelAsync(id, ct))
        {
            throw ApiProblemException.Conflict($"Handoff {id} is {h.Status}.", "HandoffClosed");
        }

        return TypedResults.Ok(h.ToView() with { Status = "cancelled" });
    }

    private static ActionSigning Signing(ActorRow actor, WalletSignature? signature, string field)
    {
        if (actor.Custodial)
        {
            return signature is null
                ? new ActionSigning.Custodial(actor.Id)
                : throw ApiProblemException.Unprocessable($"{field}: {actor.Id} is custodial; the gateway signs for it.", "UnexpectedSignature");
        }

        return signature is null
            ? throw ApiProblemException.Unprocessable($"{field} is required: {actor.Id} signs with its own wallet (see typed-data).", "SignatureRequired")
            : new ActionSigning.Provided(new ActionAuthorization(signature.Nonce, signature.Deadline, signature.Signature));
    }
}
