using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Provenance.Api.Verification;
using Provenance.Api.Verification.Scans;
using Provenance.Testing;

namespace Provenance.Api.Tests.Verification.Support;

/// <summary>
/// The real gateway (<c>Program</c>) on a real Kestrel port, with the test source and claim service registered in
/// place of the gateway's, its own data directory, and X-Forwarded-For honoured from loopback
/// (as behind a reverse proxy) so tests can speak as different clients and places.
/// </summary>
public sealed class VerificationApp : WebApplicationFactory<Program>
{
    /// <summary>The GTIN configured for the GS1 Digital Link form (the GS1 example GTIN, valid check digit).</summary>
    public const string Gtin = "09506000134352";

    /// <summary>Claims allowed per piece per window in the tests.</summary>
    public const int ClaimsPerPiece = 4;

    /// <summary>Claims allowed per client per window in the tests.</summary>
    public const int ClaimsPerClient = 6;

    /// <summary>Pages per client per minute in the tests.</summary>
    public const int PagesPerMinute = 150;

    /// <summary>Distinct clients after a claim that mark a copy.</summary>
    public const int ClaimedDistinctClients = 5;

    /// <summary>Distinct places in the burst window that mark a copy.</summary>
    public const int BurstDistinctPlaces = 4;

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "provenance-pages-" + Guid.NewGuid().ToString("N"));
    private readonly int _port = LoopbackPorts.Free(); // the public URL must be known before the server starts

    public VerificationApp() => UseKestrel(options => options.Listen(IPAddress.Loopback, _port));

    /// <summary>The pieces the app shows.</summary>
    public TestPieceSource Source { get; } = new();

    /// <summary>The claims the app relays.</summary>
    public TestClaimService Claims => Services.GetRequiredService<TestClaimService>();

    /// <summary>The gateway's store file (which holds the scan tables).</summary>
    public string StoreDatabase => Path.Combine(_dataDirectory, "provenance.db");

    /// <summary>http://127.0.0.1:port, also the public URL the QR codes encode (starts the server on first use).</summary>
    public string BaseAddress
    {
        get
        {
            StartServer();
            return $"http://127.0.0.1:{_port}";
        }
    }

    /// <summary>The scan signals service (counts, marks, statistics).</summary>
    public ScanSignals Scans => Services.GetRequiredService<ScanSignals>();

    /// <summary>
    /// A client of the real server speaking as <paramref name="forwardedFor"/> (own rate-limit partition), with
    /// <paramref name="apiKey"/> as its bearer token when given.
    /// </summary>
    public HttpClient Client(string forwardedFor, bool cookies = false, string? userAgent = null, string? apiKey = null)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = cookies };
        var client = new HttpClient(handler) { BaseAddress = new Uri(BaseAddress) };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent ?? "ProvenanceTests/1.0");
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>The API key of the gateway's admin (written to the data directory at first start).</summary>
    public string AdminKey => File.ReadAllText(Path.Combine(_dataDirectory, "admin-api-key")).Trim();

    /// <summary>
    /// Onboards an artisan through the gateway's real actor API (its role grant waits for a chain this app does not
    /// have; the key works at once) and returns its id and API key.
    /// </summary>
    public async Task<(string Id, string ApiKey)> ArtisanAsync(string name)
    {
        using var admin = Client("192.0.2.1", apiKey: AdminKey);
        var response = await admin.PostAsJsonAsync("/api/actors/artisans",
            new { name, craft = "kani", cluster = "Kanihama", village = "Kanihama" });
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        response.StatusCode.Should().Be(HttpStatusCode.Created, body.ToString());
        return (body.GetProperty("id").GetString()!, body.GetProperty("apiKey").GetString()!);
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_dataDirectory);
        builder.UseEnvironment("Testing");

        // The gateway's own settings: its store in the same temp folder, a chain nobody listens on (the pages read
        // the test source, not the chain), and its global rate limit out of the way of the pages' own limits.
        var abi = Path.Combine(_dataDirectory, "ProvenanceRegistry.json");
        File.WriteAllText(abi, """{"abi":[]}""");
        var deployment = Path.Combine(_dataDirectory, "offline.json");
        File.WriteAllText(deployment, $$"""
            {"chainId":31337,"address":"0x5FbDB2315678afecb367f032d93F642f64180aa3","deployBlock":1,"deployTx":null,"abi":"{{abi}}","admin":null}
            """);
        builder.UseSetting("Storage:DataDirectory", _dataDirectory);
        builder.UseSetting("Security:MasterKey", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        builder.UseSetting("Chain:RpcUrl", "http://127.0.0.1:9");
        builder.UseSetting("Chain:DeploymentFile", deployment);
        builder.UseSetting("RateLimit:PermitLimit", "1000000");
        builder.UseSetting("Security:PublicBaseUrl", $"http://127.0.0.1:{_port}");
        builder.UseSetting("Verification:Gs1Gtin", Gtin);
        builder.UseSetting("Verification:ViewCacheDuration", "00:00:00");
        builder.UseSetting("Verification:RateLimits:PagesPerMinute", PagesPerMinute.ToString());
        builder.UseSetting("Verification:RateLimits:ClaimsPerPiece", ClaimsPerPiece.ToString());
        builder.UseSetting("Verification:RateLimits:ClaimsPerClient", ClaimsPerClient.ToString());
        builder.UseSetting("Verification:Scans:ClaimedDistinctClients", ClaimedDistinctClients.ToString());
        builder.UseSetting("Verification:Scans:BurstDistinctPlaces", BurstDistinctPlaces.ToString());
        builder.UseSetting("Verification:Scans:FlushInterval", "00:00:00.200");
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<IPieceVerificationSource>();
            services.AddSingleton<IPieceVerificationSource>(Source);
            services.AddSingleton(Source);
            services.AddSingleton<TestClaimService>();
            services.RemoveAll<IClaimService>();
            services.AddSingleton<IClaimService>(sp => sp.GetRequiredService<TestClaimService>());
            services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.XForwardedFor);
            services.AddTransient<IStartupFilter, ForwardedHeadersStartupFilter>();
        });
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the WAL for a moment; the folder is in the temp directory.
        }
    }

    private sealed class ForwardedHeadersStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) =>
            app =>
            {
                app.UseForwardedHeaders();
                next(app);
            };
    }
}

/// <summary>One app and one browser for all verification tests (they run one after another in this collection).</summary>
public sealed class VerificationFixture : IAsyncLifetime
{
    /// <summary>The app.</summary>
    public VerificationApp App { get; } = new();

    /// <summary>The browser.</summary>
    public BrowserSession Browser { get; } = new();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _ = App.BaseAddress;
        await Browser.StartAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        await App.DisposeAsync();
    }
}

/// <summary>The collection sharing <see cref="VerificationFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class VerificationCollection : ICollectionFixture<VerificationFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "verification";
}
