using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Provenance.Api.Tests.Support;

namespace Provenance.Api.Tests.Durability;

[Collection(ChainCollection.Name)]
public sealed class CrashDrillTests(ChainFixture chain)
{
    private static readonly bool Full = Environment.GetEnvironmentVariable("PROVENANCE_PROFILE") == "full";

    [Fact]
    public async Task Gateway_KilledDuringBurstsAndRestarted_EveryAcknowledgedWriteOnChainOnce()
    {
        var (kills, clients) = Full ? (8, 8) : (5, 4); // issue 5: at least 5 kills
        var data = Directory.CreateTempSubdirectory("provenance-drill-").FullName;
        var masterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var gateway = await GatewayProcess.StartAsync(data, masterKey, chain.Chain.RpcUrl, chain.DeploymentFile);
        var adminKey = (await File.ReadAllTextAsync(Path.Combine(data, "admin-api-key"))).Trim();
        var (artisanId, artisanKey) = await OnboardAsync(gateway, adminKey);

        var acknowledged = new ConcurrentDictionary<string, string>(); // idempotency key → operation id
        var unanswered = new ConcurrentDictionary<string, object>(); // key → body, sent when the gateway died
        var random = new Random(5);
        try
        {
            for (var round = 0; round <= kills; round++)
            {
                // Retry what the last crash left unanswered, with the same keys (the client's side of exactly once).
                using var client = gateway.Client(artisanKey);
                foreach (var (key, body) in unanswered.ToArray())
                {
                    if (await TryPostAsync(client, key, body) is { } op)
                    {
                        acknowledged[key] = op;
                        unanswered.TryRemove(key, out _);
                    }
                }

                if (round == kills)
                {
                    break;
                }

                using var stop = new CancellationTokenSource();
                var burst = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
                {
                    for (var i = 0; !stop.IsCancellationRequested; i++)
                    {
                        var key = $"drill-{round}-{c}-{i}";
                        var body = new
                        {
                            craft = "pashmina-kani", title = $"Drill piece {key}",
                            makers = new[] { new { actorId = artisanId, part = "weaver" } }, materials = new[] { "pashmina" },
                        };
                        unanswered[key] = body;
                        if (await TryPostAsync(client, key, body) is not { } op)
                        {
                            return; // the gateway died under this request
                        }

                        acknowledged[key] = op;
                        unanswered.TryRemove(key, out _);
                    }
                })).ToArray();
                await Task.Delay(random.Next(300, 1500));
                gateway.Kill(); // kill -9 at a random point of the burst
                stop.Cancel();
                await Task.WhenAll(burst);
                gateway.Dispose();
                gateway = await GatewayProcess.StartAsync(data, masterKey, chain.Chain.RpcUrl, chain.DeploymentFile);
            }

            acknowledged.Should().NotBeEmpty();
            unanswered.Should().BeEmpty();
            using var reader = gateway.Client(null);
            var deadline = DateTime.UtcNow.AddSeconds(120);
            foreach (var op in acknowledged.Values)
            {
                string? status;
                do
                {
                    status = (await reader.GetFromJsonAsync<JsonElement>($"/api/operations/{op}")).GetProperty("status").GetString();
                    if (status is "confirmed" or "failed")
                    {
                        break;
                    }

                    await Task.Delay(100);
                }
                while (DateTime.UtcNow < deadline);

                status.Should().Be("confirmed", $"operation {op} was acknowledged");
            }
        }
        finally
        {
            gateway.Dispose();
        }

        // Exactly once on chain: every stored piece of the artisan (acknowledged or committed just before a kill) has
        // one registration log, and there is one stored piece per acknowledged key.
        var db = Path.Combine(data, "provenance.db");
        var pieceIds = TestDb.Column<string>(db, $"SELECT piece_id FROM pieces WHERE registrant_id = '{artisanId}'");

        pieceIds.Should().HaveCount(acknowledged.Count, "a retried key does not register a second piece");
        var perPiece = await RegistryLogs.PerPieceAsync(chain.Chain, chain.DeploymentFile);
        pieceIds.Should().AllSatisfy(id => perPiece.GetValueOrDefault(id).Should().Be(1, $"piece {id} is on chain exactly once"));
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private static async Task<string?> TryPostAsync(HttpClient client, string key, object body)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/pieces") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(HttpStatusCode.Accepted, text);
            return JsonDocument.Parse(text).RootElement.GetProperty("operationId").GetString();
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task<(string Id, string Key)> OnboardAsync(GatewayProcess gateway, string adminKey)
    {
        using var admin = gateway.Client(adminKey);
        var response = await admin.PostAsJsonAsync("/api/actors/artisans", new
        {
            name = "Drill Weaver", craft = "pashmina-kani", cluster = "Srinagar", village = "Srinagar", visibility = new { name = true, village = true },
        });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var op = created.GetProperty("roleOperationId").GetString()!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await admin.GetFromJsonAsync<JsonElement>($"/api/operations/{op}")).GetProperty("status").GetString() != "confirmed")
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the role grant confirms");
            await Task.Delay(100);
        }

        return (created.GetProperty("id").GetString()!, created.GetProperty("apiKey").GetString()!);
    }
}
