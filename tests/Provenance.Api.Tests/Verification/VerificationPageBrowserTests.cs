using Provenance.Api.Tests.Verification.Support;
using Provenance.Api.Verification;
using Provenance.Api.Verification.Localization;

namespace Provenance.Api.Tests.Verification;

/// <summary>What a person sees on /p/{code} in each state and language, in Debian's Chromium.</summary>
[Collection(VerificationCollection.Name)]
public sealed class VerificationPageBrowserTests(VerificationFixture fixture)
{
    private static readonly Dictionary<string, string> Colours = new()
    {
        ["authentic"] = "rgb(27, 122, 61)",
        ["claimed"] = "rgb(29, 95, 166)",
        ["unknown"] = "rgb(92, 102, 112)",
        ["flagged"] = "rgb(179, 38, 30)",
        ["mismatch"] = "rgb(123, 45, 142)",
        ["suspected"] = "rgb(163, 90, 0)",
        ["unreachable"] = "rgb(61, 90, 108)",
    };

    private VerificationApp App => fixture.App;

    public static TheoryData<string> LanguageCodes => new() { "en", "ur", "hi" };

    [Theory]
    [MemberData(nameof(LanguageCodes))]
    public async Task Page_EachState_ShowsItsOwnColourIconAndWords(string languageCode)
    {
        var lang = Language.FromCode(languageCode)!;
        var pieces = new Dictionary<string, string?>
        {
            ["authentic"] = App.Source.Add(Pieces.Authentic()).Code,
            ["claimed"] = App.Source.Add(Pieces.Claimed()).Code,
            ["unknown"] = null,
            ["flagged"] = App.Source.Add(Pieces.Flagged()).Code,
            ["mismatch"] = MismatchedPiece(),
            ["suspected"] = await SuspectedPieceAsync(),
            ["unreachable"] = App.Source.Add(Pieces.Unreachable()).Code,
        };
        var titles = new Dictionary<string, string>
        {
            ["authentic"] = lang.Text.AuthenticTitle,
            ["claimed"] = lang.Text.ClaimedTitle,
            ["unknown"] = lang.Text.UnknownTitle,
            ["flagged"] = lang.Text.FlaggedTitle,
            ["mismatch"] = lang.Text.MismatchTitle,
            ["suspected"] = lang.Text.SuspectedTitle,
            ["unreachable"] = lang.Text.UnreachableTitle,
        };
        await using var page = await fixture.Browser.NewPageAsync(App.BaseAddress, "198.51.100.10", locale: languageCode);
        var icons = new HashSet<string>();

        foreach (var (state, code) in pieces)
        {
            var status = await page.GotoAsync($"/p/{code ?? Pieces.NewCode()}?lang={languageCode}");

            status.Should().Be(state == "unknown" ? 404 : 200, state);
            var verdict = page.Page.Locator("section.verdict");
            (await verdict.GetAttributeAsync("data-state")).Should().Be(state);
            (await verdict.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor")).Should().Be(Colours[state], state);
            (await verdict.Locator("h1").InnerTextAsync()).Should().Be(titles[state]);
            (await verdict.Locator("svg").IsVisibleAsync()).Should().BeTrue();
            icons.Add(await verdict.Locator("svg").InnerHTMLAsync());
            (await page.Page.EvaluateAsync<string>("() => document.documentElement.lang")).Should().Be(languageCode);
            (await page.Page.EvaluateAsync<string>("() => document.documentElement.dir")).Should().Be(lang.Direction);
            await page.Page.ScreenshotAsync(new() { Path = BrowserSession.ScreenshotPath($"{state}-{languageCode}"), FullPage = true });
        }

        icons.Should().HaveCount(7, "every state has its own icon");
        page.Dialogs.Should().BeEmpty();
        page.ForeignRequests.Should().BeEmpty();
        (await page.CspViolationsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Page_AuthenticPiece_ShowsMakersCertificationCustodyPaymentAndProof()
    {
        var piece = App.Source.Add(Pieces.Authentic());
        await using var page = await fixture.Browser.NewPageAsync(App.BaseAddress, "198.51.100.11");

        await page.GotoAsync($"/p/{piece.Code}");

        var text = await page.Page.Locator("main").InnerTextAsync();
        text.Should().Contain("Kani shawl").And.Contain(piece.Title).And.Contain("Woven over fourteen months");
        text.Should().Contain("Ghulam Nabi Dar").And.Contain("An artisan of Kanihama").And.Contain("Part in this piece: weaving");
        text.Should().Contain("Kanihama, Budgam, Kashmir");
        text.Should().Contain("JK-KAN-2024-004127").And.Contain("Fibre diameter").And.Contain("passed");
        text.Should().Contain("Valley Crafts Exports").And.Contain("since 12 November 2024");
        text.Should().Contain("The artisan confirmed on 14 November 2024 that they were paid.");
        text.Should().Contain("0x5FbDB2315678afecb367f032d93F642f64180aa3").And.Contain(piece.Proof.RegistrationTx);
        text.Should().Contain("Processing · washing").And.Contain("block 1187").And.Contain("record matches the chain");
        (await page.Page.Locator("details summary").InnerTextAsync()).Should().Be("Check it yourself");
        (await page.Page.Locator(".makers img").CountAsync()).Should().Be(1, "only the maker who chose to show a photo has one");
        (await page.Page.Locator("a.button").GetAttributeAsync("href")).Should().Be($"/p/{piece.Code}/claim?lang=en");
    }

    [Fact]
    public async Task Page_FlaggedAndRevoked_ShowTheReasonAndNoClaimLink()
    {
        var flagged = App.Source.Add(Pieces.Flagged());
        var revoked = App.Source.Add(Pieces.Revoked());
        await using var page = await fixture.Browser.NewPageAsync(App.BaseAddress, "198.51.100.12");

        await page.GotoAsync($"/p/{flagged.Code}");
        (await page.Page.Locator("section.verdict p").InnerTextAsync()).Should().Be(
            "A certifier flagged this piece. Reason: Reported stolen from the Srinagar showroom");
        (await page.Page.Locator("a.button").CountAsync()).Should().Be(0);

        await page.GotoAsync($"/p/{revoked.Code}");
        (await page.Page.Locator("section.verdict h1").InnerTextAsync()).Should().Be("Revoked");
        (await page.Page.Locator("section.verdict p").InnerTextAsync()).Should().Contain("Lab retest found machine-made weave");
    }

    [Fact]
    public async Task Page_StoredRecordAltered_ShowsMismatchAndWhichRecord()
    {
        var piece = App.Source.Add(Pieces.Authentic());
        await using var page = await fixture.Browser.NewPageAsync(App.BaseAddress, "198.51.100.13");
        await page.GotoAsync($"/p/{piece.Code}");
        (await page.Page.Locator("section.verdict").GetAttributeAsync("data-state")).Should().Be("authentic");

        App.Source.AlterStoredRecord(piece.Code, v => v with { Title = "Machine-made shawl sold as Kani" });
        await page.GotoAsync($"/p/{piece.Code}");

        (await page.Page.Locator("section.verdict").GetAttributeAsync("data-state")).Should().Be("mismatch");
        (await page.Page.Locator("section.verdict p").InnerTextAsync()).Should().Contain("Do not trust the details below")
            .And.EndWith("Records that differ: piece details");
        (await page.Page.Locator("a.button").CountAsync()).Should().Be(0, "an altered record is never offered for claiming");
    }

    [Fact]
    public async Task Page_ChainUnreachable_ShowsLastVerifiedTime()
    {
        var piece = App.Source.Add(Pieces.Unreachable());
        await using var page = await fixture.Browser.NewPageAsync(App.BaseAddress, "198.51.100.14");

        await page.GotoAsync($"/p/{piece.Code}");

        (await page.Page.Locator("section.verdict p").InnerTextAsync()).Should().Be(
            "The chain cannot be reached right now. This is what it held when last checked on 10 January 2025, 09:00 UTC.");
    }

    [Fact]
    public async Task Page_FlaggedWhileChainUnreachable_ShowsFlagWithUnreachableNotice()
    {
        var piece = App.Source.Add(Pieces.Flagged() with { Freshness = new DataFreshness(false, DateTimeOffset.UnixEpoch) });
        await using var page = await fixture.Browser.NewPageAsync(App.BaseAddress, "198.51.100.15");

        await page.GotoAsync($"/p/{piece.Code}");

        (await page.Page.Locator("section.verdict").GetAttributeAsync("data-state")).Should().Be("flagged");
        (await page.Page.Locator("[data-notice=unreachable]").IsVisibleAsync()).Should().BeTrue();
    }

    [Fact]
    public async Task Page_UnknownCode_Answers404WithLookupForm()
    {
        var missing = Pieces.NewCode();
        await using var page = await fixture.Browser.NewPageAsync(App.BaseAddress, "198.51.100.16");

        var status = await page.GotoAsync($"/p/{missing}");

        status.Should().Be(404);
        (await page.Page.Locator("section.verdict p").InnerTextAsync()).Should().StartWith($"No piece is registered with the code {missing}.");
        var known = App.Source.Add(Pieces.Authentic());
        await page.Page.FillAsync("#code", known.Code.ToLowerInvariant().Insert(5, "-"));
        await page.Page.ClickAsync("button[type=submit]");
        page.Page.Url.Should().EndWith($"/p/{known.Code}?lang=en");
        (await page.Page.Locator("section.verdict").GetAttributeAsync("data-state")).Should().Be("authentic");
    }

    [Fact]
    public async Task Page_SourceDown_Answers503WithPlainMessage()
    {
        var code = Pieces.NewCode();
        App.Source.MakeUnavailable(code);
        using var client = App.Client("198.51.100.17");

        var response = await client.GetAsync($"/p/{code}");

        ((int)response.StatusCode).Should().Be(503);
        response.Headers.RetryAfter.Should().NotBeNull();
        (await response.Content.ReadAsStringAsync()).Should().Contain("Pieces cannot be checked right now.");
    }

    [Fact]
    public async Task Page_Urdu_IsLaidOutRightToLeft()
    {
        var piece = App.Source.Add(Pieces.Claimed());
        await using var page = await fixture.Browser.NewPageAsync(App.BaseAddress, "198.51.100.18", locale: "ur-PK");

        await page.GotoAsync($"/p/{piece.Code}");

        (await page.Page.EvaluateAsync<string>("() => document.documentElement.dir")).Should().Be("rtl", "Accept-Language ur-PK picks Urdu");
        var icon = await page.Page.Locator("section.verdict svg").BoundingBoxAsync();
        var title = await page.Page.Locator("section.verdict h1").BoundingBoxAsync();
        icon!.X.Should().BeGreaterThan(title!.X, "in Urdu the icon leads on the right");
        (await page.Page.Locator("section.verdict h1").InnerTextAsync()).Should().Be("اصلی · ملکیت میں");
        (await page.Page.Locator("section.verdict p").InnerTextAsync()).Should().Contain("2 فروری 2025");
    }

    [Fact]
    public async Task Page_LanguageSwitch_ChangesLanguageAndRemembersIt()
    {
        var piece = App.Source.Add(Pieces.Authentic());
        await using var page = await fixture.Browser.NewPageAsync(App.BaseAddress, "198.51.100.19");
        await page.GotoAsync($"/p/{piece.Code}");

        await page.Page.ClickAsync("nav.langs a[lang=hi]");

        (await page.Page.Locator("section.verdict h1").InnerTextAsync()).Should().Be("असली");
        await page.GotoAsync($"/p/{piece.Code}");
        (await page.Page.Locator("section.verdict h1").InnerTextAsync()).Should().Be("असली", "the choice is kept in a cookie");
        (await page.Page.Locator("nav.langs a[aria-current=true]").InnerTextAsync()).Should().Be("हिन्दी");
    }

    private string MismatchedPiece()
    {
        var piece = App.Source.Add(Pieces.Authentic());
        App.Source.AlterStoredRecord(piece.Code, v => v with { Description = "changed after registration" });
        return piece.Code;
    }

    private async Task<string> SuspectedPieceAsync()
    {
        var piece = App.Source.Add(Pieces.Claimed());
        for (var i = 0; i < VerificationApp.ClaimedDistinctClients; i++)
        {
            using var client = App.Client("198.51.100.200", userAgent: $"Phone/{i}");
            (await client.GetAsync($"/p/{piece.Code}")).EnsureSuccessStatusCode();
        }

        return piece.Code;
    }
}
