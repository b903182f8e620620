using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using System.Security.Claims;
using Provenance.Api.Products;
using Provenance.Api.Security;
using Provenance.Api.Verification.Localization;
using Provenance.Api.Verification.Pages;
using Provenance.Api.Verification.Qr;
using Provenance.Api.Verification.Scans;

namespace Provenance.Api.Verification;

/// <summary>The public routes: verification page, QR images, claim page, label sheet, stylesheet.</summary>
internal static class VerificationApi
{
    private const int MaxClaimCodeLength = 64;
    private const int MaxClaimFormBytes = 4096;

    public static IEndpointRouteBuilder MapVerificationRoutes(this IEndpointRouteBuilder endpoints)
    {
        var pages = endpoints.MapGroup(string.Empty)
            .AddEndpointFilter(SecurityHeaders.Filter)
            .AllowAnonymous() // public by design: a buyer has no account
            .DisableValidation() // nothing to validate (route strings and services), so no validation filter per request
            .WithTags("Verification");

        var html = pages.MapGroup(string.Empty).AddEndpointFilter(PageRateLimit(html: true)).ExcludeFromDescription();
        html.MapGet("/p/{code}", GetPage);
        html.MapGet("/p", Lookup);
        html.MapGet("/01/{gtin}/21/{serial}", GetDigitalLinkPage);
        html.MapGet("/p/{code}/claim", GetClaimPage);
        pages.MapPost("/p/{code}/claim", PostClaim).DisableAntiforgery().ExcludeFromDescription(); // validated in the handler

        var images = pages.MapGroup("/p/{code}").AddEndpointFilter(PageRateLimit(html: false));
        images.MapGet("/qr.svg", (string code, string? size, string? form, HttpContext http, [AsParameters] QrServices s, CancellationToken ct)
            => GetQr(code, QrFormat.Svg, size, form, http, s, ct)).WithSummary("QR code (SVG) of a piece's verification URL");
        images.MapGet("/qr.png", (string code, string? size, string? form, HttpContext http, [AsParameters] QrServices s, CancellationToken ct)
            => GetQr(code, QrFormat.Png, size, form, http, s, ct)).WithSummary("QR code (PNG) of a piece's verification URL");

        pages.MapGet(StaticAssets.PathPrefix + "/{file}", GetAsset).ExcludeFromDescription();

        // Label sheets are printed by the people who made or hold the pieces, not by the public: outside the
        // anonymous group (AllowAnonymous would win over any requirement), for actors who may print each piece.
        endpoints.MapGet("/labels", GetLabels)
            .AddEndpointFilter(SecurityHeaders.Filter)
            .AddEndpointFilter(PageRateLimit(html: false))
            .RequireAuthorization(Roles.Policies.Actor)
            .DisableValidation()
            .WithTags("Verification")
            .WithSummary("Printable label sheet of pieces the caller registered, made or holds (an admin: any piece)")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return endpoints;
    }

    // ---- verification page ------------------------------------------------------------------------------------

    private static async Task<HtmlPage> GetPage(string code, HttpContext http, [AsParameters] PageServices s, CancellationToken ct)
    {
        var lang = s.ChooseLanguage(http);
        if (PieceCode.Normalize(code) is not { } normalized)
        {
            return await s.Pages.UnknownAsync(http.Request, lang, code);
        }

        PieceVerificationView? view;
        try
        {
            view = await s.Views.GetAsync(normalized, ct);
        }
        catch (PieceSourceUnavailableException ex)
        {
            return await s.UnavailableAsync(http, lang, ex);
        }

        if (view is null)
        {
            return await s.Pages.UnknownAsync(http.Request, lang, code);
        }

        var mark = s.Scans.Record(view, s.Fingerprints.Of(http));
        var state = VerificationStates.Of(view, mark is not null);
        return await s.Pages.PieceAsync(http.Request, lang, view, state, mark is not null);
    }

