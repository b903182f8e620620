using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Provenance.Api.Tests.Support;

namespace Provenance.Api.Tests.Durability;

[Collection(ChainCollection.Name)]
public sealed class IdempotencyTests(ChainFixture chain) : IDisposable
{
    private readonly GatewayFactory _factory = chain.CreateGateway();

    public void Dispose() => _factory.Dispose();

    private static object Piece(string artisanId, string title) => new
    {
        craft = "pashmina-kani", title,
        makers = new[] { new { actorId = artisanId, part = "weaver" } },
        materials = new[] { "pashmina" },
    };

    private static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> PostAsync(
        HttpClient client, string url, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    [Fact]
    public async Task Register_SameKeyThreeTimesConcurrently_OneOperationOneTransactionIdenticalResponses()
    {
        var api = new ApiDriver(_factory);
        var artisan = await api.ArtisanAsync("Haleema Bano");
        var body = Piece(artisan.Id, "Kani shawl, concurrent retries");

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PostAsync(artisan.Client, "/api/pieces", body, "reg-concurrent-1")));

        results.Should().AllSatisfy(r => r.Status.Should().Be(HttpStatusCode.Accepted, r.Body));
        results.Select(r => r.Body).Distinct().Should().ContainSingle();
        results.Count(r => r.Response.Headers.GetValues("Idempotent-Replayed").Single() == "true").Should().Be(2);
        var first = JsonDocument.Parse(results[0].Body).RootElement;
        var code = first.GetProperty("code").GetString()!;
        TestDb.Count(_factory.DatabasePath, "pieces", $"registrant_id = '{artisan.Id}'").Should().Be(1);
        TestDb.Count(_factory.DatabasePath, "operations", $"kind = 'register' AND actor_id = '{artisan.Id}'").Should().Be(1);

