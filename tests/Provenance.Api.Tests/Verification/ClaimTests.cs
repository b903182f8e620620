using System.Net;
using System.Text.RegularExpressions;
using Provenance.Api.Tests.Verification.Support;
using Provenance.Api.Verification;

namespace Provenance.Api.Tests.Verification;

/// <summary>The claim page: success, second claim, wrong code, another piece's code, rate limits, antiforgery.</summary>
[Collection(VerificationCollection.Name)]
public sealed partial class ClaimTests(VerificationFixture fixture)
{
    private VerificationApp App => fixture.App;

    [Fact]
    public async Task Claim_RightCode_Answers202AndThePageShowsTheOwner()
    {
        var piece = NewClaimable("7KQ4-M2ZP-9WXT");
        using var client = App.Client("10.1.0.1", cookies: true);

        var response = await PostClaimAsync(client, piece.Code, "7kq4-m2zp-9wxt");

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("data-outcome=\"Claimed\"").And.Contain("Your claim was received and is being recorded on the chain (operation op-");
        html.Should().NotContain("<form method=\"post\"", "a finished claim offers no form");
        html.Should().Contain("0x70997970C51812dc3A010C7d01b50e0d17dc79C8").And.Contain("pk_owner1234_secretpart")
            .And.Contain("it is shown only once");
        response.Headers.CacheControl!.NoStore.Should().BeTrue("the owner key must not be cached anywhere");
        App.Claims.Calls.Should().Contain(c => c.Code == piece.Code && !c.ClientId.Contains("10.1.0.1"));
        var page = await client.GetStringAsync($"/p/{piece.Code}");
        page.Should().Contain("data-state=\"claimed\"");
    }

