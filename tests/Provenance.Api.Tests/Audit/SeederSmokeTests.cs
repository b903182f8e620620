using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Api.Data;
using Provenance.Api.Tests.Support;
using Provenance.Audit.Benchmarks;

namespace Provenance.Api.Tests.Audit;

/// <summary>
/// The auditor benchmark's seeding tool (scripts/bench-audit.sh), tiny: its pieces and histories must be on the real
/// chain, indexed by the gateway's own indexer, and consistent with the store (clean integrity check, every record
/// verified), with the parties the audit filters find.
/// </summary>
/// <remarks>On a registry of its own (deployed on the shared node): other tests count every piece of the shared one.</remarks>
[Collection(ChainCollection.Name)]
public sealed class SeederSmokeTests(ChainFixture chain)
{
    [Fact]
    public async Task Seed_TwelvePieces_OnChainIndexedAndConsistentWithTheStore()
    {
        var deployment = await chain.Chain.DeployRegistryAsync(Path.Combine(Directory.CreateTempSubdirectory("provenance-seed-").FullName, "deployment.json"));
        using var factory = new GatewayFactory(chain.Chain.RpcUrl, deployment);
        var api = new ApiDriver(factory);
        var seeder = new Seeder(new Provenance.Audit.Benchmarks.Chain(chain.Chain.RpcUrl, deployment), factory.Services.GetRequiredService<Db>(), api.Admin,
            new SeedOptions(Pieces: 12, Events: 120, BatchSize: 5, Artisans: 2, Handlers: 2, Certifiers: 1, SpanDays: 0), TextWriter.Null);

        var seeded = await seeder.RunAsync(CancellationToken.None);

        seeded.Events.Should().Be(120);
        var auditor = await api.OnboardAsync("auditors", new { name = "Seed audit desk" });
        for (var i = 0; i < 300; i++) // the gateway's indexer follows the chain
        {
            if ((await PageAsync(auditor, "/api/audit/events?limit=1")).GetProperty("indexedBlock").GetInt64() >= seeded.LastBlock)
            {
                break;
            }

            await Task.Delay(100);
        }

        string[] codes;
        await using (var c = new SqliteConnection($"Data Source={factory.DatabasePath};Mode=ReadOnly"))
        {
            codes = (await c.QueryAsync<string>("SELECT code FROM pieces ORDER BY rowid")).ToArray();
        }

        codes.Should().HaveCount(12);
        foreach (var code in codes)
        {
            var report = await PageAsync(auditor, $"/api/audit/integrity?piece={code}");
            report.GetProperty("clean").GetBoolean().Should().BeTrue(report.ToString());
            report.GetProperty("totals").GetProperty("recordsVerified").GetInt64().Should().Be(10, "every seeded entry carries its record's hash");
        }

        var history = (await PageAsync(auditor, $"/api/audit/events?piece={codes[1]}")).GetProperty("items").EnumerateArray()
            .Select(e => e.GetProperty("kind").GetString()).ToArray();
        history.Should().Equal("Registration", "Processing", "Processing", "Certification", "Handoff", "Shipping", "Handoff", "Export", "Sale", "PaymentConfirmed");
        var flagged = await PageAsync(auditor, $"/api/audit/pieces?piece={codes[0]}");
        flagged.GetProperty("items")[0].GetProperty("status").GetString().Should().Be("Flagged", "every 20th piece is flagged instead of paid");
        var artisan = flagged.GetProperty("items")[0].GetProperty("artisanId").GetString();
        (await PageAsync(auditor, $"/api/audit/pieces?artisan={artisan}")).GetProperty("items").GetArrayLength().Should().Be(6, "two artisans share 12 pieces");
    }

    private static async Task<JsonElement> PageAsync(TestActor auditor, string url)
    {
        var response = await auditor.Client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
