using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Provenance.Api.Tests.Verification.Support;

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
        var missing = Pieces.NewCode();
        await using var page = await fixture.Browser.NewPageAsync(App.BaseAddress, "192.0.2.50", width: 900, apiKey: key);

        var status = await page.GotoAsync("/labels?codes=" + string.Join(",", pieces.Select(p => p.Code).Append(missing)));
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
        (await page.Page.Locator("[data-missing]").IsVisibleAsync()).Should().BeFalse("screen-only notes are not printed");
        await page.Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Screen });
        (await page.Page.Locator("[data-missing]").InnerTextAsync()).Should().Be($"Codes not found: {missing}");
        await page.Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        await page.Page.ScreenshotAsync(new() { Path = BrowserSession.ScreenshotPath("labels-print"), FullPage = true });
        var pdf = await page.Page.PdfAsync(new PagePdfOptions { Format = "A4", PrintBackground = true });
        pdf.Should().NotBeEmpty();
        await File.WriteAllBytesAsync(Path.ChangeExtension(BrowserSession.ScreenshotPath("labels"), ".pdf"), pdf);
        (await page.CspViolationsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Labels_NoCodesOrTooMany_Answers400()
    {
        var (_, key) = await App.ArtisanAsync("Label printer");
        using var client = App.Client("192.0.2.51", apiKey: key);

        var none = await client.GetAsync("/labels");
        var tooMany = await client.GetAsync("/labels?codes=" + string.Join(",", Enumerable.Range(0, 101).Select(_ => Pieces.NewCode())));

        none.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await none.Content.ReadAsStringAsync()).Should().Contain("Give the codes of the pieces to print");
        tooMany.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await tooMany.Content.ReadAsStringAsync()).Should().Contain("At most 100 pieces per sheet.");
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
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32().Should().Be(401);
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
        refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().Should().Be(403);
        problem.GetProperty("title").GetString().Should().Be("Not your pieces");
        problem.GetProperty("detail").GetString().Should().Contain(theirs.Code).And.NotContain(mine.Code);
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
}
