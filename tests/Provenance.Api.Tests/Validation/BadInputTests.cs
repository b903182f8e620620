using System.Net.Http.Headers;
using System.Text;
using Provenance.Api.Tests.Support;

namespace Provenance.Api.Tests.Validation;

[Collection(ChainCollection.Name)]
public sealed class BadInputTests(ChainFixture chain) : IDisposable
{
    private static readonly string[] Tables = ["actors", "api_keys", "custodial_keys", "operations", "records", "pieces", "piece_makers", "handoffs", "photos", "signer_nonces"];
    private readonly GatewayFactory _factory = chain.CreateGateway();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task WriteEndpoints_BadInput_4xxProblemNoRowNoTransaction()
    {
        var w = await World.CreateAsync(_factory);
        var (_, proposal) = await ApiDriver.PostAsync(w.A.Client, $"/api/pieces/{w.Piece}/handoffs", new { to = w.Handler.Id });
        var handoff = proposal.GetProperty("id").GetString();
        await World.SettleAsync(_factory);
        var p = w.Piece;
        var unknown = "0000000000000000"; // well-formed digits, wrong check symbol → not a code
        var big = new string('x', 600_000);
        var maker = $$"""[{"actorId":"{{w.A.Id}}","part":"weaver"}]""";
        var piece = $$"""{"craft":"kani","title":"t","makers":{{maker}}}""";

        var cases = new (HttpClient Client, string Url, string Body)[]
        {
            // onboarding
            (w.Api.Admin, "/api/actors/artisans", "{}"),
            (w.Api.Admin, "/api/actors/artisans", """{"name":"A","craft":"kani","cluster":"K","status":"active"}"""),
            (w.Api.Admin, "/api/actors/artisans", """{"name":["A"],"craft":"kani","cluster":"K"}"""),
            (w.Api.Admin, "/api/actors/artisans", $$"""{"name":"A","craft":"kani","cluster":"K","story":"{{big}}"}"""),
            (w.Api.Admin, "/api/actors/artisans", """{"name":"A","craft":"kani","cluster":"K","address":"0x1234"}"""),
            (w.Api.Admin, "/api/actors/artisans", $$"""{"name":"A","craft":"kani","cluster":"K","address":"{{w.B.Address}}"}"""),
            (w.Api.Admin, "/api/actors/handlers", """{"businessName":"H","kind":"smuggler"}"""),
            (w.Api.Admin, "/api/actors/handlers", """{"kind":"exporter"}"""),
            (w.Api.Admin, "/api/actors/certifiers", """{"name":""}"""),
            // registration
            (w.A.Client, "/api/pieces", "{}"),
            (w.A.Client, "/api/pieces", """{"craft":"kani","title":"t","makers":[]}"""),
            (w.A.Client, "/api/pieces", """{"craft":"kani","title":"t","makers":[{"actorId":"art_nobody12345","part":"weaver"}]}"""),
            (w.A.Client, "/api/pieces", $$"""{"craft":"kani","title":"t","makers":[{"actorId":"{{w.Handler.Id}}","part":"weaver"}]}"""),
            (w.A.Client, "/api/pieces", $$"""{"craft":"kani","title":"t","makers":{{maker}},"custodian":"{{w.B.Address}}"}"""),
            (w.A.Client, "/api/pieces", $$"""{"craft":"kani","title":"t","makers":{{maker}},"status":"sold"}"""),
            (w.A.Client, "/api/pieces", $$"""{"craft":"kani","title":7,"makers":{{maker}}}"""),
            (w.A.Client, "/api/pieces", $$"""{"craft":"kani","title":"t","makers":{{maker}},"photos":["{{new string('a', 64)}}"]}"""),
            (w.A.Client, "/api/pieces", $$"""{"craft":"kani","title":"t","makers":{{maker}},"description":"{{big}}"}"""),
            (w.A.Client, "/api/pieces", $$"""{"craft":"kani","title":"t","makers":[{"actorId":"{{w.A.Id}}","part":"weaver"},{"actorId":"{{w.A.Id}}","part":"dyer"}]}"""),
            (w.A.Client, "/api/pieces/batch", $$"""{"pieces":[{{piece}},{"craft":"kani","makers":{{maker}}}]}"""),
            (w.A.Client, "/api/pieces/batch", """{"pieces":[]}"""),
            // events and certification
            (w.A.Client, $"/api/pieces/{p}/events", "{}"),
            (w.A.Client, $"/api/pieces/{p}/events", """{"kind":"registration"}"""),
            (w.A.Client, $"/api/pieces/{p}/events", """{"kind":"claim"}"""),
            (w.A.Client, $"/api/pieces/{p}/events", """{"kind":"note","seq":5}"""),
            (w.A.Client, $"/api/pieces/{p}/events", """{"kind":"note","attributes":{"a":1}}"""),
            (w.A.Client, $"/api/pieces/{unknown}/events", """{"kind":"note"}"""),
            (w.A.Client, $"/api/pieces/{p}/events", $$"""{"kind":"note","notes":"{{big}}"}"""),
            (w.Certifier.Client, $"/api/pieces/{p}/certifications", """{"result":"maybe"}"""),
            (w.Certifier.Client, $"/api/pieces/{p}/certifications", """{"giLabel":"x"}"""),
            (w.Certifier.Client, $"/api/pieces/{unknown}/certifications", """{"result":"pass"}"""),
            (w.Certifier.Client, $"/api/pieces/{p}/flag", "{}"),
            (w.Certifier.Client, $"/api/pieces/{p}/unflag", """{"reason":"not flagged"}"""),
            (w.Certifier.Client, $"/api/pieces/{p}/revoke", """{"reason":"x","status":"revoked"}"""),
            // custody
            (w.A.Client, $"/api/pieces/{p}/handoffs", "{}"),
            (w.A.Client, $"/api/pieces/{p}/handoffs", $$"""{"to":"{{w.B.Id}}"}"""),
            (w.A.Client, $"/api/pieces/{p}/handoffs", """{"to":"han_nobody12345"}"""),
            (w.A.Client, $"/api/pieces/{p}/handoffs", $$"""{"to":"{{w.Handler.Id}}","custodian":"{{w.Handler.Address}}"}"""),
            (w.Handler.Client, $"/api/handoffs/{handoff}/accept", """{"fromSignature":{"nonce":0,"deadline":1,"signature":"0x00"}}"""),
            (w.Handler.Client, $"/api/handoffs/{handoff}/accept", """{"status":"accepted"}"""),
            (w.Handler.Client, "/api/handoffs/hof_unknown/accept", "{}"),
            // claims
            (w.Api.Anonymous, $"/api/pieces/{p}/claim", "{}"),
            (w.Api.Anonymous, $"/api/pieces/{p}/claim", """{"claimCode":"AAAAA-AAAAA-AAAAA-AAAAA-AAAAA"}"""),
            (w.Api.Anonymous, $"/api/pieces/{p}/claim", $$"""{"claimCode":"{{w.ClaimCode}}","owner":"0x12"}"""),
            (w.Api.Anonymous, $"/api/pieces/{p}/claim", $$"""{"claimCode":"{{w.ClaimCode}}","status":"claimed"}"""),
            (w.Api.Anonymous, $"/api/pieces/{unknown}/claim", $$"""{"claimCode":"{{w.ClaimCode}}"}"""),
        };

        var before = Counts();
        var block = await chain.BlockNumberAsync();
        var violations = new List<string>();
        foreach (var (client, url, body) in cases)
        {
            using var response = await client.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));
            var status = (int)response.StatusCode;
            if (status is < 400 or >= 500 || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                violations.Add($"{url} {Shorten(body)} -> {status} {Shorten(await response.Content.ReadAsStringAsync())}");
            }
        }

        // Photos: a non-image and an image whose declared type lies.
        using var photoClient = _factory.ClientFor(w.A.ApiKey);
        foreach (var (bytes, type) in new[] { ("not an image"u8.ToArray(), "image/png"), (new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0 }, "image/png") })
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue(type);
            using var response = await photoClient.PostAsync("/api/photos", content);
            if ((int)response.StatusCode != 415)
            {
                violations.Add($"photo {type} -> {(int)response.StatusCode}");
            }
        }

        await World.SettleAsync(_factory);
        violations.Should().BeEmpty();
        Counts().Should().Equal(before, "bad input writes no row");
        (await chain.BlockNumberAsync()).Should().Be(block, "bad input sends no transaction");
    }

    private long[] Counts() => Tables.Select(t => TestDb.Count(_factory.DatabasePath, t)).ToArray();

    private static string Shorten(string s) => s.Length > 160 ? s[..160] + "…" : s;
}
