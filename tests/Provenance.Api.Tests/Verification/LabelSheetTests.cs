using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Provenance.Api.Tests.Support;
using Provenance.Api.Tests.Verification.Support;
using Provenance.Api.Verification;

namespace Provenance.Api.Tests.Verification;

/// <summary>
/// The printable label sheet: 60 × 35 mm sew-in labels with QR, code, craft and makers as allowed, printed only by
/// actors who may print each piece (registrant, makers, custodian, or an admin).
/// </summary>
[Collection(VerificationCollection.Name)]
public sealed class LabelSheetTests(VerificationFixture fixture)
{
    private const double PixelsPerMillimetre = 96 / 25.4;

    private VerificationApp App => fixture.App;

    [Fact]
    public async Task Labels_Printed_AreSewInSizeWithQrCodeCraftAndMakers()
    {
        var (artisan, key) = await App.ArtisanAsync("Label printer");
        var pieces = new[] { Pieces.Authentic(), Pieces.Claimed(), Pieces.Authentic() with { Makers = [new("Shown Name", null, null, "Kanihama", "weaving")] } }
            .Select(p => App.Source.Add(p with { LabelPrinters = [artisan] })).ToList();
        await using var page = await fixture.Browser.NewPageAsync(App.BaseAddress, "192.0.2.50", width: 900, apiKey: key);

        var status = await page.GotoAsync("/labels?codes=" + string.Join(",", pieces.Select(p => p.Code)));
        await page.Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });

        status.Should().Be(200);
        var labels = page.Page.Locator(".label");
        (await labels.CountAsync()).Should().Be(3);
        for (var i = 0; i < 3; i++)
        {
            var label = labels.Nth(i);
            var box = await label.BoundingBoxAsync();
            (box!.Width / PixelsPerMillimetre).Should().BeApproximately(60, 0.5);
            (box.Height / PixelsPerMillimetre).Should().BeApproximately(35, 0.5);
            (await label.Locator(".label-code").InnerTextAsync()).Replace(" ", string.Empty).Should().Be(pieces[i].Code);
            (await label.Locator(".label-code").EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth && e.getBoundingClientRect().right <= e.closest('.label').getBoundingClientRect().right"))
                .Should().BeTrue("the code is printed whole");
            (await label.Locator(".label-craft").InnerTextAsync()).Should().Be("Kani shawl");
            (await label.Locator("img").EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0")).Should().BePositive("the QR image loads");
        }

        (await labels.Nth(0).Locator(".label-makers").InnerTextAsync()).Should().Be("Made by Ghulam Nabi Dar, An artisan of Kanihama, Mehmooda Akhter");
        (await labels.Nth(2).Locator(".label-makers").InnerTextAsync()).Should().Be("Made by Shown Name");
        (await page.Page.Locator("header.site").IsVisibleAsync()).Should().BeFalse("the page frame is not printed");
        (await page.Page.Locator("section.screen-only").IsVisibleAsync()).Should().BeFalse("screen-only notes are not printed");
        await page.Page.ScreenshotAsync(new() { Path = BrowserSession.ScreenshotPath("labels-print"), FullPage = true });
        var pdf = await page.Page.PdfAsync(new PagePdfOptions { Format = "A4", PrintBackground = true });
        pdf.Should().NotBeEmpty();
        await File.WriteAllBytesAsync(Path.ChangeExtension(BrowserSession.ScreenshotPath("labels"), ".pdf"), pdf);
        (await page.CspViolationsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Labels_NoCodesTooManyOrNotCodes_Answers400ProblemDetailsNamingWhatIsWrong()
    {
        var (artisan, key) = await App.ArtisanAsync("Label printer");
        var piece = App.Source.Add(Pieces.Authentic() with { LabelPrinters = [artisan] });
        var typo = piece.Code[..^1] + (piece.Code[^1] == 'A' ? 'B' : 'A'); // the check character no longer fits
        using var client = App.Client("192.0.2.51", apiKey: key);

        var none = await ProblemAsync(client, "/labels");
        var tooMany = await ProblemAsync(client, "/labels?codes=" + string.Join(",", Enumerable.Range(0, 101).Select(_ => Pieces.NewCode())));
        var notCodes = await ProblemAsync(client, $"/labels?codes={piece.Code},{typo},<b>x</b>");

        none.Should().Be((400, "No codes", "Give the codes of the pieces to print, for example /labels?codes=CODE1,CODE2."));
        tooMany.Should().Be((400, "Too many codes", "At most 100 pieces per sheet; 101 were given."));
        notCodes.Status.Should().Be(400);
        notCodes.Title.Should().Be("Not piece codes");
        notCodes.Detail.Should().Contain(typo).And.Contain("<b>x</b>").And.NotContain(piece.Code + ",");
    }

    [Fact]
    public async Task Labels_UnknownCode_Answers404ProblemDetailsNamingItAndPrintsNothing()
    {
        var (artisan, key) = await App.ArtisanAsync("Label printer");
        var piece = App.Source.Add(Pieces.Authentic() with { LabelPrinters = [artisan] });
        var unknown = Pieces.NewCode();
        using var client = App.Client("192.0.2.55", apiKey: key);

        var response = await client.GetAsync($"/labels?codes={piece.Code},{unknown.ToLowerInvariant()}");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var problem = await ProblemResponse.ReadAsync(response);
        problem.Title.Should().Be("Unknown pieces");
        problem.Detail.Should().Be($"No piece has these codes: {unknown}.");
        (await response.Content.ReadAsStringAsync()).Should().NotContain("data-code", "a sheet is printed whole or not at all");
    }

    [Fact]
    public async Task Labels_StoreUnavailable_Answers503ProblemDetailsWithRetryAfter()
    {
        var (artisan, key) = await App.ArtisanAsync("Label printer");
        var piece = App.Source.Add(Pieces.Authentic() with { LabelPrinters = [artisan] });
        App.Source.MakeUnavailable(piece.Code);
        using var client = App.Client("192.0.2.56", apiKey: key);

        var response = await client.GetAsync($"/labels?codes={piece.Code}");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(30));
        (await ProblemResponse.ReadAsync(response)).Status.Should().Be(503);
    }

    [Fact]
    public async Task Labels_EveryResponseErrorsIncluded_CarriesThePagesSecurityHeaders()
    {
        var (artisan, key) = await App.ArtisanAsync("Label printer");
        var (owner, _) = await App.ArtisanAsync("Owner of the piece");
        var mine = App.Source.Add(Pieces.Authentic() with { LabelPrinters = [artisan] });
        var theirs = App.Source.Add(Pieces.Authentic() with { LabelPrinters = [owner] });
        var down = App.Source.Add(Pieces.Authentic() with { LabelPrinters = [artisan] });
        App.Source.MakeUnavailable(down.Code);
        using var client = App.Client("192.0.2.57", apiKey: key);
        using var anonymous = App.Client("192.0.2.57");
        using var forged = App.Client("192.0.2.57", apiKey: "pvk_0123456789_" + new string('a', 40));
        using var flooding = App.Client("192.0.2.58", apiKey: key);
        HttpResponseMessage limited;
        var sent = 0;
        do
        {
            // Until the page limit answers (a fixed window: it may restart once while the loop runs, never twice).
            limited = await flooding.GetAsync($"/labels?codes={mine.Code}");
        }
        while (limited.StatusCode != HttpStatusCode.TooManyRequests && ++sent <= 2 * VerificationApp.PagesPerMinute);

        var responses = new (HttpClient Client, HttpMethod Method, string Path, int Status)[]
        {
            (client, HttpMethod.Get, $"/labels?codes={mine.Code}", 200),
            (client, HttpMethod.Get, "/labels", 400),
            (client, HttpMethod.Get, "/labels?codes=NOTACODE", 400),
            (anonymous, HttpMethod.Get, $"/labels?codes={mine.Code}", 401),
            (forged, HttpMethod.Get, $"/labels?codes={mine.Code}", 401),
            (client, HttpMethod.Get, $"/labels?codes={theirs.Code}", 403),
            (client, HttpMethod.Get, $"/labels?codes={Pieces.NewCode()}", 404),
            (client, HttpMethod.Post, $"/labels?codes={mine.Code}", 405),
            (client, HttpMethod.Get, $"/labels?codes={down.Code}", 503),
        };

        Check(limited, 429, "the page limit");
        foreach (var (c, method, path, status) in responses)
        {
            using var response = await c.SendAsync(new HttpRequestMessage(method, path));
            Check(response, status, $"{method} {path}");
        }

        static void Check(HttpResponseMessage response, int status, string because)
        {
            ((int)response.StatusCode).Should().Be(status, because);
            response.Content.Headers.ContentType!.MediaType.Should().Be(status == 200 ? "text/html" : "application/problem+json", because);
            response.Headers.GetValues("Content-Security-Policy").Should().Equal([SecurityHeaders.ContentSecurityPolicy], because);
            response.Headers.GetValues("X-Content-Type-Options").Should().Equal(["nosniff"], because);
            response.Headers.GetValues("X-Frame-Options").Should().Equal(["DENY"], because);
            response.Headers.GetValues("Referrer-Policy").Should().Equal(["no-referrer"], because);
            response.Headers.GetValues("Cross-Origin-Resource-Policy").Should().Equal(["same-origin"], because);
        }
    }

    [Fact]
    public async Task Labels_Anonymous_Answers401ProblemDetails()
    {
        var piece = App.Source.Add(Pieces.Authentic());
        using var anonymous = App.Client("192.0.2.52");
        using var forged = App.Client("192.0.2.52", apiKey: "pvk_0123456789_" + new string('a', 40));

        var response = await anonymous.GetAsync($"/labels?codes={piece.Code}");
        var forgedResponse = await forged.GetAsync($"/labels?codes={piece.Code}");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await ProblemResponse.ReadAsync(response)).Status.Should().Be(401);
        forgedResponse.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).Should().NotContain(piece.Code);
    }

    [Fact]
    public async Task Labels_AnotherActorsPiece_Answers403ProblemDetailsNamingIt()
    {
        var (owner, _) = await App.ArtisanAsync("Owner of the piece");
        var (other, otherKey) = await App.ArtisanAsync("Another artisan");
        var theirs = App.Source.Add(Pieces.Authentic() with { LabelPrinters = [owner] });
        var mine = App.Source.Add(Pieces.Authentic() with { LabelPrinters = [other] });
        using var client = App.Client("192.0.2.53", apiKey: otherKey);

        var refused = await client.GetAsync($"/labels?codes={mine.Code},{theirs.Code}");
        var allowed = await client.GetAsync($"/labels?codes={mine.Code}");

        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var problem = await ProblemResponse.ReadAsync(refused);
        problem.Title.Should().Be("Not your pieces");
        problem.Detail.Should().Contain(theirs.Code).And.NotContain(mine.Code);
        allowed.StatusCode.Should().Be(HttpStatusCode.OK);
        (await allowed.Content.ReadAsStringAsync()).Should().Contain($"data-code=\"{mine.Code}\"");
    }

    [Fact]
    public async Task Labels_Admin_PrintsAnyPiece()
    {
        var (owner, _) = await App.ArtisanAsync("Owner of the piece");
        var piece = App.Source.Add(Pieces.Authentic() with { LabelPrinters = [owner] });
        using var admin = App.Client("192.0.2.54", apiKey: App.AdminKey);

        var response = await admin.GetAsync($"/labels?codes={piece.Code}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        (await response.Content.ReadAsStringAsync()).Should().Contain($"data-code=\"{piece.Code}\"");
    }

    private static async Task<(int Status, string? Title, string? Detail)> ProblemAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var problem = await ProblemResponse.ReadAsync(response, path);
        return (problem.Status, problem.Title, problem.Detail);
    }
}
