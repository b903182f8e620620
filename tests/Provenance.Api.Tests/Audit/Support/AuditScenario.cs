using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Provenance.Api.Tests.Support;

namespace Provenance.Api.Tests.Audit.Support;

/// <summary>
/// One gateway over the shared Hardhat node with a varied history made through the API, built once per test class:
/// artisans in two clusters and crafts, two handlers, a certifier, an auditor; a piece through the whole supply chain,
/// a flagged piece, a piece with a dyeing step.
/// </summary>
public sealed class AuditScenario : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The gateway.</summary>
    public GatewayFactory Factory { get; private set; } = null!;

    /// <summary>The driver.</summary>
    public ApiDriver Api { get; private set; } = null!;

    /// <summary>Artisan in Kanihama (kani shawls).</summary>
    public TestActor Weaver { get; private set; } = null!;

    /// <summary>Artisan in Srinagar (sozni).</summary>
    public TestActor Embroiderer { get; private set; } = null!;

    /// <summary>An exporter.</summary>
    public TestActor Exporter { get; private set; } = null!;

    /// <summary>A retailer.</summary>
    public TestActor Retailer { get; private set; } = null!;

    /// <summary>A certifier.</summary>
    public TestActor Lab { get; private set; } = null!;

    /// <summary>The auditor.</summary>
    public TestActor Auditor { get; private set; } = null!;

    /// <summary>Registered, woven, certified, handed twice, shipped, sold, paid (8 entries).</summary>
    public string Journey { get; private set; } = "";

    /// <summary>Registered by the embroiderer and flagged (2 entries).</summary>
    public string Flagged { get; private set; } = "";

    /// <summary>Registered by the weaver with a dyeing step (2 entries).</summary>
    public string Dyed { get; private set; } = "";

    /// <summary>True for the scenario's own pieces (other gateways on the shared node register pieces too).</summary>
    public bool Owns(string? code) => code is not null && (code == Journey || code == Flagged || code == Dyed);

    /// <summary>Builds the scenario on first use.</summary>
    public async Task<AuditScenario> EnsureAsync(ChainFixture chain)
    {
        await _gate.WaitAsync();
        try
        {
            if (Factory is null)
            {
                await BuildAsync(chain);
            }

            return this;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => Factory?.Dispose();

    private async Task BuildAsync(ChainFixture chain)
    {
        Factory = chain.CreateGateway();
        Api = new ApiDriver(Factory);
        Weaver = await Api.OnboardAsync("artisans", new { name = "Haleema", craft = "kani", cluster = "Kanihama" });
        Embroiderer = await Api.OnboardAsync("artisans", new { name = "Rafiq", craft = "sozni", cluster = "Srinagar" });
        Exporter = await Api.HandlerAsync("Dal Lake Exports", "exporter");
        Retailer = await Api.HandlerAsync("Paris Boutique", "retailer");
        Lab = await Api.CertifierAsync("CDI GI Lab");
        Auditor = await Api.OnboardAsync("auditors", new { name = "GI Authority audit desk", organisation = "GI Registry" });

        Journey = await RegisterAsync(Weaver, "kani", "Kani shawl", Weaver, Embroiderer);
        await Api.AcceptedAsync(Weaver.Client, $"/api/pieces/{Journey}/events", new { kind = "processing", step = "weaving", location = "Kanihama" });
        await Api.AcceptedAsync(Lab.Client, $"/api/pieces/{Journey}/certifications", new { result = "pass", giLabel = "GI-PASH-0001", labReport = "LAB-77" });
        await HandOffAsync(Journey, Weaver, Exporter);
        await Api.AcceptedAsync(Exporter.Client, $"/api/pieces/{Journey}/events", new { kind = "shipping", location = "Srinagar airport" });
        await HandOffAsync(Journey, Exporter, Retailer);
        await Api.AcceptedAsync(Retailer.Client, $"/api/pieces/{Journey}/events", new { kind = "sale", location = "Paris" });
        await Api.AcceptedAsync(Weaver.Client, $"/api/pieces/{Journey}/events", new { kind = "paymentConfirmed" });

        Flagged = await RegisterAsync(Embroiderer, "sozni", "Sozni stole", Embroiderer);
        await Api.AcceptedAsync(Lab.Client, $"/api/pieces/{Flagged}/flag", new { reason = "Machine embroidery suspected" });

        Dyed = await RegisterAsync(Weaver, "Pashmina Kani", "Kani stole", Weaver);
        await Api.AcceptedAsync(Weaver.Client, $"/api/pieces/{Dyed}/events", new { kind = "processing", step = "dyeing" });

        await Api.PieceAsync(Journey, 8);
        await Api.PieceAsync(Flagged, 2);
        await Api.PieceAsync(Dyed, 2);
    }

    /// <summary>Registers a piece and returns its code.</summary>
    public async Task<string> RegisterAsync(TestActor artisan, string craft, string title, params TestActor[] makers)
    {
        var registered = await Api.AcceptedAsync(artisan.Client, "/api/pieces", new
        {
            craft, title, makers = makers.Select(m => new { actorId = m.Id, part = "maker" }).ToArray(),
        });
        return registered.GetProperty("code").GetString()!;
    }

    /// <summary>Hands a piece over (proposal by the custodian, acceptance by the receiver).</summary>
    public async Task HandOffAsync(string code, TestActor from, TestActor to)
    {
        var (status, proposal) = await ApiDriver.PostAsync(from.Client, $"/api/pieces/{code}/handoffs", new { to = to.Id, location = "Srinagar" });
        status.Should().Be(HttpStatusCode.Created, proposal.ToString());
        await Api.AcceptedAsync(to.Client, $"/api/handoffs/{proposal.GetProperty("id").GetString()}/accept", new { });
    }

    /// <summary>GETs JSON with the auditor's key.</summary>
    public async Task<JsonElement> AuditAsync(string url)
    {
        var response = await Auditor.Client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Every event of a listing, following nextCursor.</summary>
    public async Task<List<JsonElement>> AllAsync(string path, string query = "", int limit = 100)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await AuditAsync($"{path}?limit={limit}{query}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            items.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return items;
    }
}
