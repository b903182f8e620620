using System.Net;
using Provenance.Api.Tests.Verification.Support;
using Provenance.Api.Verification;
using Provenance.Testing;

namespace Provenance.Api.Tests.Verification;

/// <summary>QR images decode (zbarimg) to exactly the verification URL; sizes, caching and errors.</summary>
[Collection(VerificationCollection.Name)]
public sealed class QrCodeTests(VerificationFixture fixture)
{
    private VerificationApp App => fixture.App;

    public static TheoryData<int> PngSizes => new() { 96, 300, 1024 };

    [Theory]
    [MemberData(nameof(PngSizes))]
    public async Task QrPng_SeveralCodesAndSizes_DecodesToVerificationUrl(int size)
    {
        using var client = App.Client("203.0.113.1");
        foreach (var piece in new[] { Pieces.Authentic(), Pieces.Claimed(), Pieces.Flagged() }.Select(App.Source.Add))
        {
            var response = await client.GetAsync($"/p/{piece.Code}/qr.png?size={size}");
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
            var path = Path.Combine(RepoPaths.TestOutput("verification/qr"), $"{piece.Code}-{size}.png");
            await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());

            var decoded = await Zbar.DecodeAsync(path);

            decoded.Should().Be($"{App.BaseAddress}/p/{piece.Code}");
        }
    }

    [Fact]
    public async Task QrSvg_RenderedByChromium_DecodesToVerificationUrl()
    {
        var pieces = new[] { Pieces.Authentic(), Pieces.Unreachable() }.Select(App.Source.Add).ToList();
        await using var page = await fixture.Browser.NewPageAsync(App.BaseAddress, "203.0.113.2", width: 800);
        foreach (var (piece, size) in pieces.Zip(new[] { 128, 512 }))
        {
            var status = await page.GotoAsync($"/p/{piece.Code}/qr.svg?size={size}");
            status.Should().Be(200);
            var path = Path.Combine(RepoPaths.TestOutput("verification/qr"), $"{piece.Code}-{size}-svg.png");
            await page.Page.Locator("svg").ScreenshotAsync(new() { Path = path });

            (await Zbar.DecodeAsync(path)).Should().Be($"{App.BaseAddress}/p/{piece.Code}");
        }
    }

    [Fact]
    public async Task QrPng_Gs1Form_DecodesToDigitalLinkThatOpensThePage()
    {
        var piece = App.Source.Add(Pieces.Authentic());
        using var client = App.Client("203.0.113.3");
        var path = Path.Combine(RepoPaths.TestOutput("verification/qr"), $"{piece.Code}-gs1.png");
        await File.WriteAllBytesAsync(path, await client.GetByteArrayAsync($"/p/{piece.Code}/qr.png?form=gs1&size=400"));

        var decoded = await Zbar.DecodeAsync(path);

        decoded.Should().Be($"{App.BaseAddress}/01/{VerificationApp.Gtin}/21/{piece.Code}");
        var page = await client.GetAsync(new Uri(decoded).PathAndQuery);
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).Should().Contain("data-state=\"authentic\"").And.Contain(piece.Code);
        (await client.GetAsync($"/01/00000000000000/21/{piece.Code}")).StatusCode.Should().Be(HttpStatusCode.NotFound, "another GTIN is not ours");
    }

    [Fact]
    public async Task QrPng_ForgedHostHeader_StillEncodesThePublicUrl()
    {
        var piece = App.Source.Add(Pieces.Authentic());
        using var client = App.Client("203.0.113.7");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/p/{piece.Code}/qr.png?size=300");
        request.Headers.Host = "evil.example";
        var path = Path.Combine(RepoPaths.TestOutput("verification/qr"), $"{piece.Code}-host.png");

        var response = await client.SendAsync(request);
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await Zbar.DecodeAsync(path)).Should().Be($"{App.BaseAddress}/p/{piece.Code}");
    }

    [Fact]
    public async Task Qr_Responses_AreCacheableWithValidators()
    {
        var piece = App.Source.Add(Pieces.Authentic());
        using var client = App.Client("203.0.113.4");

        var first = await client.GetAsync($"/p/{piece.Code}/qr.svg");
        var etag = first.Headers.ETag;
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, $"/p/{piece.Code}/qr.svg");
        revalidate.Headers.IfNoneMatch.Add(etag!);
        var second = await client.SendAsync(revalidate);

        first.Headers.CacheControl!.Public.Should().BeTrue();
        first.Headers.CacheControl.MaxAge.Should().Be(TimeSpan.FromDays(1));
        first.Content.Headers.ContentType!.MediaType.Should().Be("image/svg+xml");
        (await first.Content.ReadAsStringAsync()).Should().Contain("width=\"246\""); // 256 px asked, 41 modules × 6 px
        etag.Should().NotBeNull();
        second.StatusCode.Should().Be(HttpStatusCode.NotModified);
        first.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
    }

    [Theory]
    [InlineData("size=63")]
    [InlineData("size=2049")]
    [InlineData("size=big")]
    [InlineData("form=ean13")]
    public async Task Qr_InvalidParameter_Answers400ProblemDetails(string query)
    {
        var piece = App.Source.Add(Pieces.Authentic());
        using var client = App.Client("203.0.113.5");

        var response = await client.GetAsync($"/p/{piece.Code}/qr.png?{query}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadAsStringAsync()).Should().Contain("\"status\":400");
    }

    [Fact]
    public async Task Qr_UnknownPiece_Answers404ProblemDetails()
    {
        using var client = App.Client("203.0.113.6");

        var response = await client.GetAsync($"/p/{Pieces.NewCode()}/qr.svg");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }
}
