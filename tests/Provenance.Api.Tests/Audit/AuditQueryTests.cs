using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Provenance.Api.Actors;
using Provenance.Api.Audit;
using Provenance.Api.Data;
using Provenance.Api.Tests.Audit.Support;
using Provenance.Api.Tests.Support;

namespace Provenance.Api.Tests.Audit;

[Collection(ChainCollection.Name)]
public sealed class AuditQueryTests(ChainFixture chain, AuditScenario scenario) : IClassFixture<AuditScenario>
{
    private static string Kind(JsonElement e) => e.GetProperty("kind").GetString()!;

    private static string? Code(JsonElement e) => e.TryGetProperty("pieceCode", out var c) ? c.GetString() : e.GetProperty("code").GetString();

    [Fact]
    public async Task Events_NoFilter_EveryEntryOnceInChainOrder()
    {
        var s = await scenario.EnsureAsync(chain);

        var events = (await s.AllAsync("/api/audit/events", limit: 3)).Where(e => s.Owns(Code(e))).ToList();

        events.Where(e => Kind(e) != "Note").Should().HaveCount(12);
        events.Select(e => (e.GetProperty("blockNumber").GetInt64(), e.GetProperty("logIndex").GetInt64()))
            .Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        events.Where(e => Code(e) == s.Journey).Select(Kind).Should().Equal(
            "Registration", "Processing", "Certification", "Handoff", "Shipping", "Handoff", "Sale", "PaymentConfirmed");
        var handoff = events.First(e => Kind(e) == "Handoff");
        handoff.GetProperty("actorId").GetString().Should().Be(s.Weaver.Id);
        handoff.GetProperty("counterpartyId").GetString().Should().Be(s.Exporter.Id);
        handoff.GetProperty("time").GetDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10));
        handoff.GetProperty("head").GetString().Should().MatchRegex("^0x[0-9a-f]{64}$");
    }

    [Fact]
    public async Task Events_PagedWhileAppending_EachEventExactlyOnce()
    {
        var s = await scenario.EnsureAsync(chain);
        var before = await s.AllAsync("/api/audit/events");
        var seen = new List<JsonElement>();
        string? cursor = null;
        var appended = 0;

        do
        {
            var page = await s.AuditAsync("/api/audit/events?limit=2" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.String ? page.GetProperty("nextCursor").GetString() : null;
            if (appended < 3)
            {
                appended++;
                await s.Api.AcceptedAsync(s.Weaver.Client, $"/api/pieces/{s.Dyed}/events", new { kind = "note", notes = $"during paging {appended}" });
                await s.Api.PieceAsync(s.Dyed, 2 + appended);
            }
        }
        while (cursor is not null);

        var keys = seen.Select(e => (e.GetProperty("blockNumber").GetInt64(), e.GetProperty("logIndex").GetInt64())).ToList();
        keys.Should().OnlyHaveUniqueItems().And.BeInAscendingOrder();
        keys.Should().Contain(before.Select(e => (e.GetProperty("blockNumber").GetInt64(), e.GetProperty("logIndex").GetInt64())));
        seen.Count(e => Kind(e) == "Note" && Code(e) == s.Dyed).Should().Be(3, "events appended behind the cursor are listed when paging reaches them");
    }

    [Fact]
    public async Task Events_Filters_SelectExactlyTheMatchingEntries()
    {
        var s = await scenario.EnsureAsync(chain);

        (await s.AllAsync("/api/audit/events", $"&piece={s.Journey}")).Should().HaveCount(8).And.OnlyContain(e => Code(e) == s.Journey);
        (await s.AllAsync("/api/audit/events", "&type=handoff,Sale")).Where(e => s.Owns(Code(e))).Select(Kind).Should().Equal("Handoff", "Handoff", "Sale");
        (await s.AllAsync("/api/audit/events", $"&handler={s.Exporter.Id}")).Select(Kind).Should().Equal("Handoff", "Shipping", "Handoff");
        (await s.AllAsync("/api/audit/events", $"&certifier={s.Lab.Id}")).Select(Kind).Should().Equal("Certification", "Flag");
        (await s.AllAsync("/api/audit/events", $"&artisan={s.Embroiderer.Id}&type=Registration")).Select(Code).Should()
            .BeEquivalentTo([s.Journey, s.Flagged], "the embroiderer made the journey piece and registered the flagged one");
        (await s.AllAsync("/api/audit/events", "&craft=sozni-embroidery")).Should().HaveCount(2).And.OnlyContain(e => Code(e) == s.Flagged);
        (await s.AllAsync("/api/audit/events", "&cluster=Kanihama&type=Registration")).Select(Code).Should().BeEquivalentTo([s.Journey, s.Dyed]);
        (await s.AllAsync("/api/audit/events", "&status=flagged")).Where(e => Code(e) is not null).Should().OnlyContain(e => Code(e) == s.Flagged).And.HaveCount(2);
        (await s.AllAsync("/api/audit/events", $"&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"))}")).Should().BeEmpty();
        (await s.AllAsync("/api/audit/events", $"&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"))}")).Should().BeEmpty();
        var all = await s.AllAsync("/api/audit/events", $"&piece={s.Journey}");
        var sale = all.Single(e => Kind(e) == "Sale").GetProperty("time").GetDateTimeOffset();
        (await s.AllAsync("/api/audit/events", $"&piece={s.Journey}&from={Uri.EscapeDataString(sale.ToString("O"))}"))
            .Select(Kind).Should().StartWith("Sale").And.NotContain("Registration");
    }

    [Fact]
    public async Task Query_EveryFilter_SameResultWhetherLookedUpOrReadInChainOrder()
    {
        var s = await scenario.EnsureAsync(chain);
        AuditStore Store(double factor) => new(s.Factory.Services.GetRequiredService<Db>(), s.Factory.Services.GetRequiredService<ActorStore>(),
            Options.Create(new AuditOptions { IndexedLookupFactor = factor }));
        var lookedUp = Store(1e9); // every filter through its index, matches sorted into chain order
        var scanned = Store(0); // every filter checked row by row in chain order (except a single piece)
        AuditFilter[] filters =
        [
            new() { Piece = s.Journey }, new() { Artisan = s.Weaver.Id }, new() { Artisan = s.Embroiderer.Id, Type = "Registration" },
            new() { Handler = s.Exporter.Id }, new() { Certifier = s.Lab.Id }, new() { Craft = "sozni-embroidery" },
            new() { Cluster = "Kanihama" }, new() { Type = "Handoff,Sale" }, new() { Status = "Flagged" }, new() { Status = "Sold", Handler = s.Retailer.Id },
            new() { Cluster = "Kanihama", Type = "Processing", Artisan = s.Weaver.Id }, new() { Craft = "no-such-craft" },
        ];

        foreach (var filter in filters)
        {
            var events = await AllAsync(lookedUp, filter, (st, f) => st.EventsAsync(f, CancellationToken.None), e => (e.BlockNumber, e.LogIndex));
            (await AllAsync(scanned, filter, (st, f) => st.EventsAsync(f, CancellationToken.None), e => (e.BlockNumber, e.LogIndex)))
                .Should().Equal(events, $"events by {JsonSerializer.Serialize(filter)}");
            var pieces = await AllAsync(lookedUp, filter, (st, f) => st.PiecesAsync(f, CancellationToken.None), p => (p.RegisteredBlock, 0L, p.PieceId));
            (await AllAsync(scanned, filter, (st, f) => st.PiecesAsync(f, CancellationToken.None), p => (p.RegisteredBlock, 0L, p.PieceId)))
                .Should().Equal(pieces, $"pieces by {JsonSerializer.Serialize(filter)}");
            if (filter.Craft != "no-such-craft")
            {
                events.Should().NotBeEmpty($"the scenario has events by {JsonSerializer.Serialize(filter)}");
            }
        }
    }

    [Fact]
    public async Task FilterColumns_BackfilledByMigration_SameAsIndexed()
    {
        var s = await scenario.EnsureAsync(chain);
        var db = s.Factory.Services.GetRequiredService<Db>();
        const string columns = "SELECT block_number || ':' || log_index || ' ' || COALESCE(artisan, '-') || ' ' || COALESCE(craft, '-') || ' ' || " +
                               "COALESCE(cluster, '-') FROM chain_events ORDER BY block_number, log_index";
        const string coMakers = "SELECT address || ' ' || piece_id || ' ' || block_number FROM chain_co_makers ORDER BY address, piece_id";
        await using var c = await db.OpenAsync(CancellationToken.None);
        await using var tx = c.BeginTransaction(deferred: false);
        var indexed = (await c.QueryAsync<string>(columns, transaction: tx)).ToList();
        var indexedCoMakers = (await c.QueryAsync<string>(coMakers, transaction: tx)).ToList();

        // The rows as step 104 found them (no filter columns, no co-makers), then its backfill; rolled back.
        await c.ExecuteAsync("UPDATE chain_events SET artisan = NULL, craft = NULL, cluster = NULL; DELETE FROM chain_co_makers;", transaction: tx);
        await c.ExecuteAsync(AuditSchema.FilterColumnsBackfill, transaction: tx);
        var backfilled = (await c.QueryAsync<string>(columns, transaction: tx)).ToList();
        var backfilledCoMakers = (await c.QueryAsync<string>(coMakers, transaction: tx)).ToList();
        await tx.RollbackAsync();

        backfilled.Should().Equal(indexed);
        backfilledCoMakers.Should().Equal(indexedCoMakers);
        indexed.Should().Contain(r => r.EndsWith(" kani Kanihama"), "the indexer wrote the journey piece's craft and cluster");
        indexedCoMakers.Should().Contain(r => r.StartsWith(s.Embroiderer.Address + " ", StringComparison.OrdinalIgnoreCase), "the embroiderer makes the weaver's journey piece");
    }

    // Every item of a listing in pages of two (the cursor path), as keys.
    private static async Task<List<TKey>> AllAsync<T, TKey>(
        AuditStore store, AuditFilter filter, Func<AuditStore, AuditFilter, Task<AuditPage<T>>> page, Func<T, TKey> key)
    {
        var keys = new List<TKey>();
        string? cursor = null;
        do
        {
            var p = await page(store, new AuditFilter
            {
                Piece = filter.Piece, Artisan = filter.Artisan, Handler = filter.Handler, Certifier = filter.Certifier, Craft = filter.Craft,
                Cluster = filter.Cluster, Type = filter.Type, Status = filter.Status, Limit = 2, Cursor = cursor,
            });
            keys.AddRange(p.Items.Select(key));
            cursor = p.NextCursor;
        }
        while (cursor is not null);
        return keys;
    }

    [Theory]
    [InlineData("/api/audit/events?craft=no-such-craft")]
    [InlineData("/api/audit/events?type=Claim&cluster=Kanihama")]
    [InlineData("/api/audit/pieces?craft=no-such-craft")]
    public async Task Query_FilterMatchingNothing_EmptyPage(string url)
    {
        var s = await scenario.EnsureAsync(chain);

        var page = await s.AuditAsync(url);

        page.GetProperty("items").GetArrayLength().Should().Be(0);
        page.GetProperty("nextCursor").ValueKind.Should().Be(JsonValueKind.Null);
        page.GetProperty("indexedBlock").GetInt64().Should().BePositive();
    }

    [Fact]
    public async Task Pieces_Filters_StateCraftClusterAndParties()
    {
        var s = await scenario.EnsureAsync(chain);

        var all = (await s.AllAsync("/api/audit/pieces", limit: 1)).Where(p => s.Owns(Code(p))).ToList();
        all.Select(p => Code(p)).Should().StartWith([s.Journey, s.Flagged, s.Dyed]);
        var journey = all.First(p => Code(p) == s.Journey);
        journey.GetProperty("status").GetString().Should().Be("Sold");
        journey.GetProperty("custodianId").GetString().Should().Be(s.Retailer.Id);
        journey.GetProperty("eventCount").GetInt64().Should().Be(8);
        journey.GetProperty("craft").GetString().Should().Be("kani");
        journey.GetProperty("cluster").GetString().Should().Be("Kanihama");

        (await s.AllAsync("/api/audit/pieces", "&status=Flagged")).Where(p => Code(p) is not null).Select(p => Code(p)).Should().Equal(s.Flagged);
        (await s.AllAsync("/api/audit/pieces", "&craft=pashmina-kani")).Select(p => Code(p)).Should().Equal(s.Journey, s.Dyed);
        (await s.AllAsync("/api/audit/pieces", "&cluster=Srinagar")).Select(p => Code(p)).Should().Equal(s.Flagged);
        (await s.AllAsync("/api/audit/pieces", $"&handler={s.Retailer.Id}")).Select(p => Code(p)).Should().Equal(s.Journey);
        (await s.AllAsync("/api/audit/pieces", "&type=Processing")).Select(p => Code(p)).Where(s.Owns).Should().Equal(s.Journey, s.Dyed);
    }

    [Theory]
    [InlineData("/api/audit/events?type=Teleport", HttpStatusCode.BadRequest, "not an event kind")]
    [InlineData("/api/audit/events?status=Lost", HttpStatusCode.BadRequest, "not a piece status")]
    [InlineData("/api/audit/events?cursor=bm90LWEtY3Vyc29y", HttpStatusCode.BadRequest, "not a cursor")]
    [InlineData("/api/audit/events?limit=0", HttpStatusCode.BadRequest, "limit must be between")]
    [InlineData("/api/audit/pieces?piece=not-a-code", HttpStatusCode.BadRequest, "not a piece code")]
    [InlineData("/api/audit/events?handler=han_nobody", HttpStatusCode.NotFound, "no actor 'han_nobody'")]
    [InlineData("/api/audit/events?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z", HttpStatusCode.BadRequest, "is after")]
    [InlineData("/api/audit/events/export?format=xml", HttpStatusCode.BadRequest, "not csv, json or epcis")]
    public async Task Query_BadFilter_ProblemDetails(string url, HttpStatusCode status, string detail)
    {
        var s = await scenario.EnsureAsync(chain);

        var response = await s.Auditor.Client.GetAsync(url);

        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadAsStringAsync()).Should().Contain(detail);
    }

    [Theory]
    [InlineData("/api/audit/events")]
    [InlineData("/api/audit/pieces")]
    [InlineData("/api/audit/events/export?format=csv")]
    [InlineData("/api/audit/integrity")]
    [InlineData("/api/audit/statistics")]
    public async Task Audit_NonAuditors_Refused(string url)
    {
        var s = await scenario.EnsureAsync(chain);

        (await s.Api.Anonymous.GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        foreach (var client in new[] { s.Api.Admin, s.Weaver.Client, s.Exporter.Client, s.Lab.Client })
        {
            (await client.GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }

        (await s.Auditor.Client.GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task OnboardAuditor_NotAdmin_Refused()
    {
        var s = await scenario.EnsureAsync(chain);

        var (status, _) = await ApiDriver.PostAsync(s.Weaver.Client, "/api/actors/auditors", new { name = "Self-made auditor" });

        status.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Statistics_Scenario_CountsPerCraftClusterHandlerAndPayment()
    {
        var s = await scenario.EnsureAsync(chain);

        var stats = await s.AuditAsync("/api/audit/statistics");

        stats.GetProperty("pieces").GetInt64().Should().BeGreaterThanOrEqualTo(3);
        var crafts = stats.GetProperty("piecesPerCraft").EnumerateArray().ToDictionary(c => c.GetProperty("key").GetString()!, c => c.GetProperty("count").GetInt64());
        crafts["kani"].Should().BeGreaterThanOrEqualTo(2, "a variant ('Pashmina Kani') is stored as its key");
        crafts["sozni"].Should().BeGreaterThanOrEqualTo(1);
        var clusters = stats.GetProperty("piecesPerCluster").EnumerateArray().ToDictionary(c => c.GetProperty("key").GetString()!, c => c.GetProperty("count").GetInt64());
        clusters["Srinagar"].Should().BeGreaterThanOrEqualTo(1);
        stats.GetProperty("piecesPerMonth").EnumerateArray().Select(m => m.GetProperty("key").GetString()).Should().Contain(DateTimeOffset.UtcNow.ToString("yyyy-MM"));
        var exporter = stats.GetProperty("handoffsPerHandler").EnumerateArray().Single(h => h.TryGetProperty("actorId", out var id) && id.GetString() == s.Exporter.Id);
        (exporter.GetProperty("received").GetInt64(), exporter.GetProperty("handed").GetInt64()).Should().Be((1L, 1L));
        var payment = stats.GetProperty("payment");
        payment.GetProperty("withConfirmedPayment").GetInt64().Should().BeGreaterThanOrEqualTo(1);
        payment.GetProperty("share").GetDouble().Should().BeApproximately(
            (double)payment.GetProperty("withConfirmedPayment").GetInt64() / payment.GetProperty("pieces").GetInt64(), 0.001);
        stats.GetProperty("scans").GetProperty("suspectedCopies").GetInt64().Should().BeGreaterThanOrEqualTo(0);
    }
}