    private static Task<HtmlPage> GetDigitalLinkPage(
        string gtin, string serial, HttpContext http, [AsParameters] PageServices s, CancellationToken ct) =>
        s.Urls.DigitalLinkEnabled && gtin == s.Urls.Gtin
            ? GetPage(serial, http, s, ct)
            : s.Pages.UnknownAsync(http.Request, s.ChooseLanguage(http), serial);

    private static async Task<Results<RedirectHttpResult, HtmlPage>> Lookup(
        string? code, HttpContext http, [AsParameters] PageServices s)
    {
        var lang = s.ChooseLanguage(http);
        return PieceCode.Normalize(code) is { } normalized
            ? TypedResults.Redirect($"{VerificationUrls.PagePath(normalized)}?lang={lang.Code}")
            : await s.Pages.UnknownAsync(http.Request, lang, code);
    }

    // ---- QR images --------------------------------------------------------------------------------------------

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetQr(
        string code, QrFormat format, string? size, string? form, HttpContext http, QrServices s, CancellationToken ct)
    {
        var limits = s.Options.Value.Qr;
        var pixels = limits.DefaultSize;
        if (size is not null && (!int.TryParse(size, out pixels) || pixels < limits.MinSize || pixels > limits.MaxSize))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid QR size",
                $"size must be a whole number of pixels from {limits.MinSize} to {limits.MaxSize}.");
        }

        var digitalLink = form?.ToLowerInvariant() switch
        {
            null or "" or "url" => false,
            "gs1" => true,
            _ => (bool?)null,
        };
        if (digitalLink is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid QR form", "form must be \"url\" or \"gs1\".");
        }

        if (digitalLink == true && !s.Urls.DigitalLinkEnabled)
        {
            return Problem(StatusCodes.Status400BadRequest, "GS1 Digital Link not configured",
                "This gateway has no GTIN configured (Verification:Gs1Gtin), so it offers no GS1 Digital Link form.");
        }

        PieceVerificationView? view;
        try
        {
            view = PieceCode.Normalize(code) is { } normalized ? await s.Views.GetAsync(normalized, ct) : null;
        }
        catch (PieceSourceUnavailableException)
        {
            http.Response.Headers.RetryAfter = "30";
            return Problem(StatusCodes.Status503ServiceUnavailable, "Verification unavailable", "Pieces cannot be read right now.");
        }

        if (view is null)
        {
            return Problem(StatusCodes.Status404NotFound, "Unknown piece", "No piece is registered with this code.");
        }

        var url = digitalLink == true ? s.Urls.DigitalLinkUrl(view.Code) : s.Urls.PageUrl(view.Code);
        var image = s.Qr.Render(url, format, pixels);
        http.Response.Headers.CacheControl = "public, max-age=86400";
        return TypedResults.File(image.Content, image.ContentType, entityTag: EntityTagHeaderValue.Parse(image.ETag));
    }

    // ---- claim ------------------------------------------------------------------------------------------------

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

    // ---- labels -----------------------------------------------------------------------------------------------

    private static async Task<Results<HtmlPage, ProblemHttpResult>> GetLabels(
        HttpContext http, [AsParameters] PageServices s, CancellationToken ct)
    {
        var lang = s.ChooseLanguage(http);
        var t = lang.Text;
        var requested = http.Request.Query["codes"]
            .SelectMany(v => (v ?? string.Empty).Split([',', ' ', '\n', '\r', ';'], StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var max = s.Options.Value.MaxLabelsPerSheet;
        if (requested.Count == 0 || requested.Count > max)
        {
            return await s.Pages.MessageAsync(http.Request, lang, t.LabelsTitle,
                requested.Count == 0 ? t.LabelsNone : lang.Format(t.LabelsTooMany, max), StatusCodes.Status400BadRequest);
        }

        var pieces = new List<PieceVerificationView>();
        var missing = new List<string>();
        try
        {
            foreach (var asTyped in requested)
            {
                var view = PieceCode.Normalize(asTyped) is { } code ? await s.Views.GetAsync(code, ct) : null;
                if (view is null)
                {
                    missing.Add(asTyped.Length > 40 ? asTyped[..40] + "…" : asTyped);
                }
                else if (pieces.All(p => p.Code != view.Code))
                {
                    pieces.Add(view);
                }
            }
        }
        catch (PieceSourceUnavailableException ex)
        {
            return await s.UnavailableAsync(http, lang, ex);
        }

        var refused = pieces.Where(p => !MayPrintLabels(http.User, p)).Select(p => p.Code).ToList();
        if (refused.Count > 0)
        {
            return Problem(StatusCodes.Status403Forbidden, "Not your pieces",
                "Labels are printed only by the artisan or cooperative who registered a piece, its makers, its current " +
                $"custodian or an admin. Not yours to print: {string.Join(", ", refused.Take(10))}{(refused.Count > 10 ? " …" : "")}.");
        }

        return await s.Pages.LabelsAsync(http.Request, lang, pieces, missing);
    }

    /// <summary>An admin may print any piece; another actor the pieces it registered, made or holds.</summary>
    private static bool MayPrintLabels(ClaimsPrincipal user, PieceVerificationView piece) =>
        user.IsInRole(Roles.Admin) || piece.LabelPrinters.Contains(user.ActorId(), StringComparer.Ordinal);

    // ---- stylesheet -------------------------------------------------------------------------------------------

    private static Results<FileContentHttpResult, NotFound> GetAsset(string file, HttpContext http, StaticAssets assets)
    {
        if (file != assets.StylesheetFile)
        {
            return TypedResults.NotFound();
        }

        var accept = http.Request.Headers.AcceptEncoding.ToString();
        var (body, encoding) = accept.Contains("br", StringComparison.OrdinalIgnoreCase)
            ? (assets.StylesheetBrotli, "br")
            : accept.Contains("gzip", StringComparison.OrdinalIgnoreCase) ? (assets.StylesheetGzip, "gzip") : (assets.Stylesheet, null);
        if (encoding is not null)
        {
            http.Response.Headers.ContentEncoding = encoding;
        }

        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        http.Response.Headers.Vary = "Accept-Encoding";
        return TypedResults.File(body, "text/css; charset=utf-8");
    }

    // ---- shared -----------------------------------------------------------------------------------------------

    private static Func<EndpointFilterInvocationContext, EndpointFilterDelegate, ValueTask<object?>> PageRateLimit(bool html) =>
        async (context, next) =>
        {
            var http = context.HttpContext;
            var services = http.RequestServices;
            var address = services.GetRequiredService<ClientFingerprints>().Of(http).Address;
            if (services.GetRequiredService<PublicRateLimits>().TryPage(address) is not { } wait)
            {
                return await next(context);
            }

            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!html)
            {
                return Problem(StatusCodes.Status429TooManyRequests, "Too many requests", $"Try again in {seconds} seconds.");
            }

            var lang = Language.Negotiate(http.Request);
            return await services.GetRequiredService<VerificationPages>().MessageAsync(
                http.Request, lang, lang.Text.TooManyTitle, lang.Format(lang.Text.TooManyText, seconds), StatusCodes.Status429TooManyRequests);
        };

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}

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

    /// <summary>503 with a plain page when the store cannot be read.</summary>
    public Task<HtmlPage> UnavailableAsync(HttpContext http, Language lang, PieceSourceUnavailableException ex)
    {
        Logger.LogWarning(ex, "Verification source unavailable");
        http.Response.Headers.RetryAfter = "30";
        return Pages.MessageAsync(http.Request, lang, lang.Text.UnavailableTitle, lang.Text.UnavailableText,
            StatusCodes.Status503ServiceUnavailable);
    }
}

/// <summary>The services the QR handlers use.</summary>
internal sealed record QrServices(
    PieceViews Views, QrImages Qr, VerificationUrls Urls, Microsoft.Extensions.Options.IOptions<VerificationOptions> Options);
