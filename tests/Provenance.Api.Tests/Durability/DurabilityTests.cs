using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Provenance.Api.Tests.Support;

namespace Provenance.Api.Tests.Durability;

[Collection(ChainCollection.Name)]
public sealed class DurabilityTests(ChainFixture chain)
{
    private static object Piece(string artisanId, string title) => new
    {
        craft = "pashmina-kani", title, makers = new[] { new { actorId = artisanId, part = "weaver" } }, materials = new[] { "pashmina" },
    };

    private static async Task<string> RegisterAsync(TestActor artisan, string title)
    {
        var (status, body) = await ApiDriver.PostAsync(artisan.Client, "/api/pieces", Piece(artisan.Id, title));
        status.Should().Be(HttpStatusCode.Accepted, body.ToString());
        return body.GetProperty("operationId").GetString()!;
    }

    [Fact]
    public async Task Register_ManyConcurrentClientsOneRelayer_AllConfirmedNoncesContiguous()
    {
        const int clients = 64, writes = 50; // issue 5: 64 concurrent clients × 50 writes through one relayer key
        using var factory = chain.CreateGateway();
        var api = new ApiDriver(factory);
        var artisans = new List<TestActor>();
        for (var i = 0; i < clients; i++)
        {
            artisans.Add(await api.ArtisanAsync($"Artisan {i}"));
        }

        var txsBefore = TestDb.Count(factory.DatabasePath, "chain_txs");
        var ids = (await Task.WhenAll(artisans.Select(async a =>
        {
            var mine = new List<string>();
            for (var w = 0; w < writes; w++)
            {
                mine.Add(await RegisterAsync(a, $"Piece {w} of {a.Id}"));
            }

            return mine;
        }))).SelectMany(x => x).ToList();

        ids.Should().HaveCount(clients * writes).And.OnlyHaveUniqueItems();
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (TestDb.Count(factory.DatabasePath, "operations", "kind = 'register' AND status <> 'confirmed'") > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        TestDb.Count(factory.DatabasePath, "operations", "kind = 'register' AND status = 'confirmed'").Should().Be(clients * writes);
        TestDb.Count(factory.DatabasePath, "operations", "error_code IS NOT NULL").Should().Be(0);
        var batches = TestDb.Count(factory.DatabasePath, "chain_txs") - txsBefore;
        batches.Should().BeLessThan(clients * writes, "writes arriving together share executeBatch transactions");

        // The relayer's mined transactions use contiguous nonces, ending at its account's transaction count.
        var nonces = TestDb.Column<long>(factory.DatabasePath, "SELECT DISTINCT nonce FROM chain_txs WHERE status = 'mined' ORDER BY nonce");
        nonces.Should().Equal(Enumerable.Range((int)nonces[0], nonces.Count).Select(n => (long)n));
        var sender = TestDb.Column<string>(factory.DatabasePath, "SELECT sender FROM chain_txs LIMIT 1").Single();
        var count = Convert.ToInt64((await chain.Chain.RpcAsync("eth_getTransactionCount", [sender, "latest"])).GetString(), 16);
        count.Should().Be(nonces[^1] + 1);
    }

    [Fact]
    public async Task Relayer_RestartWithSentTransactionsDropped_ResendsEachWriteConfirmedOnce()
    {
        using var first = chain.CreateGateway();
        var api = new ApiDriver(first);
        var artisan = await api.ArtisanAsync("Crash Drill");
        var crashImage = Directory.CreateTempSubdirectory("provenance-crash-").FullName;
        var settings = new Dictionary<string, string?> { ["Storage:DataDirectory"] = crashImage, ["Security:MasterKey"] = first.MasterKey };
        List<string> sent;

        await chain.Chain.RpcAsync("evm_setAutomine", [false]);
        List<string> ids;
        try
        {
            ids = [];
            for (var i = 0; i < 6; i++)
            {
                ids.Add(await RegisterAsync(artisan, $"Crash piece {i}"));
            }

            var wait = DateTime.UtcNow.AddSeconds(30);
            while (TestDb.Count(first.DatabasePath, "operations", "kind = 'register' AND status = 'pending'") > 0 && DateTime.UtcNow < wait)
            {
                await Task.Delay(100);
            }

            TestDb.Count(first.DatabasePath, "operations", "kind = 'register' AND status = 'submitted'").Should().Be(6);
            sent = TestDb.Column<string>(first.DatabasePath, "SELECT tx_hash FROM chain_txs WHERE status = 'sent'");

            // The files as a kill -9 leaves them (the relayer is idle: nothing is being written), then the gateway goes.
            foreach (var file in Directory.GetFiles(first.DataDirectory).Where(f => !f.EndsWith("-shm", StringComparison.Ordinal)))
            {
                File.Copy(file, Path.Combine(crashImage, Path.GetFileName(file)));
            }

            first.Dispose();

            // The node forgets them too (as a restarted node or an evicting pool would).
            foreach (var hash in sent)
            {
                await chain.Chain.RpcAsync("hardhat_dropTransaction", [hash]);
            }
        }
        finally
        {
            await chain.Chain.RpcAsync("evm_setAutomine", [true]);
        }

        using var second = new GatewayFactory(chain.Chain.RpcUrl, chain.DeploymentFile, settings);
        var anonymous = second.ClientFor(null);
        foreach (var id in ids)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            string? status;
            do
            {
                await Task.Delay(100);
                status = (await anonymous.GetFromJsonAsync<JsonElement>($"/api/operations/{id}")).GetProperty("status").GetString();
            }
            while (status != "confirmed" && DateTime.UtcNow < deadline);

            status.Should().Be("confirmed");
        }

        var databasePath = Path.Combine(crashImage, "provenance.db");

        var perPiece = await RegistryLogs.PerPieceAsync(chain.Chain, chain.DeploymentFile);
        foreach (var pieceId in TestDb.Column<string>(databasePath, $"SELECT piece_id FROM pieces WHERE registrant_id = '{artisan.Id}'"))
        {
            perPiece.GetValueOrDefault(pieceId).Should().Be(1, "each piece is registered on chain exactly once");
        }

        TestDb.Column<string>(databasePath, $"SELECT piece_id FROM pieces WHERE registrant_id = '{artisan.Id}'").Should().HaveCount(6);
    }

