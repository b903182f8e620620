using Microsoft.AspNetCore.Http.HttpResults;
using Provenance.Api.Hosting;

namespace Provenance.Api.Operations;

/// <summary><c>GET /api/operations/{id}</c>: status of an accepted write (ids are unguessable; no key needed).</summary>
public static class OperationsApi
{
    /// <summary>Maps the operations endpoints.</summary>
    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/operations/{id}", Get).WithTags("Operations")
            .WithSummary("Status of an accepted write: pending, submitted, confirmed or failed (with the decoded reason)")
            .AllowAnonymous();
        return routes;
    }

    private static async Task<Ok<OperationView>> Get(string id, OperationStore store, CancellationToken ct)
    {
        var row = await store.FindAsync(id, ct) ?? throw ApiProblemException.NotFound($"No operation '{id}'.");
        return TypedResults.Ok(row.ToView());
    }

    /// <summary>The 202 response of an accepted write.</summary>
    public static OperationAccepted Accepted(string operationId) =>
        new(operationId, OperationStatus.Pending, $"/api/operations/{operationId}");
}
