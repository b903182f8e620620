using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Provenance.Api.Actors;
using Provenance.Api.Hosting;

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

    private static async Task<Accepted<ClaimAccepted>> Claim(string code, ClaimRequest request, ClaimService claims, CancellationToken ct)
    {
        var accepted = await claims.ClaimAsync(code, request.ClaimCode, request.Owner, ct);
        return TypedResults.Accepted(accepted.StatusUrl, accepted);
    }
}
