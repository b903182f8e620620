using System.Net;
using System.Text;
using Provenance.Api.Tests.Support;

namespace Provenance.Api.Tests.EndToEnd;

[Collection(ChainCollection.Name)]
public sealed class IdempotencyTests(ChainFixture chain) : IDisposable
{
    private readonly GatewayFactory _factory = chain.CreateGateway();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Register_SameKeyThreeConcurrentAndThreeSequential_OneOperationIdenticalResponses()
    {
        var api = new ApiDriver(_factory);
        var artisan = await api.ArtisanAsync("Idempotent artisan");
        var body = $$"""{"craft":"willow-wicker","title":"Wicker basket","makers":[{"actorId":"{{artisan.Id}}","part":"weaver"}]}""";
        var before = TestDb.Count(_factory.DatabasePath, "operations");
        var blockBefore = await chain.BlockNumberAsync();

        async Task<(HttpStatusCode, string)> Send(string key, string json)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/pieces") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await artisan.Client.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Send("key-1", body)));
        var sequential = new List<(HttpStatusCode, string)>();
        for (var i = 0; i < 3; i++)
        {
            sequential.Add(await Send("key-1", body));
        }

        var reused = await Send("key-1", body.Replace("Wicker basket", "Other basket"));
        await World.SettleAsync(_factory);

        concurrent.Concat(sequential).Should().AllSatisfy(r => r.Should().Be(concurrent[0]));
        concurrent[0].Item1.Should().Be(HttpStatusCode.Accepted);
        reused.Item1.Should().Be(HttpStatusCode.UnprocessableEntity);
        TestDb.Count(_factory.DatabasePath, "operations").Should().Be(before + 1);
        (await chain.BlockNumberAsync()).Should().Be(blockBefore + 1, "one registration, one transaction");
        TestDb.Count(_factory.DatabasePath, "idempotency", "response_json LIKE '%claimCode%'").Should().Be(0, "stored responses are sealed");
    }
}
