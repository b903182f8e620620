using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Provenance.Api.Hosting;
using Provenance.Api.Security;

namespace Provenance.Api.Actors;

/// <summary>Admin onboarding of artisans, handlers and certifiers; actor look-ups.</summary>
public static class ActorsApi
{
    /// <summary>Maps <c>/api/actors</c>.</summary>
    public static IEndpointRouteBuilder MapActors(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/actors").WithTags("Actors").RequireAuthorization(Roles.Policies.Admin);
        admin.MapPost("/artisans", OnboardArtisan).WithSummary("Onboard an artisan (custodial key unless an address is given)")
            .WithRequestExample(Examples.Artisan);
        admin.MapPost("/handlers", OnboardHandler).WithSummary("Onboard a middleman, exporter or retailer")
            .WithRequestExample(Examples.Handler);
        admin.MapPost("/certifiers", OnboardCertifier).WithSummary("Onboard a certifier (GI lab, CDI)")
            .WithRequestExample(Examples.Certifier);
        admin.MapGet("/", List).WithSummary("List actors");

        var actors = routes.MapGroup("/api/actors").WithTags("Actors").RequireAuthorization(Roles.Policies.Actor);
        actors.MapGet("/me", Me).WithSummary("The calling actor");
        actors.MapGet("/{id}", Get).WithSummary("An actor (public profile unless it is you or you are admin)");
        return routes;
    }

    private static async Task<Created<ActorCreated>> OnboardArtisan(OnboardArtisanRequest request, ActorStore store, CancellationToken ct)
    {
        request = request with { Craft = Products.Crafts.KeyOf(request.Craft) }; // the catalogue's key, never free text
        var profile = JsonSerializer.SerializeToElement(request with { Address = null }, ApiJsonContext.Default.OnboardArtisanRequest);
        var created = await store.CreateAsync(Roles.Artisan, request.Name, profile, request.Address, ct);
        return TypedResults.Created($"/api/actors/{created.Id}", created);
    }

    private static async Task<Created<ActorCreated>> OnboardHandler(
        OnboardHandlerRequest request, ActorStore store, IOptions<JsonOptions> json, CancellationToken ct)
    {
        // The API's own JSON options: enums in the spelling clients send ("exporter").
        var profile = JsonSerializer.SerializeToElement(request with { Address = null }, json.Value.SerializerOptions);
        var created = await store.CreateAsync(Roles.Handler, request.BusinessName, profile, request.Address, ct);
        return TypedResults.Created($"/api/actors/{created.Id}", created);
    }

    private static async Task<Created<ActorCreated>> OnboardCertifier(OnboardCertifierRequest request, ActorStore store, CancellationToken ct)
    {
        var profile = JsonSerializer.SerializeToElement(request with { Address = null }, ApiJsonContext.Default.OnboardCertifierRequest);
        var created = await store.CreateAsync(Roles.Certifier, request.Name, profile, request.Address, ct);
        return TypedResults.Created($"/api/actors/{created.Id}", created);
    }

    private static async Task<Ok<ActorView[]>> List(ActorStore store, CancellationToken ct, string? kind = null, int limit = 100, int offset = 0)
    {
        var rows = await store.ListAsync(kind, Math.Clamp(limit, 1, 500), Math.Max(0, offset), ct);
        return TypedResults.Ok(rows.Select(r => View(r, full: true)).ToArray());
    }

    private static async Task<Ok<ActorView>> Me(ClaimsPrincipal user, ActorStore store, CancellationToken ct)
    {
        var row = await store.FindAsync(user.ActorId(), ct) ?? throw ApiProblemException.NotFound("Actor not found.");
        return TypedResults.Ok(View(row, full: true));
    }

    private static async Task<Ok<ActorView>> Get(string id, ClaimsPrincipal user, ActorStore store, CancellationToken ct)
    {
        var row = await store.FindAsync(id, ct) ?? throw ApiProblemException.NotFound($"No actor '{id}'.");
        var full = user.IsInRole(Roles.Admin) || user.ActorId() == row.Id;
        return TypedResults.Ok(View(row, full));
    }

    /// <summary>The API view of an actor; without <paramref name="full"/>, only what the actor chose to show.</summary>
    public static ActorView View(ActorRow row, bool full)
    {
        var profile = full ? JsonNode.Parse(row.ProfileJson)! : PublicProfile(row);
        var name = full || profile["name"] is not null || row.Kind != Roles.Artisan ? row.Name : "(name not shown)";
        return new ActorView(row.Id, row.Kind, name, row.Address, row.Custodial,
            JsonSerializer.SerializeToElement(profile, ApiJsonContext.Default.JsonNode),
            DateTimeOffset.Parse(row.CreatedAt, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The public part of a profile: for artisans, name/photo/village only as chosen; never the card number.</summary>
    public static JsonObject PublicProfile(ActorRow row)
    {
        var profile = JsonNode.Parse(row.ProfileJson)!.AsObject();
        if (row.Kind != Roles.Artisan)
        {
            return profile;
        }

        var visibility = profile["visibility"] as JsonObject;
        bool Show(string key, bool fallback) => visibility?[key]?.GetValue<bool>() ?? fallback;
        var result = new JsonObject
        {
            ["craft"] = profile["craft"]?.DeepClone(),
            ["cluster"] = profile["cluster"]?.DeepClone(),
            ["story"] = profile["story"]?.DeepClone(),
        };
        if (Show("name", true))
        {
            result["name"] = profile["name"]?.DeepClone();
        }

        if (Show("photo", false))
        {
            result["photo"] = profile["photo"]?.DeepClone();
        }

        if (Show("village", false))
        {
            result["village"] = profile["village"]?.DeepClone();
        }

        return result;
    }

    private static class Examples
    {
        public static readonly OnboardArtisanRequest Artisan = new(
            "Haleema Bano", Products.Crafts.Sozni, "Kanihama", "Kanihama", "JK-ART-2291", null,
            "Third-generation sozni embroiderer.", new PublicVisibility(Name: true, Photo: false, Village: true));

        public static readonly OnboardHandlerRequest Handler = new("Dal Lake Exports", HandlerKind.Exporter, "Srinagar");

        public static readonly OnboardCertifierRequest Certifier = new("Craft Development Institute GI Lab", "GI Pashmina testing");
    }
}
