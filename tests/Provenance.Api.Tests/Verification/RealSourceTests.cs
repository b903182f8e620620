using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Provenance.Api.Tests.Support;
using Provenance.Api.Tests.Verification.Support;
using Provenance.Testing;

namespace Provenance.Api.Tests.Verification;

/// <summary>
/// The pages over the gateway's real store-backed source and claim service, a real Hardhat chain and Chromium:
/// register, certify, hand off, confirm payment, claim through the page, tamper with a stored record, flag, and
/// script injection through the real write API.
/// </summary>
[Collection(ChainCollection.Name)]
public sealed partial class RealSourceTests(ChainFixture chain) : IAsyncLifetime
{
    private readonly BrowserSession _browser = new();
    private GatewayFactory _factory = null!;
    private ApiDriver _api = null!;
    private string _base = null!;

    public async Task InitializeAsync()
    {
        var port = LoopbackPorts.Free();
        _base = $"http://127.0.0.1:{port}";
        _factory = chain.CreateGateway(new Dictionary<string, string?>
        {
            ["Verification:ViewCacheDuration"] = "00:00:00",
            ["Security:PublicBaseUrl"] = _base,
        });
        _factory.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        _factory.StartServer();
        _api = new ApiDriver(_factory);
        await _browser.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Page_RegisteredCertifiedHandedOverPaid_ShowsWhatTheChainHolds()
    {
        var weaver = await _api.ArtisanAsync("Haleema Bano");
        var hidden = await _api.OnboardAsync("artisans", new
        {
            name = "Zareena Akhter", craft = "kani", cluster = "Kanihama", village = "Nowgam", visibility = new { name = false },
        });
        var lab = await _api.CertifierAsync("CDI GI Lab");
        var exporter = await _api.HandlerAsync("Dal Lake Exports", "exporter");
        var code = await RegisterAsync(weaver, "Kani shawl, paisley border", new { actorId = weaver.Id, part = "weaving" }, new { actorId = hidden.Id, part = "embroidery" });
        await _api.AcceptedAsync(lab.Client, $"/api/pieces/{code}/certifications", new
        {
            result = "pass", giLabel = "GI-PASH-0001", labReport = "LAB-1", tests = new Dictionary<string, string> { ["fibre"] = "14.2 µm" },
        });
        await HandOffAsync(code, weaver, exporter);
        await _api.AcceptedAsync(weaver.Client, $"/api/pieces/{code}/events", new { kind = "paymentConfirmed", notes = "Paid in full" });
        await _api.PieceAsync(code, 4);
        await using var page = await _browser.NewPageAsync(_base, "127.0.0.1");

        var status = await page.GotoAsync($"/p/{code}");

        status.Should().Be(200);
        (await page.Page.Locator("section.verdict").GetAttributeAsync("data-state")).Should().Be("authentic");
        var text = await page.Page.Locator("main").InnerTextAsync();
        text.Should().Contain("Kani shawl, paisley border").And.Contain("Kani shawl\n", "the stored craft (kani) is named");
        text.Should().Contain("Haleema Bano").And.Contain("An artisan of Kanihama").And.NotContain("Zareena");
        text.Should().Contain("Part in this piece: weaving").And.Contain("Part in this piece: embroidery");
        text.Should().Contain("GI-PASH-0001").And.Contain("CDI GI Lab");
        text.Should().Contain("Dal Lake Exports").And.Contain("The artisan confirmed on");
        text.Should().Contain("Payment confirmed by the artisan").And.Contain("record matches the chain").And.NotContain("does not match");
        var deployment = JsonDocument.Parse(await File.ReadAllTextAsync(chain.DeploymentFile)).RootElement;
        text.Should().Contain(deployment.GetProperty("address").GetString()!);
        var registrationTx = (await page.Page.Locator("dl.facts dd.mono").Nth(3).InnerTextAsync()).Trim();
        (await chain.Chain.RpcAsync("eth_getTransactionReceipt", [registrationTx])).GetProperty("status").GetString().Should().Be("0x1");
        await page.Page.ScreenshotAsync(new() { Path = BrowserSession.ScreenshotPath("real-authentic-en"), FullPage = true });
        var qr = Path.Combine(RepoPaths.TestOutput("verification/qr"), $"real-{code}.png");
        await File.WriteAllBytesAsync(qr, await _api.Anonymous.GetByteArrayAsync($"/p/{code}/qr.png?size=300"));
        (await Zbar.DecodeAsync(qr)).Should().Be($"{_base}/p/{code}");
    }

    [Fact]
    public async Task Claim_ThroughThePage_RecordedOnChainThenShownAsOwned()
    {
        var weaver = await _api.ArtisanAsync("Haleema Bano");
        var (code, claimCode, _) = await RegisterWithClaimCodeAsync(weaver, "Sozni stole");
        await _api.AcceptedAsync(weaver.Client, $"/api/pieces/{code}/events", new { kind = "sale", location = "Srinagar" });
        await using var page = await _browser.NewPageAsync(_base, "127.0.0.1");
        await page.GotoAsync($"/p/{code}");

        await page.Page.ClickAsync("a.button");
        await page.Page.FillAsync("#claimCode", "ABCDE-FGHJK-MNPQR-STVWX-YZ012");
        await page.Page.ClickAsync("form button");
        (await page.Page.Locator("[data-outcome]").GetAttributeAsync("data-outcome")).Should().Be("WrongCode");
        await page.Page.FillAsync("#claimCode", claimCode.ToLowerInvariant());
        await page.Page.ClickAsync("form button");

        (await page.Page.Locator("[data-outcome]").GetAttributeAsync("data-outcome")).Should().Be("Claimed");
        (await page.Page.Locator(".owner-key").InnerTextAsync()).Should().NotBeNullOrWhiteSpace("the custodial owner's key is shown once");
        var operation = OperationId().Match(await page.Page.Locator("[data-outcome]").InnerTextAsync()).Groups[1].Value;
        (await _api.WaitForOperationAsync(operation)).GetProperty("status").GetString().Should().Be("confirmed");
        await _api.PieceAsync(code, 3);
        await page.GotoAsync($"/p/{code}");
        (await page.Page.Locator("section.verdict").GetAttributeAsync("data-state")).Should().Be("claimed");
        (await page.Page.Locator("section.verdict h1").InnerTextAsync()).Should().Be("Authentic · owned");
        await page.Page.ScreenshotAsync(new() { Path = BrowserSession.ScreenshotPath("real-claimed-en"), FullPage = true });

        await using var second = await _browser.NewPageAsync(_base, "127.0.0.1");
        await second.GotoAsync($"/p/{code}/claim");
        await second.Page.FillAsync("#claimCode", claimCode);
        await second.Page.ClickAsync("form button");
        (await second.Page.Locator("[data-outcome]").GetAttributeAsync("data-outcome")).Should().Be("AlreadyClaimed");
    }

    [Fact]
    public async Task Page_InjectionThroughTheApi_TamperedRecordAndFlag_ShownSafelyAndTruthfully()
    {
        var artisan = await _api.OnboardAsync("artisans", new
        {
            name = "<img src=x onerror=alert(1)>", craft = "sozni", cluster = "\"><svg onload=alert(2)>", village = "Zadibal",
        });
        var handler = await _api.HandlerAsync("<script>alert(3)</script> Exports", "exporter");
        var lab = await _api.CertifierAsync("CDI GI Lab");
        var code = await RegisterAsync(artisan, "\"><iframe src=javascript:alert(4)>", new { actorId = artisan.Id, part = "<b onmouseover=alert(5)>sozni</b>" });
        await _api.AcceptedAsync(artisan.Client, $"/api/pieces/{code}/events", new { kind = "note", notes = "</title><script>alert(6)</script>" });
        await HandOffAsync(code, artisan, handler);
        var tampered = await RegisterAsync(artisan, "Papier-mâché box", new { actorId = artisan.Id, part = "painting" });
        await _api.PieceAsync(code, 3);
        await _api.PieceAsync(tampered, 1);
        await using var page = await _browser.NewPageAsync(_base, "127.0.0.1");

        await page.GotoAsync($"/p/{code}");
        var text = await page.Page.Locator("main").InnerTextAsync();
        text.Should().Contain("<img src=x onerror=alert(1)>").And.Contain("<script>alert(3)</script> Exports")
            .And.Contain("\"><iframe src=javascript:alert(4)>").And.Contain("</title><script>alert(6)</script>");
        (await page.Page.EvaluateAsync<int>("() => document.querySelectorAll('script,iframe,svg:not(.icon),b,img').length")).Should().Be(0);

        await _api.AcceptedAsync(lab.Client, $"/api/pieces/{code}/flag", new { reason = "<a href=\"javascript:alert(7)\">stolen</a>" });
        await _api.PieceAsync(code, 4);
        await page.GotoAsync($"/p/{code}");
        (await page.Page.Locator("section.verdict").GetAttributeAsync("data-state")).Should().Be("flagged");
        (await page.Page.Locator("section.verdict p").InnerTextAsync()).Should().EndWith("Reason: <a href=\"javascript:alert(7)\">stolen</a>");
        (await page.Page.Locator("main a[href^=javascript]").CountAsync()).Should().Be(0);

        TestDb.Execute(_factory.DatabasePath, $"UPDATE records SET json = replace(json, 'Papier-mâché box', 'Machine-made box') WHERE piece_code = '{tampered}'");
        await page.GotoAsync($"/p/{tampered}");
        (await page.Page.Locator("section.verdict").GetAttributeAsync("data-state")).Should().Be("mismatch");
        (await page.Page.Locator("section.verdict p").InnerTextAsync()).Should().EndWith("Records that differ: piece details");
        await page.Page.ScreenshotAsync(new() { Path = BrowserSession.ScreenshotPath("real-mismatch-en"), FullPage = true });

        page.Dialogs.Should().BeEmpty();
        page.ForeignRequests.Should().BeEmpty();
        (await page.CspViolationsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Labels_RealPiece_PrintedByRegistrantAndCustodianNotByOthers()
    {
        var weaver = await _api.ArtisanAsync("Haleema Bano");
        var exporter = await _api.HandlerAsync("Dal Lake Exports", "exporter");
        var stranger = await _api.ArtisanAsync("Someone else");
        var code = await RegisterAsync(weaver, "Kani shawl for the label sheet");
        await HandOffAsync(code, weaver, exporter);
        await _api.PieceAsync(code, 2);
        var url = $"/labels?codes={code}";

        var registrant = await weaver.Client.GetAsync(url);
        var custodian = await exporter.Client.GetAsync(url);
        var other = await stranger.Client.GetAsync(url);
        var anonymous = await _api.Anonymous.GetAsync(url);
        var unknown = await weaver.Client.GetAsync($"/labels?codes={code},{Verification.Support.Pieces.NewCode()}");

        registrant.StatusCode.Should().Be(HttpStatusCode.OK);
        (await registrant.Content.ReadAsStringAsync()).Should().Contain($"data-code=\"{code}\"");
        custodian.StatusCode.Should().Be(HttpStatusCode.OK, "the piece's current custodian prints its labels");
        other.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        other.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound, "a code of no piece refuses the sheet");
        foreach (var response in new[] { registrant, other, anonymous, unknown })
        {
            response.Headers.GetValues("Content-Security-Policy").Should().Equal([Provenance.Api.Verification.SecurityHeaders.ContentSecurityPolicy]);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            }
        }
    }

    private async Task<string> RegisterAsync(TestActor artisan, string title, params object[] makers)
    {
        var (code, _, verificationUrl) = await RegisterWithClaimCodeAsync(artisan, title, makers);
        verificationUrl.Should().Be($"{_base}/p/{code}", "the URL the gateway hands out is the one the QR encodes");
        return code;
    }

    private async Task<(string Code, string ClaimCode, string VerificationUrl)> RegisterWithClaimCodeAsync(TestActor artisan, string title, params object[] makers)
    {
        var registered = await _api.AcceptedAsync(artisan.Client, "/api/pieces", new
        {
            craft = "kani", title, description = "Woven in Kanihama over a winter.",
            makers = makers.Length > 0 ? makers : [new { actorId = artisan.Id, part = "weaving" }],
            materials = new[] { "pashmina" }, dimensions = "200 x 100 cm",
        });
        return (registered.GetProperty("code").GetString()!, registered.GetProperty("claimCode").GetString()!,
            registered.GetProperty("verificationUrl").GetString()!);
    }

    private async Task HandOffAsync(string code, TestActor from, TestActor to)
    {
        var (status, proposal) = await ApiDriver.PostAsync(from.Client, $"/api/pieces/{code}/handoffs", new { to = to.Id, location = "Srinagar" });
        status.Should().Be(HttpStatusCode.Created, proposal.ToString());
        await _api.AcceptedAsync(to.Client, $"/api/handoffs/{proposal.GetProperty("id").GetString()}/accept", new { });
    }

    [GeneratedRegex(@"operation ([A-Za-z0-9_]+)\)")]
    private static partial Regex OperationId();
}