    [Fact]
    public async Task Relayer_ChainRollsBackConfirmedBlocks_WritesResentAndConfirmedOnce()
    {
        using var factory = chain.CreateGateway();
        var api = new ApiDriver(factory);
        var artisan = await api.ArtisanAsync("Rollback Drill");
        var snapshot = (await chain.Chain.RpcAsync("evm_snapshot")).GetString()!;
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await RegisterAsync(artisan, $"Rollback piece {i}"));
        }

        foreach (var id in ids)
        {
            (await api.WaitForOperationAsync(id)).GetProperty("status").GetString().Should().Be("confirmed");
        }

        var lostBlocks = TestDb.Column<string>(factory.DatabasePath, "SELECT DISTINCT block_hash FROM operations WHERE kind = 'register'");
        (await chain.Chain.RpcAsync("evm_revert", [snapshot])).GetBoolean().Should().BeTrue();
        await chain.Chain.RpcAsync("evm_mine"); // the chain moves on without them

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline &&
               (TestDb.Count(factory.DatabasePath, "operations", "kind = 'register' AND status <> 'confirmed'") > 0 ||
                TestDb.Column<string>(factory.DatabasePath, "SELECT DISTINCT block_hash FROM operations WHERE kind = 'register'").Intersect(lostBlocks).Any()))
        {
            await Task.Delay(200);
        }

        TestDb.Count(factory.DatabasePath, "operations", "kind = 'register' AND status = 'confirmed'").Should().Be(4);
        TestDb.Column<string>(factory.DatabasePath, "SELECT DISTINCT block_hash FROM operations WHERE kind = 'register'").Should().NotIntersectWith(lostBlocks);
        var perPiece = await RegistryLogs.PerPieceAsync(chain.Chain, chain.DeploymentFile);
        foreach (var pieceId in TestDb.Column<string>(factory.DatabasePath, $"SELECT piece_id FROM pieces WHERE registrant_id = '{artisan.Id}'"))
        {
            perPiece.GetValueOrDefault(pieceId).Should().Be(1);
        }

        // The index converges on the new chain: no row from the lost blocks.
        var indexDeadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < indexDeadline && TestDb.Count(factory.DatabasePath, "piece_state") < 4)
        {
            await Task.Delay(200);
        }

        var orphaned = string.Join(",", lostBlocks.Select(h => $"'{h}'"));
        TestDb.Count(factory.DatabasePath, "chain_events", $"block_hash IN ({orphaned})").Should().Be(0);
    }

    [Fact]
    public async Task Index_DroppedAndRebuiltFromChain_SameDigest()
    {
        using var factory = chain.CreateGateway();
        var api = new ApiDriver(factory);
        var artisan = await api.ArtisanAsync("Digest Artisan");
        var handler = await api.HandlerAsync("Digest Exports", "exporter");
        var registered = await api.AcceptedAsync(artisan.Client, "/api/pieces", Piece(artisan.Id, "Digest shawl"));
        var code = registered.GetProperty("code").GetString()!;
        await api.AcceptedAsync(artisan.Client, $"/api/pieces/{code}/events", new { kind = "export", location = "Srinagar airport" });
        await api.PieceAsync(code, 2);
        var head = Convert.ToInt64((await chain.Chain.RpcAsync("eth_blockNumber")).GetString(), 16);
        var live = await api.IndexedAsync(head);
        TestDb.Count(factory.DatabasePath, "chain_events").Should().BeGreaterThan(0);

        var indexes = IndexDefinitions(factory.DatabasePath);
        indexes.Should().Contain(d => d.StartsWith("chain_events_craft ", StringComparison.Ordinal));

        // Tampering changes the digest; the rebuild from the chain restores it.
        TestDb.Execute(factory.DatabasePath, "DELETE FROM chain_events WHERE rowid = (SELECT MAX(rowid) FROM chain_events)");
        var tampered = await api.Admin.GetFromJsonAsync<JsonElement>("/api/admin/index");
        tampered.GetProperty("digest").GetString().Should().NotBe(live.GetProperty("digest").GetString());

        var response = await api.Admin.PostAsync("/api/admin/index/rebuild", null);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var rebuilt = await response.Content.ReadFromJsonAsync<JsonElement>();
        rebuilt.GetProperty("indexedTo").GetInt64().Should().Be(live.GetProperty("indexedTo").GetInt64());
        rebuilt.GetProperty("digest").GetString().Should().Be(live.GetProperty("digest").GetString());
        _ = handler;

        // The indexes it set aside while it refilled the tables are back, as they were.
        IndexDefinitions(factory.DatabasePath).Should().Equal(indexes);
        TestDb.Count(factory.DatabasePath, "index_deferred").Should().Be(0);

        // Not for everyone.
        (await artisan.Client.PostAsync("/api/admin/index/rebuild", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    /// <summary>Name and definition of every secondary index of the tables a rebuild refills.</summary>
    internal static List<string> IndexDefinitions(string databasePath) => TestDb.Column<string>(databasePath,
        "SELECT name || ' ' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL " +
        "AND tbl_name IN ('chain_events', 'chain_co_makers', 'piece_state', 'index_blocks') ORDER BY name");
}