        // On chain: exactly one registration of the piece.
        (await api.WaitForOperationAsync(first.GetProperty("operationId").GetString()!)).GetProperty("status").GetString().Should().Be("confirmed");
        var piece = await api.PieceAsync(code, 1);
        piece.GetProperty("events").GetArrayLength().Should().Be(1);
        piece.GetProperty("proof").GetProperty("eventCount").GetInt64().Should().Be(1);
    }

    [Fact]
    public async Task Register_SameKeyThreeTimesInSequence_FirstResponseReplayedNothingSent()
    {
        var api = new ApiDriver(_factory);
        var artisan = await api.ArtisanAsync("Rafiq Mir");
        var body = Piece(artisan.Id, "Sozni stole, sequential retries");

        var first = await PostAsync(artisan.Client, "/api/pieces", body, "reg-seq-1");
        first.Status.Should().Be(HttpStatusCode.Accepted, first.Body);
        var operationId = JsonDocument.Parse(first.Body).RootElement.GetProperty("operationId").GetString()!;
        (await api.WaitForOperationAsync(operationId)).GetProperty("status").GetString().Should().Be("confirmed");
        var txsBefore = TestDb.Count(_factory.DatabasePath, "chain_txs");
        var blockBefore = await chain.BlockNumberAsync();

        for (var i = 0; i < 2; i++)
        {
            var retry = await PostAsync(artisan.Client, "/api/pieces", body, "reg-seq-1");
            retry.Status.Should().Be(HttpStatusCode.Accepted);
            retry.Body.Should().Be(first.Body);
            retry.Response.Headers.Location.Should().Be(first.Response.Headers.Location);
            retry.Response.Headers.GetValues("Idempotent-Replayed").Single().Should().Be("true");
        }

        await Task.Delay(300); // give a wrongly woken relayer the chance to send
        TestDb.Count(_factory.DatabasePath, "operations", $"actor_id = '{artisan.Id}' AND kind = 'register'").Should().Be(1);
        TestDb.Count(_factory.DatabasePath, "chain_txs").Should().Be(txsBefore);
        (await chain.BlockNumberAsync()).Should().Be(blockBefore);

        // The same key under another caller is another key.
        var other = await api.ArtisanAsync("Shafiqa Akhter");
        var theirs = await PostAsync(other.Client, "/api/pieces", Piece(other.Id, "Their shawl"), "reg-seq-1");
        theirs.Status.Should().Be(HttpStatusCode.Accepted, theirs.Body);
        theirs.Body.Should().NotBe(first.Body);
    }

    [Fact]
    public async Task Register_SameKeyDifferentBody_422ProblemNothingStored()
    {
        var api = new ApiDriver(_factory);
        var artisan = await api.ArtisanAsync("Mehmooda Begum");
        var first = await PostAsync(artisan.Client, "/api/pieces", Piece(artisan.Id, "Original title"), "reg-diff-1");
        first.Status.Should().Be(HttpStatusCode.Accepted, first.Body);
        var operations = TestDb.Count(_factory.DatabasePath, "operations");

        var second = await PostAsync(artisan.Client, "/api/pieces", Piece(artisan.Id, "Another title"), "reg-diff-1");

        second.Status.Should().Be(HttpStatusCode.UnprocessableEntity, second.Body);
        second.Response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = JsonDocument.Parse(second.Body).RootElement;
        problem.GetProperty("status").GetInt32().Should().Be(422);
        problem.GetProperty("code").GetString().Should().Be("IdempotencyKeyReused");
        TestDb.Count(_factory.DatabasePath, "operations").Should().Be(operations);
        TestDb.Count(_factory.DatabasePath, "pieces", $"registrant_id = '{artisan.Id}'").Should().Be(1);
    }

    [Fact]
    public async Task Write_FailsWithProblem_NotStoredRetryRunsAgain()
    {
        var api = new ApiDriver(_factory);
        var artisan = await api.ArtisanAsync("Zareena Wani");
        var bad = await PostAsync(artisan.Client, "/api/pieces", Piece("art_000000000000", "Unknown maker"), "reg-bad-1");
        bad.Status.Should().Be(HttpStatusCode.UnprocessableEntity, bad.Body);
        TestDb.Count(_factory.DatabasePath, "idempotency").Should().Be(0);
        TestDb.Count(_factory.DatabasePath, "pieces", $"registrant_id = '{artisan.Id}'").Should().Be(0);

        var fixedUp = await PostAsync(artisan.Client, "/api/pieces", Piece(artisan.Id, "Unknown maker"), "reg-bad-1");
        fixedUp.Status.Should().Be(HttpStatusCode.Accepted, fixedUp.Body);
    }

    [Fact]
    public async Task Onboard_SameKeyTwice_OneActorSameApiKeyReturned()
    {
        var api = new ApiDriver(_factory);
        var body = new { name = "Ghulam Nabi", craft = "papier-mache", cluster = "Srinagar", village = "Srinagar", visibility = new { name = true, village = true } };
        var first = await PostAsync(api.Admin, "/api/actors/artisans", body, "onboard-1");
        var second = await PostAsync(api.Admin, "/api/actors/artisans", body, "onboard-1");

        first.Status.Should().Be(HttpStatusCode.Created, first.Body);
        second.Status.Should().Be(HttpStatusCode.Created);
        second.Body.Should().Be(first.Body);
        TestDb.Count(_factory.DatabasePath, "actors", "name = 'Ghulam Nabi'").Should().Be(1);
        // The stored response holds the API key: it is sealed, not readable in the database file.
        var key = JsonDocument.Parse(first.Body).RootElement.GetProperty("apiKey").GetString()!;
        var files = new[] { _factory.DatabasePath, _factory.DatabasePath + "-wal" }.Where(File.Exists);
        files.Select(f => File.ReadAllText(f, System.Text.Encoding.Latin1)).Should().AllSatisfy(text => text.Should().NotContain(key));
    }
}
