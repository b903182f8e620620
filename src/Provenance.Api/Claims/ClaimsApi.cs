using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Provenance.Api.Actors;
using Provenance.Api.Chain;
using Provenance.Api.Data;
using Provenance.Api.Hosting;
using Provenance.Api.Operations;
using Provenance.Api.Products;
using Provenance.Api.Security;
using Provenance.Ethereum;
using Provenance.Ethereum.Crypto;

namespace Provenance.Api.Claims;

/// <summary>A buyer claims a piece with the hidden claim code, for their own address or a new custodial owner account.</summary>
public sealed record ClaimRequest(
    [property: Required, StringLength(40, MinimumLength = 20)] string ClaimCode,
    [property: RegularExpression(ActorValidation.AddressPattern, ErrorMessage = ActorValidation.AddressMessage)] string? Owner = null);

/// <summary>
/// The accepted claim. <see cref="OwnerApiKey"/> is set (once) when the gateway created a custodial owner account.
/// </summary>
public sealed record ClaimAccepted(string OperationId, string Status, string StatusUrl, string Owner, string? OwnerId, string? OwnerApiKey);

/// <summary><c>POST /api/pieces/{code}/claim</c>: anonymous, rate-limited per client and piece.</summary>
public static class ClaimsApi
{
    /// <summary>Maps the claim endpoint.</summary>
    public static IEndpointRouteBuilder MapClaims(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/pieces/{code}/claim", Claim).WithTags("Claims").AllowAnonymous()
            .RequireRateLimiting(ApiDefaults.ClaimPolicy)
            .WithSummary("Claim ownership with the hidden claim code (the gateway derives the claim key and signs the claim)")
            .WithRequestExample(new ClaimRequest("ABCDE-FGHJK-MNPQR-STVWX-YZ012", null));
        return routes;
    }

    private static async Task<Accepted<ClaimAccepted>> Claim(
        string code, ClaimRequest request, PieceLookup pieces, ActorStore actors, ActionPipeline pipeline,
        CancellationToken ct)
    {
        var piece = await pieces.GetAsync(code, ct);
        var claimCode = ClaimCode.Normalize(request.ClaimCode)
                        ?? throw ApiProblemException.Unprocessable("The claim code is not well formed (check for typos).", "InvalidClaimCode");
        var key = ClaimCode.DeriveKey(piece.Code, claimCode);
        try
        {
            if (!string.Equals(EthKey.FromPrivateKey(key).Address.ToString(), piece.ClaimSigner, StringComparison.OrdinalIgnoreCase))
            {
                throw ApiProblemException.Forbidden("This claim code does not belong to this piece.", "ProvenanceRegistryNotClaimSigner");
            }

            // Without an owner address, a custodial owner account is created in the claim's own transaction.
            var ownerAddress = request.Owner is null ? null : Address.Parse(request.Owner).ToString();
            var ownerKey = ownerAddress is null ? EthKey.Generate().ExportPrivateKey() : null;
            ActorCreated? owner = null;
            var action = new SignedAction(ActionType.Claim, piece.ClaimSigner, piece.PieceId, EventKind.Claim,
                SignedAction.ZeroHash, ownerAddress ?? EthKey.FromPrivateKey(ownerKey!).Address.ToString(), [], ActionAuthorization.None,
                ActionAuthorization.None);
            StoreRows? createOwner = ownerKey is null ? null : async (c, tx, _, token) =>
            {
                owner = await actors.CreateAsync(c, tx, "owner", "Owner of " + piece.Code,
                    JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["piece"] = piece.Code }, ApiJsonContext.Default.DictionaryStringString),
                    null, token, ownerKey);
            };
            var id = await pipeline.SubmitAsync(new ActionDraft("claim", null, piece.Code, action,
                new ActionSigning.WithKey(key), null, [], createOwner), ct);
            return TypedResults.Accepted($"/api/operations/{id}", new ClaimAccepted(id, OperationStatus.Pending,
                $"/api/operations/{id}", action.Account, owner?.Id, owner?.ApiKey));
        }
        finally
        {
            Array.Clear(key);
        }
    }
}
