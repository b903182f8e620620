using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Provenance.Api.Tests.Support;

namespace Provenance.Api.Tests.Indexing;

/// <summary>The indexer's rewind after a rollback leaves the same index a rebuild from the chain alone gives.</summary>
[Collection(ChainCollection.Name)]
public sealed class IndexerRewindTests(ChainFixture chain)
{
    private static object Piece(string artisanId, string title) => new
    {
        craft = "kani", title, makers = new[] { new { actorId = artisanId, part = "weaver" } }, materials = new[] { "pashmina" },
    };

    [Fact]
    public async Task CatchUp_ChainRolledBackUnderIndexedEntries_IndexEqualsRebuild()
    {
        using var factory = chain.CreateGateway();
        var api = new ApiDriver(factory);
        var artisan = await api.ArtisanAsync("Rewind Weaver");
        var touched = (await api.AcceptedAsync(artisan.Client, "/api/pieces", Piece(artisan.Id, "Rewind shawl"))).GetProperty("code").GetString()!;
        var untouched = (await api.AcceptedAsync(artisan.Client, "/api/pieces", Piece(artisan.Id, "Quiet shawl"))).GetProperty("code").GetString()!;
        await api.PieceAsync(touched, 1);
        await api.PieceAsync(untouched, 1);
        var beforeSnapshot = Hashes(factory.DatabasePath);
        var snapshot = (await chain.Chain.RpcAsync("evm_snapshot")).GetString()!;

        // After the snapshot: an entry of a piece registered before it, and a piece registered after it.
        await api.AcceptedAsync(artisan.Client, $"/api/pieces/{touched}/events", new { kind = "export", location = "Srinagar airport" });
        var later = (await api.AcceptedAsync(artisan.Client, "/api/pieces", Piece(artisan.Id, "Later shawl"))).GetProperty("code").GetString()!;
        await api.PieceAsync(touched, 2);
        await api.PieceAsync(later, 1);
        var lost = Hashes(factory.DatabasePath).Except(beforeSnapshot).ToList();
        lost.Should().NotBeEmpty();
        (await chain.Chain.RpcAsync("evm_revert", [snapshot])).GetBoolean().Should().BeTrue();
        await chain.Chain.RpcAsync("evm_mine");

        // The relayer resends the lost writes; the indexer rewinds and indexes them again in new blocks.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline &&
               (TestDb.Count(factory.DatabasePath, "operations", "status <> 'confirmed'") > 0 ||
                Hashes(factory.DatabasePath).Intersect(lost).Any() ||
                TestDb.Count(factory.DatabasePath, "pieces p JOIN piece_state s ON s.piece_id = p.piece_id", $"p.code = '{touched}' AND s.event_count = 2") < 1 ||
                TestDb.Count(factory.DatabasePath, "pieces p JOIN piece_state s ON s.piece_id = p.piece_id", $"p.code = '{later}'") < 1))
        {
            await Task.Delay(200);
        }

        var head = await chain.BlockNumberAsync();
        var live = await api.IndexedAsync(head);
        live.GetProperty("indexedTo").GetInt64().Should().Be(head);
        Hashes(factory.DatabasePath).Should().NotIntersectWith(lost, "no entry of a rolled-back block stays indexed");
        (await api.PieceAsync(touched, 2)).GetProperty("events").GetArrayLength().Should().Be(2);
        (await api.PieceAsync(untouched, 1)).GetProperty("events").GetArrayLength().Should().Be(1);
        (await api.PieceAsync(later, 1)).GetProperty("events").GetArrayLength().Should().Be(1);

        var response = await api.Admin.PostAsync("/api/admin/index/rebuild", null);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var rebuilt = await response.Content.ReadFromJsonAsync<JsonElement>();
        rebuilt.GetProperty("indexedTo").GetInt64().Should().Be(head);
        rebuilt.GetProperty("digest").GetString().Should().Be(live.GetProperty("digest").GetString(),
            "the rewound index (projection re-folded for the pieces touched after the fork only) equals one rebuilt from the chain");
    }

    private static HashSet<string> Hashes(string path) => [.. TestDb.Column<string>(path, "SELECT DISTINCT block_hash FROM chain_events")];
}
