using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Api.Actors;
using Provenance.Api.Products;
using Provenance.Api.Tests.Support;

namespace Provenance.Api.Tests.Products;

/// <summary>
/// The one craft catalogue across features, against the real gateway, Hardhat chain and SQLite store: the write API
/// refuses an unknown craft and stores a variant as its key; a piece stored before the catalogue (free text, written by
/// the registrar without the API's check, as the gateway did then) is shown, filtered and counted under its key.
/// </summary>
[Collection(ChainCollection.Name)]
public sealed class CraftTests(ChainFixture chain) : IDisposable
{
    private readonly GatewayFactory _factory = chain.CreateGateway();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task RegisterPiece_UnknownCraft_Answers422NamingTheKeysAndStoresNothing()
    {
        var api = new ApiDriver(_factory);
        var artisan = await api.ArtisanAsync("Shakeela");
        var maker = new[] { new { actorId = artisan.Id, part = "weaver" } };
        string[] tables = ["pieces", "records", "operations", "piece_makers"];
        var before = tables.Select(t => TestDb.Count(_factory.DatabasePath, t)).ToArray();

        var single = await artisan.Client.PostAsJsonAsync("/api/pieces", new { craft = "pottery", title = "Clay pot", makers = maker });
        var batch = await artisan.Client.PostAsJsonAsync("/api/pieces/batch", new
        {
            pieces = new object[] { new { craft = "kani", title = "Fine", makers = maker }, new { craft = "machine shawl", title = "Bad", makers = maker } },
        });

        foreach (var (response, field) in new[] { (single, "craft: 'pottery'"), (batch, "pieces[1].craft: 'machine shawl'") })
        {
            response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
            var problem = await ProblemResponse.ReadAsync(response);
            problem.Status.Should().Be(422);
            problem.Code.Should().Be("UnknownCraft");
            var detail = problem.Detail!;
            detail.Should().Contain(field);
            foreach (var craft in Crafts.All)
            {
                detail.Should().Contain(craft.Key, "the problem names every accepted key");
            }
        }

        tables.Select(t => TestDb.Count(_factory.DatabasePath, t)).Should().Equal(before, "nothing is stored for a refused craft");
    }

    [Fact]
    public async Task GetCrafts_Anonymous_ListsTheCatalogueTheWriteApiAccepts()
    {
        var api = new ApiDriver(_factory);

        var crafts = await api.Anonymous.GetFromJsonAsync<JsonElement>("/api/crafts");

        crafts.EnumerateArray().Select(c => c.GetProperty("key").GetString()).Should()
            .Equal("pashmina", "kani", "sozni", "crewel", "carpet", "papier-mache", "walnut-carving", "willow-wicker");
        var kani = crafts.EnumerateArray().Single(c => c.GetProperty("key").GetString() == "kani");
        kani.GetProperty("name").GetString().Should().Be("Kani shawl");
        kani.GetProperty("variants").EnumerateArray().Select(v => v.GetString()).Should().Contain("pashmina-kani");
        foreach (var craft in crafts.EnumerateArray())
        {
            var key = craft.GetProperty("key").GetString();
            craft.GetProperty("variants").EnumerateArray().Prepend(craft.GetProperty("key")).Append(craft.GetProperty("name"))
                .Select(v => Crafts.Resolve(v.GetString())).Should().AllBe(key, "every listed spelling is accepted as its key");
        }
    }

