using Provenance.Api.Tests.Durability;
using Provenance.Api.Tests.Support;

namespace Provenance.Api.Tests.Indexing;

/// <summary>A store whose process stopped in the middle of an index rebuild gets its indexes back when the gateway starts.</summary>
[Collection(ChainCollection.Name)]
public sealed class IndexerRestartTests(ChainFixture chain)
{
    private const string RebuiltTables = "'chain_events', 'chain_co_makers', 'piece_state', 'index_blocks'";

    [Fact]
    public async Task Start_StoreStoppedMidRebuild_IndexesRestoredAndIndexCaughtUp()
    {
        var copy = Directory.CreateTempSubdirectory("provenance-api-copy-").FullName;
        try
        {
            string masterKey;
            List<string> indexes;
            long events;
            using (var first = chain.CreateGateway())
            {
                var api = new ApiDriver(first);
                var artisan = await api.ArtisanAsync("Restart Weaver");
                var code = (await api.AcceptedAsync(artisan.Client, "/api/pieces", new
                {
                    craft = "kani", title = "Restart shawl", makers = new[] { new { actorId = artisan.Id, part = "weaver" } }, materials = new[] { "pashmina" },
                })).GetProperty("code").GetString()!;
                await api.AcceptedAsync(artisan.Client, $"/api/pieces/{code}/events", new { kind = "export", location = "Srinagar airport" });
                await api.PieceAsync(code, 2);
                masterKey = first.MasterKey;
                indexes = DurabilityTests.IndexDefinitions(first.DatabasePath);
                events = TestDb.Count(first.DatabasePath, "chain_events");
                TestDb.Execute(first.DatabasePath, $"VACUUM INTO '{Path.Combine(copy, "provenance.db")}'");
            }

            // The copy as a rebuild leaves it when its process stops after the drop: the indexes set aside, the tables empty.
            var path = Path.Combine(copy, "provenance.db");
            TestDb.Execute(path, "INSERT INTO index_deferred(name, sql) SELECT name, sql FROM sqlite_master " +
                                 $"WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({RebuiltTables})");
            foreach (var name in TestDb.Column<string>(path, "SELECT name FROM index_deferred"))
            {
                TestDb.Execute(path, $"DROP INDEX {name}");
            }

            TestDb.Execute(path, "DELETE FROM chain_events; DELETE FROM chain_co_makers; DELETE FROM piece_state; DELETE FROM index_blocks; DELETE FROM index_cursor;");
            DurabilityTests.IndexDefinitions(path).Should().BeEmpty();

            using var second = chain.CreateGateway(new Dictionary<string, string?>
            {
                ["Storage:DataDirectory"] = copy, ["Security:MasterKey"] = masterKey,
            });
            second.CreateClient().Dispose(); // starts the host, and with it the indexer
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((TestDb.Count(path, "index_deferred") > 0 || TestDb.Count(path, "chain_events") < events) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            TestDb.Count(path, "index_deferred").Should().Be(0);
            DurabilityTests.IndexDefinitions(path).Should().Equal(indexes);
            TestDb.Count(path, "chain_events").Should().Be(events);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(copy, recursive: true);
        }
    }
}
