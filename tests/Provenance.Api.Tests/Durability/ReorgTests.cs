using System.Text.Json;
using Provenance.Api.Tests.Support;
using Provenance.Testing;

namespace Provenance.Api.Tests.Durability;

[Collection(ChainCollection.Name)]
public sealed class ReorgTests(ChainFixture chain)
{
    [Fact]
    public async Task AnvilReorg_IndexedBlocksReplaced_IndexConvergesWritesResentOnce()
    {
        _ = chain; // compiled contracts
        var dir = Directory.CreateTempSubdirectory("provenance-reorg-").FullName;
        await using var anvil = await DevChainProcess.StartAnvilAsync();
        var deployment = await anvil.DeployRegistryAsync(Path.Combine(dir, "deployment.json"));
        using var factory = new GatewayFactory(anvil.RpcUrl, deployment);
        var api = new ApiDriver(factory);
        var artisan = await api.ArtisanAsync("Reorg Weaver");
        var codes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var registered = await api.AcceptedAsync(artisan.Client, "/api/pieces", new
            {
                craft = "pashmina-kani", title = $"Reorg piece {i}", makers = new[] { new { actorId = artisan.Id, part = "weaver" } },
                materials = new[] { "pashmina" },
            });
            codes.Add(registered.GetProperty("code").GetString()!);
        }

        foreach (var code in codes)
        {
            await api.PieceAsync(code, 1); // indexed
        }

        var oldHashes = TestDb.Column<string>(factory.DatabasePath, "SELECT DISTINCT block_hash FROM chain_events");
        oldHashes.Should().NotBeEmpty();
        await anvil.RpcAsync("anvil_reorg", [4, Array.Empty<object>()]); // the last 4 blocks replaced by empty ones

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline &&
               (TestDb.Column<string>(factory.DatabasePath, "SELECT DISTINCT block_hash FROM chain_events").Intersect(oldHashes).Any() ||
                TestDb.Count(factory.DatabasePath, "piece_state") < 3 ||
                TestDb.Count(factory.DatabasePath, "operations", "kind = 'register' AND status <> 'confirmed'") > 0))
        {
            await Task.Delay(200);
        }

        TestDb.Count(factory.DatabasePath, "chain_events", $"block_hash IN ({string.Join(",", oldHashes.Select(h => $"'{h}'"))})")
            .Should().Be(0, "no row of a replaced block stays in the index");
        TestDb.Count(factory.DatabasePath, "piece_state").Should().Be(3);
        TestDb.Count(factory.DatabasePath, "operations", "kind = 'register' AND status = 'confirmed'").Should().Be(3);
        var perPiece = await RegistryLogs.PerPieceAsync(anvil, deployment);
        foreach (var pieceId in TestDb.Column<string>(factory.DatabasePath, "SELECT piece_id FROM pieces"))
        {
            perPiece.GetValueOrDefault(pieceId).Should().Be(1);
        }

        // Every indexed event's block is on the chain now.
        foreach (var row in TestDb.Column<string>(factory.DatabasePath, "SELECT DISTINCT block_number || ':' || block_hash FROM chain_events"))
        {
            var (number, hash) = (Convert.ToInt64(row.Split(':')[0]), row.Split(':')[1]);
            var block = await anvil.RpcAsync("eth_getBlockByNumber", [$"0x{number:x}", false]);
            block.GetProperty("hash").GetString().Should().Be(hash);
        }
    }
}