    [Fact]
    public async Task Crafts_VariantsAndFreeTextStoredBefore_StoredAsKeyShownFilteredAndCountedUnderIt()
    {
        var api = new ApiDriver(_factory);
        var artisan = await api.ArtisanAsync("Haleema");
        var auditor = await api.OnboardAsync("auditors", new { name = "Craft audit desk" });
        var variant = await RegisterAsync(api, artisan, "Kani Shawl");
        var spelledApart = await RegisterAsync(api, artisan, "pashmina_kani");
        var sozni = await RegisterAsync(api, artisan, "sozni");
        var legacy = await RegisterBeforeCatalogueAsync(api, artisan, "Pashmina Kani"); // free text, as stored before the catalogue
        var unknownBefore = await RegisterBeforeCatalogueAsync(api, artisan, "Khatamband");
        foreach (var code in new[] { variant, spelledApart, sozni, legacy, unknownBefore })
        {
            await api.PieceAsync(code, 1);
        }

        string StoredCraft(string code) => TestDb.Column<string>(_factory.DatabasePath,
            $"SELECT json_extract(json, '$.craft') FROM records WHERE kind = 'piece' AND piece_code = '{code}'").Single();
        StoredCraft(variant).Should().Be("kani");
        StoredCraft(spelledApart).Should().Be("kani");
        StoredCraft(legacy).Should().Be("Pashmina Kani", "a stored record is hashed and never rewritten");

        var stats = await AuditAsync(auditor, "/api/audit/statistics");
        var perCraft = stats.GetProperty("piecesPerCraft").EnumerateArray()
            .ToDictionary(c => c.GetProperty("key").GetString()!, c => c.GetProperty("count").GetInt64());
        perCraft.Should().Contain("kani", 3).And.Contain("sozni", 1).And.Contain("Khatamband", 1);
        perCraft.Keys.Should().NotContain(["Pashmina Kani", "pashmina-kani", "Kani Shawl"]);

        foreach (var filter in new[] { "kani", "Kani%20shawl", "pashmina-kani", "KANI" })
        {
            var pieces = await AuditAsync(auditor, $"/api/audit/pieces?craft={filter}");
            pieces.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("code").GetString())
                .Should().Equal([variant, spelledApart, legacy], filter);
            pieces.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("craft").GetString()).Should().AllBe("kani");
            var events = await AuditAsync(auditor, $"/api/audit/events?craft={filter}&type=Registration");
            events.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("pieceCode").GetString())
                .Should().Equal([variant, spelledApart, legacy], filter);
        }

        (await AuditAsync(auditor, "/api/audit/pieces?craft=khatamband")).GetProperty("items").EnumerateArray()
            .Select(p => p.GetProperty("code").GetString()).Should().Equal([unknownBefore], "free text outside the catalogue is filtered as stored");
        (await AuditAsync(auditor, "/api/audit/pieces?craft=carpet")).GetProperty("items").GetArrayLength().Should().Be(0);

        var page = await api.Anonymous.GetStringAsync($"/p/{legacy}");
        page.Should().Contain("Kani shawl", "the page names the key the stored free text resolves to");
    }

    private static async Task<string> RegisterAsync(ApiDriver api, TestActor artisan, string craft) =>
        (await api.AcceptedAsync(artisan.Client, "/api/pieces", new
        {
            craft, title = $"{craft} piece", makers = new[] { new { actorId = artisan.Id, part = "weaver" } },
        })).GetProperty("code").GetString()!;

    /// <summary>A piece registered the way the gateway did before the catalogue: the craft as written, unchecked.</summary>
    private async Task<string> RegisterBeforeCatalogueAsync(ApiDriver api, TestActor artisan, string craft)
    {
        var row = await _factory.Services.GetRequiredService<ActorStore>().FindAsync(artisan.Id, CancellationToken.None);
        var registered = (await _factory.Services.GetRequiredService<PieceRegistrar>().RegisterAsync(row!,
            [new RegisterPieceRequest(craft, $"{craft} piece", [new MakerInput(artisan.Id, "weaver")])], CancellationToken.None))[0];
        (await api.WaitForOperationAsync(registered.OperationId)).GetProperty("status").GetString().Should().Be("confirmed");
        return registered.Code;
    }

    private static async Task<JsonElement> AuditAsync(TestActor auditor, string url)
    {
        var response = await auditor.Client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
