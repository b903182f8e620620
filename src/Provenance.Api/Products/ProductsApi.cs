using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Provenance.Api.Actors;
using Provenance.Api.Hosting;
using Provenance.Api.Security;

namespace Provenance.Api.Products;

/// <summary>Piece registration (single and batch) and reads.</summary>
public static class ProductsApi
{
    /// <summary>Maps <c>/api/pieces</c>.</summary>
    public static IEndpointRouteBuilder MapProducts(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/pieces").WithTags("Pieces");
        group.MapPost("/", Register).RequireAuthorization(Roles.Policies.Artisan)
            .WithSummary("Register a piece: mints its code and claim code, stores the record, relays the signed registration")
            .WithRequestExample(Example);
        group.MapPost("/batch", RegisterBatch).RequireAuthorization(Roles.Policies.Artisan)
            .WithSummary("Register up to 100 pieces (all or none)")
            .WithRequestExample(new RegisterBatchRequest([Example, Example with { Title = "Kani shawl, chinar motif" }]));
        group.MapGet("/{code}", Get).AllowAnonymous()
            .WithSummary("A piece with makers, events, custody history and on-chain proof; every record checked against the chain");
        routes.MapGet("/api/crafts", () => TypedResults.Ok(Crafts.All)).WithTags("Pieces").AllowAnonymous()
            .WithSummary("The craft catalogue: the keys a piece or artisan's craft may take, display names, accepted variants");
        routes.MapGet("/api/actors/{id}/pieces", InCustody).WithTags("Pieces").RequireAuthorization(Roles.Policies.Actor)
            .WithSummary("Pieces currently in the custody of an actor (the actor itself or an admin)");
        return routes;
    }

    private static readonly RegisterPieceRequest Example = new(
        Crafts.Kani, "Kani Pashmina shawl, paisley border", [new MakerInput("art_0123456789ab", "weaver"), new MakerInput("art_ba9876543210", "designer")],
        "Hand-woven on a traditional loom with kani sticks.", ["pashmina"], "200 x 100 cm", ["kani weaving"], null, "GI-PASH-2024-001234");

    private static async Task<Accepted<PieceRegistered>> Register(
        RegisterPieceRequest request, ClaimsPrincipal user, PieceLookup pieces, PieceRegistrar registrar, CancellationToken ct)
    {
        request = request with { Craft = Crafts.KeyOf(request.Craft) }; // the catalogue's key is stored, never free text
        var artisan = await pieces.CallerAsync(user, ct);
        var result = (await registrar.RegisterAsync(artisan, [request], ct))[0];
        return TypedResults.Accepted(result.StatusUrl, result);
    }

    private static async Task<Accepted<BatchRegistered>> RegisterBatch(
        RegisterBatchRequest request, ClaimsPrincipal user, PieceLookup pieces, PieceRegistrar registrar, CancellationToken ct)
    {
        var requests = request.Pieces.Select((p, i) => p with { Craft = Crafts.KeyOf(p.Craft, $"pieces[{i}].craft") }).ToArray();
        var artisan = await pieces.CallerAsync(user, ct);
        var result = await registrar.RegisterAsync(artisan, requests, ct);
        return TypedResults.Accepted((string?)null, new BatchRegistered(result));
    }

    private static async Task<Ok<PieceDetails>> Get(string code, PieceReader reader, CancellationToken ct)
    {
        var normalized = PieceCode.Normalize(code) ?? throw ApiProblemException.NotFound($"'{code}' is not a valid piece code.", "UnknownPiece");
        var piece = await reader.ReadAsync(normalized, ct) ?? throw ApiProblemException.NotFound($"No piece with code {normalized}.", "UnknownPiece");
        return TypedResults.Ok(piece);
    }

    private static async Task<Ok<CustodyItem[]>> InCustody(string id, ClaimsPrincipal user, ActorStore actors, PieceReader reader, CancellationToken ct)
    {
        if (user.ActorId() != id && !user.IsInRole(Roles.Admin))
        {
            throw ApiProblemException.Forbidden("Only the actor itself or an admin lists its custody.");
        }

        var actor = await actors.FindAsync(id, ct) ?? throw ApiProblemException.NotFound($"No actor '{id}'.");
        return TypedResults.Ok(await reader.InCustodyOfAsync(actor.Address, ct));
    }
}
