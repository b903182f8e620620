using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Provenance.Api.Actors;
using Provenance.Api.Hosting;
using Provenance.Api.Security;

namespace Provenance.Api.Audit;

/// <summary>The auditor's API: queries, exports, integrity check, statistics; auditor onboarding; EPCIS import.</summary>
public static class AuditApi
{
    /// <summary>Largest EPCIS document accepted for import.</summary>
    public const int MaxImportBytes = 8 * 1024 * 1024;

    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        var audit = routes.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(AuditExtensions.AuditorPolicy);
        audit.MapGet("/events", Events).WithSummary("History events in chain order, filtered, cursor-paged");
        audit.MapGet("/pieces", Pieces).WithSummary("Pieces in order of registration, filtered, cursor-paged");
        audit.MapGet("/events/export", Export).WithSummary("The filtered events as CSV, JSON or EPCIS 2.0 JSON-LD (format=csv|json|epcis), streamed");
        audit.MapGet("/integrity", Integrity).WithSummary("Every stored record and hash chain checked against the chain (or one piece)");
        audit.MapGet("/statistics", Statistics).WithSummary("Pieces per craft, cluster, month; handoffs per party; payment share; scans");

        routes.MapPost("/api/actors/auditors", OnboardAuditor).WithTags("Actors").RequireAuthorization(Roles.Policies.Admin)
            .WithSummary("Onboard an auditor (read-only access to /api/audit)");
        routes.MapPost("/api/epcis/events", Import).WithTags("EPCIS").RequireAuthorization(Roles.Policies.Actor)
            .WithSummary("Import an EPCIS 2.0 JSON-LD document of ObjectEvents about known pieces as the caller's events")
            .WithMetadata(new RequestSizeLimitAttribute(MaxImportBytes))
            .Accepts<JsonElement>("application/ld+json", "application/json");
    }

    private static async Task<Ok<AuditPage<AuditEvent>>> Events([AsParameters] AuditFilter filter, AuditStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.EventsAsync(filter, ct));

    private static async Task<Ok<AuditPage<AuditPiece>>> Pieces([AsParameters] AuditFilter filter, AuditStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.PiecesAsync(filter, ct));

    private static async Task<PushStreamHttpResult> Export(
        [AsParameters] AuditFilter filter, string? format, AuditStore store, AuditExports exports, HttpContext http, CancellationToken ct)
    {
        var f = Enum.TryParse<ExportFormat>(format ?? "json", ignoreCase: true, out var parsed) && !int.TryParse(format, out _)
            ? parsed
            : throw ApiProblemException.BadRequest($"format '{format}' is not csv, json or epcis.");
        await store.CheckAsync(filter, ct);
        var (type, name) = f switch
        {
            ExportFormat.Csv => ("text/csv; charset=utf-8", "audit-events.csv"),
            ExportFormat.Epcis => ("application/ld+json", "audit-events.epcis.jsonld"),
            _ => ("application/json", "audit-events.json"),
        };
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Stream(stream => f switch
        {
            ExportFormat.Csv => exports.WriteCsvAsync(stream, filter, ct),
            ExportFormat.Epcis => exports.WriteEpcisAsync(stream, filter, ct),
            _ => exports.WriteJsonAsync(stream, filter, ct),
        }, type, name);
    }

    private static async Task<Ok<IntegrityReport>> Integrity(string? piece, IntegrityChecker checker, CancellationToken ct) =>
        TypedResults.Ok(await checker.CheckAsync(piece, ct));

    private static async Task<Ok<AuditStatistics>> Statistics(StatisticsReader reader, CancellationToken ct) =>
        TypedResults.Ok(await reader.ReadAsync(ct));

    private static async Task<Created<ActorCreated>> OnboardAuditor(OnboardAuditorRequest request, ActorStore actors, CancellationToken ct)
    {
        var profile = JsonSerializer.SerializeToElement(request, AuditJsonContext.Default.OnboardAuditorRequest);
        var created = await actors.CreateAsync(AuditExtensions.AuditorRole, request.Name, profile, null, ct);
        return TypedResults.Created($"/api/actors/{created.Id}", created);
    }

    private static async Task<Results<Accepted<EpcisImportAccepted>, ProblemHttpResult>> Import(
        HttpRequest request, ClaimsPrincipal user, EpcisImport import, CancellationToken ct)
    {
        var type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (type is not ("application/json" or "application/ld+json"))
        {
            throw new ApiProblemException(415, "Unsupported media type", "Send the EPCIS document as application/ld+json or application/json.");
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ct);
        try
        {
            return TypedResults.Accepted((string?)null, await import.ImportAsync(body.GetBuffer().AsMemory(0, (int)body.Length), user, ct));
        }
        catch (EpcisRejectedException e)
        {
            return TypedResults.Problem(e.Message, statusCode: e.Status, title: "EPCIS document rejected",
                extensions: new Dictionary<string, object?> { ["errors"] = e.Errors, ["code"] = "EpcisRejected" });
        }
    }
}
