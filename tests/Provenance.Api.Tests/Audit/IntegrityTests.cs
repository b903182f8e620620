using System.Text.Json;
using Provenance.Api.Tests.Support;
using Provenance.Ethereum;
using Verifier = Provenance.Verify.VerifyCommand;
using VerifyOptions = Provenance.Verify.VerifyOptions;

namespace Provenance.Api.Tests.Audit;

/// <summary>
/// The integrity check (API) and provenance-verify (chain-only, against the gateway's API and against its store) on a
/// clean history, then after a record is altered, a record row deleted, a record re-filed under another hash and an
/// indexed event row deleted.
/// </summary>
[Collection(ChainCollection.Name)]
public sealed class IntegrityTests(ChainFixture chain) : IDisposable
{
    private readonly GatewayFactory _factory = chain.CreateGateway();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task IntegrityAndVerifier_CleanThenTampered_NameEveryDifference()
    {
        var api = new ApiDriver(_factory);
        var artisan = await api.ArtisanAsync("Shakeela");
        var auditor = await api.OnboardAsync("auditors", new { name = "Audit desk" });
        var codes = new List<string>();
        foreach (var title in new[] { "Box A", "Box B", "Box C", "Box D" })
        {
            var registered = await api.AcceptedAsync(artisan.Client, "/api/pieces", new
            {
                craft = "papier-mache", title, makers = new[] { new { actorId = artisan.Id, part = "painter" } },
            });
            var code = registered.GetProperty("code").GetString()!;
            await api.AcceptedAsync(artisan.Client, $"/api/pieces/{code}/events", new { kind = "processing", step = "finishing", notes = "lacquered" });
            await api.PieceAsync(code, 2);
            codes.Add(code);
        }

        var clean = await IntegrityAsync(auditor);
        clean.GetProperty("clean").GetBoolean().Should().BeTrue(clean.ToString());
        clean.GetProperty("totals").GetProperty("recordsVerified").GetInt64().Should().Be(8);
        var cleanRun = await VerifyAsync(auditor, store: true);
        cleanRun.Clean.Should().BeTrue(string.Join("\n", cleanRun.Differences));

        var (a, b, c, d) = (codes[0], codes[1], codes[2], codes[3]);
        TestDb.Execute(_factory.DatabasePath, $"UPDATE records SET json = replace(json, 'lacquered', 'machine-printed') WHERE piece_code = '{a}' AND kind = 'event'");
        TestDb.Execute(_factory.DatabasePath, $"DELETE FROM records WHERE piece_code = '{b}' AND kind = 'piece'");
        TestDb.Execute(_factory.DatabasePath, $"UPDATE records SET hash = '0x{new string('a', 64)}' WHERE piece_code = '{d}' AND kind = 'event'");
        var cId = Ids(c);
        TestDb.Execute(_factory.DatabasePath, $"DELETE FROM chain_events WHERE piece_id = '{cId}' AND seq = 2");

        var report = await IntegrityAsync(auditor);
        report.GetProperty("clean").GetBoolean().Should().BeFalse();
        var problems = report.GetProperty("problems").EnumerateArray()
            .Select(p => (p.GetProperty("pieceCode").GetString(), p.TryGetProperty("seq", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : (long?)null,
                p.GetProperty("problem").GetString())).ToList();
        problems.Should().BeEquivalentTo(new (string?, long?, string?)[]
        {
            (a, 2, "recordMismatch"),
            (b, 1, "recordMissingInStore"),
            (d, 2, "recordMissingInStore"),
            (d, null, "recordMissingOnChain"),
            (c, 2, "eventCountDifference"),
            (c, null, "headMismatch"),
            (c, null, "recordMissingOnChain"), // its event row is gone from the index
        });
        var totals = report.GetProperty("totals");
        (totals.GetProperty("recordsMismatched").GetInt64(), totals.GetProperty("eventCountDifferences").GetInt64(), totals.GetProperty("headMismatches").GetInt64())
            .Should().Be((1L, 1L, 1L));
        var one = await IntegrityAsync(auditor, $"?piece={a}");
        one.GetProperty("totals").GetProperty("pieces").GetInt64().Should().Be(1);
        one.GetProperty("problems").GetArrayLength().Should().Be(1);

        // The independent verifier, from the chain's logs: through the gateway's API and through its store.
        var run = await VerifyAsync(auditor, store: true);
        run.Clean.Should().BeFalse();
        var found = run.Differences.Select(x => x.ToString()).ToList();
        found.Should().Contain(x => x.StartsWith($"gateway: piece {a} event 2 [record] the Processing record was altered"));
        found.Should().Contain(x => x.StartsWith($"store: piece {a} event 2 [record] the Processing record was altered"));
        found.Should().Contain(x => x.StartsWith($"store: piece {b} event 1 [record] the Registration record") && x.Contains("missing from the source"));
        found.Should().Contain(x => x.StartsWith($"gateway: piece {c} event 2 [event] Processing in block") && x.Contains("missing from GET /api/audit/events"));
        found.Should().Contain(x => x.StartsWith($"store: piece {c} event 2 [event]") && x.Contains("missing from chain_events"));
        found.Should().Contain(x => x.StartsWith($"store: piece {d} [record]") && x.Contains("no entry of the piece's history on chain carries its hash"));
        found.Should().NotContain(x => x.StartsWith("chain:"), "the chain itself is consistent");
    }

    private async Task<JsonElement> IntegrityAsync(TestActor auditor, string query = "")
    {
        var response = await auditor.Client.GetAsync("/api/audit/integrity" + query);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<Provenance.Verify.Checks.VerificationReport> VerifyAsync(TestActor auditor, bool store)
    {
        using var deployment = JsonDocument.Parse(await File.ReadAllTextAsync(chain.DeploymentFile));
        var options = new VerifyOptions(new Uri(chain.Chain.RpcUrl), Address.Parse(deployment.RootElement.GetProperty("address").GetString()!),
            deployment.RootElement.GetProperty("deployBlock").GetUInt64(), null, null, store ? _factory.DatabasePath : null);
        return await Verifier.RunAsync(options, CancellationToken.None, auditor.Client);
    }

    private static string Ids(string code) =>
        Provenance.Ethereum.Hex.HexConvert.ToHex(Provenance.Ethereum.Crypto.Keccak.Keccak256(System.Text.Encoding.UTF8.GetBytes(code)));
}