    [Fact]
    public async Task Claim_SecondClaim_Answers409AlreadyClaimed()
    {
        var piece = NewClaimable("FIRSTCODE1");
        using var first = App.Client("10.1.0.2", cookies: true);
        using var second = App.Client("10.1.0.3", cookies: true);
        (await PostClaimAsync(first, piece.Code, "FIRSTCODE1")).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var response = await PostClaimAsync(second, piece.Code, "FIRSTCODE1");

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await response.Content.ReadAsStringAsync()).Should().Contain("This piece already has an owner.");
    }

    [Fact]
    public async Task Claim_WrongCode_Answers422AndOffersTheFormAgain()
    {
        var piece = NewClaimable("RIGHTCODE9");
        using var client = App.Client("10.1.0.4", cookies: true);

        var response = await PostClaimAsync(client, piece.Code, "WRONGCODE9");

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("This claim code does not match this piece.").And.Contain("name=\"claimCode\"");
        App.Source.Get(piece.Code).Status.Should().Be(PieceStatus.Sold);
    }

    [Fact]
    public async Task Claim_AnotherPiecesCode_Answers422AndClaimsNothing()
    {
        var mine = NewClaimable("MINE000001");
        var other = NewClaimable("OTHER00002");
        using var client = App.Client("10.1.0.5", cookies: true);

        var response = await PostClaimAsync(client, mine.Code, "OTHER00002");

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        App.Source.Get(mine.Code).Status.Should().Be(PieceStatus.Sold);
        App.Source.Get(other.Code).Status.Should().Be(PieceStatus.Sold);
    }

    [Fact]
    public async Task Claim_FlaggedPiece_Answers409NotClaimable()
    {
        var piece = App.Source.Add(Pieces.Flagged());
        App.Claims.SetClaimCode(piece.Code, "FLAGGED001");
        using var client = App.Client("10.1.0.6", cookies: true);

        var response = await PostClaimAsync(client, piece.Code, "FLAGGED001");

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await response.Content.ReadAsStringAsync()).Should().Contain("flagged or revoked and cannot be claimed");
    }

    [Fact]
    public async Task Claim_ManyAttemptsOnOnePiece_Answers429WithRetryAfter()
    {
        var piece = NewClaimable("TARGET0001");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= VerificationApp.ClaimsPerPiece; i++)
        {
            using var client = App.Client($"10.2.{i}.1", cookies: true); // a different client each time
            var response = await PostClaimAsync(client, piece.Code, $"GUESS{i:00000}");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                response.Headers.RetryAfter!.Delta.Should().BePositive();
                (await response.Content.ReadAsStringAsync()).Should().Contain("Too many attempts.");
            }
        }

        statuses.Take(VerificationApp.ClaimsPerPiece).Should().AllBeEquivalentTo(HttpStatusCode.UnprocessableEntity);
        statuses.Last().Should().Be(HttpStatusCode.TooManyRequests, "the piece allows only so many attempts per window");
        using var owner = App.Client("10.3.0.1", cookies: true);
        (await PostClaimAsync(owner, piece.Code, "TARGET0001")).StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "even the right code waits");
        App.Source.Get(piece.Code).Status.Should().Be(PieceStatus.Sold);
    }

    [Fact]
    public async Task Claim_ManyAttemptsFromOneClient_Answers429()
    {
        using var client = App.Client("10.4.0.1", cookies: true);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= VerificationApp.ClaimsPerClient; i++)
        {
            var piece = NewClaimable($"CODE{i:000000}");
            statuses.Add((await PostClaimAsync(client, piece.Code, "NOTTHECODE")).StatusCode);
        }

        statuses.Take(VerificationApp.ClaimsPerClient).Should().AllBeEquivalentTo(HttpStatusCode.UnprocessableEntity);
        statuses.Last().Should().Be(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Claim_WithoutAntiforgeryToken_Answers400AndCallsNothing()
    {
        var piece = NewClaimable("NOTOKEN001");
        using var client = App.Client("10.5.0.1", cookies: true);
        var callsBefore = App.Claims.Calls.Count(c => c.Code == piece.Code);

        var response = await client.PostAsync($"/p/{piece.Code}/claim",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["claimCode"] = "NOTOKEN001" }));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("The form expired.");
        App.Claims.Calls.Count(c => c.Code == piece.Code).Should().Be(callsBefore);
        App.Source.Get(piece.Code).Status.Should().Be(PieceStatus.Sold);
    }

    [Fact]
    public async Task Claim_EmptyCode_Answers422()
    {
        var piece = NewClaimable("SOMECODE01");
        using var client = App.Client("10.5.0.2", cookies: true);

        var response = await PostClaimAsync(client, piece.Code, "   ");

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Type the claim code from under the scratch panel.");
    }

    [Fact]
    public async Task ClaimPage_InBrowser_ClaimsAndShowsOwnership()
    {
        var piece = NewClaimable("BROWSER001");
        await using var page = await fixture.Browser.NewPageAsync(App.BaseAddress, "10.6.0.1");
        await page.GotoAsync($"/p/{piece.Code}");

        await page.Page.ClickAsync("a.button");
        await page.Page.FillAsync("#claimCode", "WRONG00000");
        await page.Page.ClickAsync("form button");
        (await page.Page.Locator("[data-outcome]").InnerTextAsync()).Should().Be("This claim code does not match this piece. Check it and try again.");
        await page.Page.FillAsync("#claimCode", "browser001");
        await page.Page.ClickAsync("form button");

        (await page.Page.Locator("[data-outcome]").GetAttributeAsync("data-outcome")).Should().Be("Claimed");
        await page.Page.ScreenshotAsync(new() { Path = BrowserSession.ScreenshotPath("claim-success-en"), FullPage = true });
        await page.Page.ClickAsync("text=Back to the piece");
        (await page.Page.Locator("section.verdict h1").InnerTextAsync()).Should().Be("Authentic · owned");
        page.Dialogs.Should().BeEmpty();
        (await page.CspViolationsAsync()).Should().BeEmpty();
    }

    private PieceVerificationView NewClaimable(string claimCode)
    {
        var piece = App.Source.Add(Pieces.Authentic() with { Status = PieceStatus.Sold });
        App.Claims.SetClaimCode(piece.Code, claimCode.Replace("-", string.Empty));
        return piece;
    }

    private static async Task<HttpResponseMessage> PostClaimAsync(HttpClient client, string code, string claimCode)
    {
        var form = await client.GetStringAsync($"/p/{code}/claim");
        var token = TokenField().Match(form);
        token.Success.Should().BeTrue("the claim page carries an antiforgery token");
        return await client.PostAsync($"/p/{code}/claim", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value),
            ["claimCode"] = claimCode,
        }));
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex TokenField();
}
