using System.Net;
using Provenance.Api.Tests.Verification.Support;
using Provenance.Api.Verification;

namespace Provenance.Api.Tests.Verification;

/// <summary>Headers, weight, caching, compression and rate limits of the public routes.</summary>
[Collection(VerificationCollection.Name)]
public sealed class PublicRouteTests(VerificationFixture fixture)
{
    private VerificationApp App => fixture.App;

    [Fact]
    public async Task PublicRoutes_AllResponses_CarryStrictSecurityHeaders()
    {
        var piece = App.Source.Add(Pieces.Authentic());
        using var client = App.Client("192.0.2.60", apiKey: App.AdminKey); // the label sheet needs an actor who may print
        var paths = new[]
        {
            $"/p/{piece.Code}", $"/p/{Pieces.NewCode()}", $"/p/{piece.Code}/claim", $"/labels?codes={piece.Code}",
            $"/p/{piece.Code}/qr.svg", $"/p/{piece.Code}/qr.png?size=1", "/labels",
        };

        foreach (var path in paths)
        {
            var response = await client.GetAsync(path);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            csp.Should().Contain("default-src 'self'").And.Contain("script-src 'none'").And.Contain("frame-ancestors 'none'")
                .And.NotContain("unsafe-inline", path);
            response.Headers.GetValues("X-Content-Type-Options").Should().Equal(["nosniff"], path);
            response.Headers.GetValues("Referrer-Policy").Should().Equal(["no-referrer"], path);
            response.Headers.GetValues("X-Frame-Options").Should().Equal(["DENY"], path);
        }
    }

    [Fact]
    public async Task Page_RichestPieceInEveryLanguage_WeighsAtMost30KBWithoutPhotos()
    {
        var piece = App.Source.Add(Pieces.Authentic() with
        {
            Events = Enumerable.Range(0, 12).Select(i => Pieces.Authentic().Events[i % 5]).ToList(),
        });
        using var client = App.Client("192.0.2.61");

        foreach (var lang in new[] { "en", "ur", "hi" })
        {
            var html = await client.GetByteArrayAsync($"/p/{piece.Code}?lang={lang}");
            var stylesheet = System.Text.RegularExpressions.Regex.Match(System.Text.Encoding.UTF8.GetString(html), "href=\"(/assets/[^\"]+)\"").Groups[1].Value;
            var css = await client.GetByteArrayAsync(stylesheet);

            (html.Length + css.Length).Should().BeLessThanOrEqualTo(30 * 1024, lang);
        }
    }

    [Fact]
    public async Task Page_Compressed_AndRevalidatedWith304()
    {
        var piece = App.Source.Add(Pieces.Authentic());
        using var client = App.Client("192.0.2.62");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/p/{piece.Code}");
        request.Headers.AcceptEncoding.ParseAdd("br");

        var first = await client.SendAsync(request);
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/p/{piece.Code}");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var second = await client.SendAsync(again);

        first.Content.Headers.ContentEncoding.Should().Equal("br");
        first.Content.Headers.ContentLength.Should().BeLessThan(5 * 1024);
        first.Headers.CacheControl!.NoCache.Should().BeTrue("every view must reach the gateway to be counted");
        second.StatusCode.Should().Be(HttpStatusCode.NotModified);
        (await App.Scans.GetAsync(piece.Code, CancellationToken.None)).TotalScans.Should().Be(2, "a revalidated view is still a scan");
    }

    [Fact]
    public async Task Stylesheet_IsImmutableAndUnknownAssetsAre404()
    {
        var piece = App.Source.Add(Pieces.Authentic());
        using var client = App.Client("192.0.2.63");
        var html = await client.GetStringAsync($"/p/{piece.Code}");
        var href = System.Text.RegularExpressions.Regex.Match(html, "href=\"(/assets/[^\"]+)\"").Groups[1].Value;

        var css = await client.GetAsync(href);
        var other = await client.GetAsync("/assets/verification/verification.000000000000.css");

        css.Content.Headers.ContentType!.MediaType.Should().Be("text/css");
        css.Headers.CacheControl!.ToString().Should().Contain("immutable");
        other.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Pages_TooManyFromOneClient_Answer429WithRetryAfter()
    {
        var piece = App.Source.Add(Pieces.Authentic());
        using var client = App.Client("192.0.2.64");
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i <= VerificationApp.PagesPerMinute; i++)
        {
            statuses.Add((await client.GetAsync($"/p/{piece.Code}")).StatusCode);
        }

        var limited = await client.GetAsync($"/p/{piece.Code}/qr.png");
        using var neighbour = App.Client("192.0.2.65");

        statuses.Take(VerificationApp.PagesPerMinute).Should().AllBeEquivalentTo(HttpStatusCode.OK);
        statuses.Last().Should().Be(HttpStatusCode.TooManyRequests);
        limited.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter!.Delta.Should().BePositive();
        limited.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await neighbour.GetAsync($"/p/{piece.Code}")).StatusCode.Should().Be(HttpStatusCode.OK, "limits are per client");
    }

    [Fact]
    public async Task Lookup_TypedCode_RedirectsToCanonicalPage()
    {
        var piece = App.Source.Add(Pieces.Authentic());
        using var client = App.Client("192.0.2.66");
        var typed = piece.Code.ToLowerInvariant().Insert(5, " ").Insert(11, "-");

        var response = await client.GetAsync("/p?code=" + Uri.EscapeDataString(typed));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Be($"/p/{piece.Code}?lang=en");
    }
}
