using Provenance.Api.Products;
using Provenance.Api.Verification.Localization;
using Provenance.Api.Verification.Pages;
using Provenance.Api.Verification.Qr;
using Provenance.Api.Verification.Scans;

namespace Provenance.Api.Verification;

/// <summary>The services the page handlers share.</summary>
internal sealed record PageServices(
    PieceViews Views,
    VerificationPages Pages,
    ScanSignals Scans,
    ClientFingerprints Fingerprints,
    PublicRateLimits Limits,
    VerificationUrls Urls,
    Microsoft.Extensions.Options.IOptions<VerificationOptions> Options,
    ILogger<PageServices> Logger)
{
    /// <summary>The page language; remembers an explicit choice (<c>?lang=</c>) in a cookie.</summary>
    public Language ChooseLanguage(HttpContext http)
    {
        var lang = Language.Negotiate(http.Request);
        if (Language.FromCode(http.Request.Query["lang"]) is not null
            && http.Request.Cookies[Language.CookieName] != lang.Code)
        {
            http.Response.Cookies.Append(Language.CookieName, lang.Code, new CookieOptions
            {
                HttpOnly = true,
                IsEssential = true,
                SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax,
                Secure = http.Request.IsHttps,
                MaxAge = TimeSpan.FromDays(365),
                Path = "/",
            });
        }

        return lang;
    }

    /// <summary>The view of a code, or the page to answer instead (404 unknown, 503 unavailable).</summary>
    public async Task<(PieceVerificationView? View, HtmlPage? Failure)> FindAsync(
        string code, HttpContext http, Language lang, CancellationToken ct)
    {
        try
        {
            if (PieceCode.Normalize(code) is { } normalized && await Views.GetAsync(normalized, ct) is { } view)
            {
                return (view, null);
            }
        }
        catch (PieceSourceUnavailableException ex)
        {
            return (null, await UnavailableAsync(http, lang, ex));
        }

        return (null, await Pages.UnknownAsync(http.Request, lang, code));
    }

    /// <summary>Retry-After (seconds) of a 503 when the store cannot be read.</summary>
    public const string UnavailableRetryAfter = "30";

    /// <summary>503 with a plain page when the store cannot be read.</summary>
    public Task<HtmlPage> UnavailableAsync(HttpContext http, Language lang, PieceSourceUnavailableException ex)
    {
        Logger.LogWarning(ex, "Verification source unavailable");
        http.Response.Headers.RetryAfter = UnavailableRetryAfter;
        return Pages.MessageAsync(http.Request, lang, lang.Text.UnavailableTitle, lang.Text.UnavailableText,
            StatusCodes.Status503ServiceUnavailable);
    }
}

/// <summary>The services the QR handlers use.</summary>
internal sealed record QrServices(
    PieceViews Views, QrImages Qr, VerificationUrls Urls, Microsoft.Extensions.Options.IOptions<VerificationOptions> Options);
