using System.Net;
using System.Net.Http.Json;
using Provenance.Api.Tests.Support;

namespace Provenance.Api.Tests.Authorization;

[Collection(ChainCollection.Name)]
public sealed class RoleMatrixTests(ChainFixture chain) : IDisposable
{
    private readonly GatewayFactory _factory = chain.CreateGateway();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Endpoints_EveryRoleAgainstArtisanAResources_NoUnexpected2xx()
    {
        var w = await World.CreateAsync(_factory);
        var (_, proposal) = await ApiDriver.PostAsync(w.A.Client, $"/api/pieces/{w.Piece}/handoffs", new { to = w.Handler.Id });
        var handoff = proposal.GetProperty("id").GetString();
        var p = w.Piece;

        // (method, url, body, roles allowed). Rows run in order; within a row the roles that must be refused go
        // first, then the allowed ones (whose writes are awaited so the next row sees settled chain state).
        var rows = new (string Method, string Url, object? Body, string[] Allowed, string[] Skip)[]
        {
            ("POST", $"/api/pieces/{p}/events", new { kind = "processing", step = "polishing" }, ["artisanA"], []),
            ("POST", $"/api/pieces/{p}/events", new { kind = "paymentConfirmed" }, ["artisanA"], []),
            ("POST", $"/api/pieces/{p}/events", new { kind = "note", notes = "n" }, ["artisanA", "certifier"], []),
            ("POST", $"/api/pieces/{p}/events", new { kind = "shipping" }, ["artisanA"], []),
            ("POST", $"/api/pieces/{p}/certifications", new { result = "pass" }, ["certifier"], []),
            ("POST", $"/api/pieces/{p}/handoffs", new { to = w.Handler.Id }, ["artisanA"], []),
            ("GET", $"/api/handoffs/{handoff}", null, ["artisanA", "handler", "admin"], []),
            ("GET", $"/api/handoffs/{handoff}/typed-data", null, ["artisanA", "handler"], []),
            ("GET", $"/api/actors/{w.A.Id}/pieces", null, ["artisanA", "admin"], []),
            ("GET", "/api/actors", null, ["admin"], []),
            ("POST", "/api/actors/artisans", new { name = "X", craft = "kani", cluster = "Kanihama" }, ["admin"], []),
            ("POST", "/api/actors/handlers", new { businessName = "X", kind = "retailer" }, ["admin"], []),
            ("POST", "/api/actors/certifiers", new { name = "X" }, ["admin"], []),
            ("POST", "/api/pieces", new { craft = "kani", title = "t", makers = new[] { new { actorId = w.A.Id, part = "weaver" } } }, ["artisanA", "artisanB"], []),
            ("POST", $"/api/pieces/{p}/flag", new { reason = "suspected copy" }, ["certifier"], ["admin"]),
            ("POST", $"/api/pieces/{p}/unflag", new { reason = "cleared" }, ["admin"], ["certifier"]),
            ("POST", $"/api/pieces/{p}/flag", new { reason = "again" }, ["admin"], ["certifier"]),
            ("POST", $"/api/pieces/{p}/unflag", new { reason = "cleared again" }, ["certifier"], ["admin"]),
            ("POST", $"/api/handoffs/{handoff}/accept", new { }, ["handler"], []),
            ("POST", $"/api/handoffs/{handoff}/cancel", null, [], []),
            ("POST", $"/api/pieces/{p}/events", new { kind = "sale", location = "Srinagar" }, ["handler"], []),
        };

        var violations = new List<string>();
        foreach (var (method, url, body, allowed, skip) in rows)
        {
            foreach (var role in w.Clients.Keys.Except(skip).OrderBy(r => allowed.Contains(r)))
            {
                var client = w.Clients[role];
                using var response = method == "GET" ? await client.GetAsync(url) : await client.PostAsJsonAsync(url, body);
                var status = (int)response.StatusCode;
                var ok = allowed.Contains(role)
                    ? status is >= 200 and < 300
                    : status is >= 400 and < 500 && response.Content.Headers.ContentType?.MediaType == "application/problem+json";
                if (!ok)
                {
                    violations.Add($"{role} {method} {url} -> {status} {await response.Content.ReadAsStringAsync()}");
                }

                await World.SettleAsync(_factory);
            }
        }

        violations.Should().BeEmpty();
        var operations = TestDb.Count(_factory.DatabasePath, "operations", "status = 'failed'");
        operations.Should().Be(0, "every accepted write was allowed and must succeed on chain");
    }
}
