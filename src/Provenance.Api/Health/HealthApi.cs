using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Provenance.Api.Data;

namespace Provenance.Api.Health;

/// <summary>The chain part of the health report.</summary>
public sealed record ChainHealth(bool Reachable, long? ChainId, bool RegistryDeployed, string? Registry, long? Head, long? IndexedBlock, long? IndexerLag, string? Error);

/// <summary>The store part of the health report.</summary>
public sealed record StoreHealth(bool Ok, int SchemaVersion, long PendingOperations, string? Error);

/// <summary>Health of the gateway: store and chain.</summary>
public sealed record HealthReport(string Status, StoreHealth Store, ChainHealth Chain);

/// <summary>Reports the chain's state for /health (implemented by the Chain feature).</summary>
public interface IChainHealthProbe
{
    /// <summary>Probes the chain with a short timeout.</summary>
    Task<ChainHealth> ProbeAsync(CancellationToken ct);
}

/// <summary><c>/health</c>: 200 when store and chain are fine, 503 otherwise (same body).</summary>
public static class HealthApi
{
    /// <summary>Maps <c>/health</c>.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", Get).WithTags("Health").WithSummary("Store and chain health").AllowAnonymous();
        return routes;
    }

    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> Get(
        Db db, IChainHealthProbe chain, CancellationToken ct)
    {
        StoreHealth store;
        try
        {
            store = await db.ReadAsync(async c => new StoreHealth(
                true,
                await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COALESCE(MAX(version),0) FROM schema_migrations", cancellationToken: ct)),
                await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM operations WHERE status IN ('pending','submitted')", cancellationToken: ct)),
                null), ct);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            store = new StoreHealth(false, 0, 0, e.Message);
        }

        var chainHealth = await chain.ProbeAsync(ct);
        var ok = store.Ok && chainHealth.Reachable && chainHealth.RegistryDeployed;
        var report = new HealthReport(ok ? "healthy" : "unhealthy", store, chainHealth);
        return ok ? TypedResults.Ok(report) : TypedResults.Json(report, statusCode: 503);
    }
}
