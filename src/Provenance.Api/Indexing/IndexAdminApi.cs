using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Provenance.Api.Data;
using Provenance.Api.Security;

namespace Provenance.Api.Indexing;

/// <summary>The index's state, digest and rebuild.</summary>
public sealed record IndexStatus(long IndexedTo, string Digest);

/// <summary>
/// Admin endpoints <c>GET /api/admin/index</c> (cursor and digest) and <c>POST /api/admin/index/rebuild</c> (drop the
/// index and rebuild it from the chain alone); the same rebuild runs from the command line with
/// <c>dotnet Provenance.Api.dll rebuild-index</c>.
/// </summary>
public static class IndexAdminApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapIndexAdmin(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin/index").WithTags("Admin").RequireAuthorization(Roles.Policies.Admin);
        group.MapGet("/", Get).WithSummary("Block indexed to, and the digest of the index (events and piece projection)");
        group.MapPost("/rebuild", Rebuild).WithSummary("Drop the index and rebuild it from the chain alone; returns the new digest");
        return routes;
    }

    private static async Task<Ok<IndexStatus>> Get(Db db, CancellationToken ct)
    {
        var cursor = await db.ReadAsync(c => c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT block_number FROM index_cursor WHERE id = 1", cancellationToken: ct)), ct) ?? 0;
        return TypedResults.Ok(new IndexStatus(cursor, await Indexer.DigestAsync(db, cursor, ct)));
    }

    private static async Task<Ok<IndexStatus>> Rebuild(Indexer indexer, Db db, CancellationToken ct)
    {
        var to = await indexer.RebuildAsync(ct);
        return TypedResults.Ok(new IndexStatus(to, await Indexer.DigestAsync(db, to, ct)));
    }

    /// <summary>
    /// <c>rebuild-index</c> on the command line: migrate the store, rebuild the index from the chain, print the block,
    /// the rebuild's own time (from dropping the index to the last page committed), the digest and the CPU time the process
    /// spent on the rebuild (all its threads; on a shared machine a steadier figure than the wall time). Nothing else
    /// starts (no relayer, no HTTP).
    /// </summary>
    public static async Task<int> RunRebuildCommandAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<Db>();
        await using (var connection = await db.OpenAsync(ct))
        {
            await Migrations.ApplyAsync(connection, ct);
        }

        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var to = await services.GetRequiredService<Indexer>().RebuildAsync(ct);
        var seconds = watch.Elapsed.TotalSeconds;
        var cpuSeconds = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var digest = await Indexer.DigestAsync(db, to, ct);
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"index rebuilt to block {to} in {seconds:F2} s; digest {digest}; cpu {cpuSeconds:F2} s"));
        return 0;
    }
}
