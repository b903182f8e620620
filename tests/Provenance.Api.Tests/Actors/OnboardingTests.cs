using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Provenance.Api.Tests.Support;

namespace Provenance.Api.Tests.Actors;

public sealed class OnboardingTests : IDisposable
{
    private readonly GatewayFactory _factory = OfflineGateway.Create(new Dictionary<string, string?> { ["Chain:RoleGrants"] = "false" });

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task OnboardArtisan_AsAdmin_CreatesCustodialActorWithWorkingKey()
    {
        using var admin = _factory.ClientFor(_factory.AdminKey);

        var response = await admin.PostAsJsonAsync("/api/actors/artisans", new
        {
            name = "Haleema Bano", craft = "sozni-embroidery", cluster = "Kanihama", village = "Kanihama",
            artisanCardNumber = "JK-1", visibility = new { name = true, photo = false, village = false },
        });
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        using var artisan = _factory.ClientFor(created.GetProperty("apiKey").GetString());
        var me = await artisan.GetFromJsonAsync<JsonElement>("/api/actors/me");

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        created.GetProperty("custodial").GetBoolean().Should().BeTrue();
        created.GetProperty("address").GetString().Should().MatchRegex("^0x[0-9a-fA-F]{40}$");
        me.GetProperty("id").GetString().Should().Be(created.GetProperty("id").GetString());
        me.GetProperty("profile").GetProperty("craft").GetString().Should().Be("sozni", "a variant is stored as its catalogue key");
        TestDb.Count(_factory.DatabasePath, "custodial_keys").Should().Be(2); // admin + artisan
    }

    [Fact]
    public async Task OnboardArtisan_UnknownCraft_Answers422NamingTheKeysAndStoresNothing()
    {
        using var admin = _factory.ClientFor(_factory.AdminKey);
        _ = await admin.GetAsync("/api/actors/me"); // the gateway has started (admin written)
        var before = TestDb.Count(_factory.DatabasePath, "actors");

        var response = await admin.PostAsJsonAsync("/api/actors/artisans", new { name = "A", craft = "pottery", cluster = "Kanihama" });

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var detail = (await ProblemResponse.ReadAsync(response)).Detail;
        detail.Should().Contain("'pottery'").And.Contain("pashmina, kani, sozni, crewel, carpet, papier-mache, walnut-carving, willow-wicker");
        TestDb.Count(_factory.DatabasePath, "actors").Should().Be(before);
    }

    [Fact]
    public async Task OnboardArtisan_OwnAddress_NoCustodialKey()
    {
        using var admin = _factory.ClientFor(_factory.AdminKey);

        var response = await admin.PostAsJsonAsync("/api/actors/certifiers", new
        {
            name = "GI Lab", address = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
        });
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        created.GetProperty("custodial").GetBoolean().Should().BeFalse();
        created.GetProperty("address").GetString().Should().Be("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    }

    [Theory]
    [InlineData("""{"craft":"kani","cluster":"Kanihama"}""", "name")]
    [InlineData("""{"name":"A","craft":"kani","cluster":"Kanihama","status":"active"}""", "status")]
    [InlineData("""{"name":"A","craft":7,"cluster":"Kanihama"}""", "craft")]
    [InlineData("""{"name":"A","craft":"kani","cluster":"Kanihama","address":"0x12"}""", "address")]
    [InlineData("""{"name":"A","craft":"kani","cluster":"Kanihama","custodian":"0x70997970c51812dc3a010c7d01b50e0d17dc79c8"}""", "custodian")]
    [InlineData("""not json""", "invalid")]
    public async Task OnboardArtisan_BadInput_400ProblemAndNoRow(string body, string mentioned)
    {
        using var admin = _factory.ClientFor(_factory.AdminKey);
        var before = TestDb.Count(_factory.DatabasePath, "actors");

        var response = await admin.PostAsync("/api/actors/artisans", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        problem.ToLowerInvariant().Should().Contain(mentioned.ToLowerInvariant());
        TestDb.Count(_factory.DatabasePath, "actors").Should().Be(before);
    }

    [Fact]
    public async Task OnboardArtisan_Oversize_413ProblemAndNoRow()
    {
        using var admin = _factory.ClientFor(_factory.AdminKey);
        var before = TestDb.Count(_factory.DatabasePath, "actors");

        var response = await admin.PostAsJsonAsync("/api/actors/artisans", new
        {
            name = "A", craft = "kani", cluster = "Kanihama", story = new string('x', 2_000_000),
        });

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        TestDb.Count(_factory.DatabasePath, "actors").Should().Be(before);
    }

    [Fact]
    public async Task OnboardArtisan_NonAdmin_401Or403()
    {
        using var admin = _factory.ClientFor(_factory.AdminKey);
        var created = await (await admin.PostAsJsonAsync("/api/actors/handlers", new { businessName = "Dal Exports", kind = "exporter" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        using var handler = _factory.ClientFor(created.GetProperty("apiKey").GetString());
        using var anonymous = _factory.ClientFor(null);
        using var forged = _factory.ClientFor("pvk_aaaaaaaaaa_" + new string('b', 40));
        var body = new { name = "A", craft = "kani", cluster = "Kanihama" };

        (await anonymous.PostAsJsonAsync("/api/actors/artisans", body)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await forged.PostAsJsonAsync("/api/actors/artisans", body)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await handler.PostAsJsonAsync("/api/actors/artisans", body)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task GetActor_OtherActor_SeesOnlyChosenPublicFields()
    {
        using var admin = _factory.ClientFor(_factory.AdminKey);
        var artisan = await (await admin.PostAsJsonAsync("/api/actors/artisans", new
        {
            name = "Hidden Name", craft = "kani", cluster = "Kanihama", village = "Secret Village", artisanCardNumber = "CARD-9",
            visibility = new { name = false, photo = false, village = false },
        })).Content.ReadFromJsonAsync<JsonElement>();
        var handler = await (await admin.PostAsJsonAsync("/api/actors/handlers", new { businessName = "Shop", kind = "retailer" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        using var handlerClient = _factory.ClientFor(handler.GetProperty("apiKey").GetString());

        var view = await handlerClient.GetStringAsync($"/api/actors/{artisan.GetProperty("id").GetString()}");

        view.Should().Contain("Kanihama").And.NotContain("Hidden Name").And.NotContain("Secret Village").And.NotContain("CARD-9");
    }
}
