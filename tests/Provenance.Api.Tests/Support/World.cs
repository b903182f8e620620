using System.Text.Json;

namespace Provenance.Api.Tests.Support;

/// <summary>A small cast over one gateway: two artisans, a handler, a certifier, the admin, and a confirmed piece of A.</summary>
public sealed class World
{
    private World(ApiDriver api, TestActor a, TestActor b, TestActor handler, TestActor certifier, string piece, string claimCode)
    {
        Api = api;
        A = a;
        B = b;
        Handler = handler;
        Certifier = certifier;
        Piece = piece;
        ClaimCode = claimCode;
    }

    /// <summary>The driver.</summary>
    public ApiDriver Api { get; }

    /// <summary>Artisan A, registrant and custodian of <see cref="Piece"/>.</summary>
    public TestActor A { get; }

    /// <summary>Artisan B.</summary>
    public TestActor B { get; }

    /// <summary>A handler (exporter).</summary>
    public TestActor Handler { get; }

    /// <summary>A certifier.</summary>
    public TestActor Certifier { get; }

    /// <summary>A's piece code.</summary>
    public string Piece { get; }

    /// <summary>Its claim code.</summary>
    public string ClaimCode { get; }

    /// <summary>Builds the cast and waits until the piece is on chain and indexed.</summary>
    public static async Task<World> CreateAsync(GatewayFactory factory)
    {
        var api = new ApiDriver(factory);
        var a = await api.ArtisanAsync("Artisan A");
        var b = await api.ArtisanAsync("Artisan B");
        var handler = await api.HandlerAsync("Handler H", "exporter");
        var certifier = await api.CertifierAsync("Certifier C");
        var registered = await api.AcceptedAsync(a.Client, "/api/pieces", new
        {
            craft = "walnut-carving", title = "Carved walnut tray", makers = new[] { new { actorId = a.Id, part = "carver" } },
        });
        var code = registered.GetProperty("code").GetString()!;
        await api.PieceAsync(code, 1);
        return new World(api, a, b, handler, certifier, code, registered.GetProperty("claimCode").GetString()!);
    }

    /// <summary>The clients by role name.</summary>
    public IReadOnlyDictionary<string, HttpClient> Clients => new Dictionary<string, HttpClient>
    {
        ["anonymous"] = Api.Anonymous, ["artisanA"] = A.Client, ["artisanB"] = B.Client, ["handler"] = Handler.Client,
        ["certifier"] = Certifier.Client, ["admin"] = Api.Admin,
    };

    /// <summary>Waits for every operation of the gateway to settle.</summary>
    public static async Task SettleAsync(GatewayFactory factory)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (TestDb.Count(factory.DatabasePath, "operations", "status IN ('pending','submitted')") > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    /// <summary>Reads JSON text.</summary>
    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
