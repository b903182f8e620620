using Microsoft.AspNetCore.Http.HttpResults;
using Provenance.Api.Security;
using Provenance.Api.Verification.Localization;
using Provenance.Api.Verification.Pages;
using Provenance.Api.Verification.Qr;
using Provenance.Api.Verification.Scans;

namespace Provenance.Api.Verification;

/// <summary>
/// The public routes: verification page, QR images, claim page, label sheet, stylesheet. This file is the route table
/// and what the routes share (rate-limit filter, problem details); the handlers of each concern are in
/// <c>VerificationApi.Page.cs</c>, <c>.Qr.cs</c>, <c>.Claim.cs</c> and <c>.Labels.cs</c>, the service bundles in
/// <c>PageServices.cs</c>.
/// </summary>
internal static partial class VerificationApi
{
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
        // Its security headers come from LabelSecurityHeaders (so a 401 carries them too), its errors are problem details.
        endpoints.MapGet(LabelSecurityHeaders.Path, GetLabels)
            .AddEndpointFilter(PageRateLimit(html: false))
            .RequireAuthorization(Roles.Policies.Actor)
            .DisableValidation()
            .WithTags("Verification")
            .WithSummary("Printable label sheet of pieces the caller registered, made or holds (an admin: any piece)")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

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

    /// <summary>503 when the pieces cannot be read, with the retry delay the HTML pages give (<see cref="PageServices.UnavailableAsync"/>).</summary>
    private static ProblemHttpResult Unavailable(HttpContext http, string title, string detail)
    {
        http.Response.Headers.RetryAfter = PageServices.UnavailableRetryAfter;
        return Problem(StatusCodes.Status503ServiceUnavailable, title, detail);
    }
}
