using Microsoft.AspNetCore.Antiforgery;
using Provenance.Api.Verification.Pages;

namespace Provenance.Api.Verification;

/// <summary>The claim page and the claim it relays (antiforgery, rate limits, outcome to status).</summary>
internal static partial class VerificationApi
{
    private const int MaxClaimCodeLength = 64;
    private const int MaxClaimFormBytes = 4096;

    private static async Task<HtmlPage> GetClaimPage(
        string code, HttpContext http, IAntiforgery antiforgery, [AsParameters] PageServices s, CancellationToken ct)
    {
        var lang = s.ChooseLanguage(http);
        var (view, failure) = await s.FindAsync(code, http, lang, ct);
        if (view is null)
        {
            return failure!;
        }

        var tokens = antiforgery.GetAndStoreTokens(http);
        return await s.Pages.ClaimAsync(http.Request, lang, view, new ClaimForm(tokens.FormFieldName, tokens.RequestToken), StatusCodes.Status200OK);
    }

    private static async Task<HtmlPage> PostClaim(
        string code, HttpContext http, IAntiforgery antiforgery, [AsParameters] PageServices s, CancellationToken ct)
    {
        var lang = s.ChooseLanguage(http);
        var t = lang.Text;
        var (view, failure) = await s.FindAsync(code, http, lang, ct);
        if (view is null)
        {
            return failure!;
        }

        if (http.Request.ContentLength is null or > MaxClaimFormBytes || !http.Request.HasFormContentType)
        {
            return await Claim(StatusCodes.Status400BadRequest, t.ClaimFormExpired, "InvalidForm", showForm: true);
        }

        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return await Claim(StatusCodes.Status400BadRequest, t.ClaimFormExpired, "InvalidForm", showForm: true);
        }

        var fingerprint = s.Fingerprints.Of(http);
        if (s.Limits.TryClaim(view.Code, fingerprint.Address) is { } wait)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(lang.Culture);
            return await Claim(StatusCodes.Status429TooManyRequests, t.ClaimOutcomes[ClaimOutcome.RateLimited], nameof(ClaimOutcome.RateLimited), showForm: false);
        }

        var form = await http.Request.ReadFormAsync(ct);
        var claimCode = form["claimCode"].ToString().Trim();
        if (claimCode.Length == 0)
        {
            return await Claim(StatusCodes.Status422UnprocessableEntity, t.ClaimEmpty, "Empty", showForm: true);
        }

        var result = claimCode.Length > MaxClaimCodeLength
            ? new ClaimResult(ClaimOutcome.WrongCode)
            : http.RequestServices.GetService<IClaimService>() is { } claims
                ? await claims.ClaimAsync(view.Code, claimCode, fingerprint.ClientId, ct)
                : new ClaimResult(ClaimOutcome.ChainUnavailable);
        if (result.Outcome == ClaimOutcome.Claimed)
        {
            s.Views.Invalidate(view.Code);
        }

        var (status, showForm) = result.Outcome switch
        {
            ClaimOutcome.Claimed => (StatusCodes.Status202Accepted, false),
            ClaimOutcome.AlreadyClaimed => (StatusCodes.Status409Conflict, false),
            ClaimOutcome.NotClaimable => (StatusCodes.Status409Conflict, false),
            ClaimOutcome.WrongCode => (StatusCodes.Status422UnprocessableEntity, true),
            ClaimOutcome.UnknownPiece => (StatusCodes.Status404NotFound, false),
            ClaimOutcome.RateLimited => (StatusCodes.Status429TooManyRequests, false),
            _ => (StatusCodes.Status503ServiceUnavailable, true),
        };
        if (status == StatusCodes.Status429TooManyRequests)
        {
            http.Response.Headers.RetryAfter = "600";
        }

        var message = lang.Format(t.ClaimOutcomes[result.Outcome], result.OperationId);
        var owner = result is { Outcome: ClaimOutcome.Claimed, OwnerAddress: { } address } ? new ClaimOwner(address, result.OwnerApiKey) : null;
        return await Claim(status, message, result.Outcome.ToString(), showForm, success: result.Outcome == ClaimOutcome.Claimed, owner);

        Task<HtmlPage> Claim(int statusCode, string text, string outcome, bool showForm, bool success = false, ClaimOwner? owner = null)
        {
            var tokens = showForm ? antiforgery.GetAndStoreTokens(http) : null;
            return s.Pages.ClaimAsync(http.Request, lang, view!, new ClaimForm(
                tokens?.FormFieldName ?? string.Empty, tokens?.RequestToken, text, outcome, success, showForm, owner), statusCode);
        }
    }
}
