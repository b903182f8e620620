using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Provenance.Api.Products;
using Provenance.Api.Security;
using Provenance.Api.Verification.Pages;

namespace Provenance.Api.Verification;

/// <summary>
/// The printable label sheet, for actors who may print each piece on it. A sheet is printed whole or not at all: every
/// error is an RFC 9457 problem (400 no codes, too many or not piece codes; 404 codes of no piece; 403 pieces not the
/// caller's; 503 store unreadable; 401 and 429 from the pipeline), never a page, and every response carries the
/// security headers (<see cref="LabelSecurityHeaders"/>).
/// </summary>
internal static partial class VerificationApi
{
    private static async Task<Results<HtmlPage, ProblemHttpResult>> GetLabels(
        HttpContext http, [AsParameters] PageServices s, CancellationToken ct)
    {
        var requested = http.Request.Query["codes"]
            .SelectMany(v => (v ?? string.Empty).Split([',', ' ', '\n', '\r', ';'], StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var max = s.Options.Value.MaxLabelsPerSheet;
        if (requested.Count == 0)
        {
            return Problem(StatusCodes.Status400BadRequest, "No codes",
                "Give the codes of the pieces to print, for example /labels?codes=CODE1,CODE2.");
        }

        if (requested.Count > max)
        {
            return Problem(StatusCodes.Status400BadRequest, "Too many codes", $"At most {max} pieces per sheet; {requested.Count} were given.");
        }

        var malformed = requested.Where(c => PieceCode.Normalize(c) is null).ToList();
        if (malformed.Count > 0)
        {
            return Problem(StatusCodes.Status400BadRequest, "Not piece codes",
                $"Not piece codes (wrong length, characters or check character): {Named(malformed)}.");
        }

        var pieces = new List<PieceVerificationView>();
        var unknown = new List<string>();
        try
        {
            foreach (var code in requested.Select(c => PieceCode.Normalize(c)!).Distinct(StringComparer.Ordinal))
            {
                if (await s.Views.GetAsync(code, ct) is { } view)
                {
                    pieces.Add(view);
                }
                else
                {
                    unknown.Add(code);
                }
            }
        }
        catch (PieceSourceUnavailableException ex)
        {
            s.Logger.LogWarning(ex, "Verification source unavailable");
            return Unavailable(http, "Store unavailable", "The pieces cannot be read right now; retry later.");
        }

        if (unknown.Count > 0)
        {
            return Problem(StatusCodes.Status404NotFound, "Unknown pieces", $"No piece has these codes: {Named(unknown)}.");
        }

        var refused = pieces.Where(p => !MayPrintLabels(http.User, p)).Select(p => p.Code).ToList();
        if (refused.Count > 0)
        {
            return Problem(StatusCodes.Status403Forbidden, "Not your pieces",
                "Labels are printed only by the artisan or cooperative who registered a piece, its makers, its current " +
                $"custodian or an admin. Not yours to print: {Named(refused)}.");
        }

        return await s.Pages.LabelsAsync(http.Request, s.ChooseLanguage(http), pieces);
    }

    /// <summary>An admin may print any piece; another actor the pieces it registered, made or holds.</summary>
    private static bool MayPrintLabels(ClaimsPrincipal user, PieceVerificationView piece) =>
        user.IsInRole(Roles.Admin) || piece.LabelPrinters.Contains(user.ActorId(), StringComparer.Ordinal);

    /// <summary>At most ten codes as typed (each cut to 40 characters), then "…".</summary>
    private static string Named(IReadOnlyList<string> codes) =>
        string.Join(", ", codes.Take(10).Select(c => c.Length > 40 ? c[..40] + "…" : c)) + (codes.Count > 10 ? " …" : "");
}

/// <summary>
/// Puts the pages' security headers on every <c>/labels</c> response, including those answered before the endpoint
/// runs (401 from authentication, the global 429, 405, a 500 from the exception handler, which clears headers set
/// earlier): a middleware at the head of the pipeline registers a callback that sets them as the response starts.
/// </summary>
internal sealed class LabelSecurityHeaders : IStartupFilter
{
    /// <summary>The label sheet's path.</summary>
    public const string Path = "/labels";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) =>
        app =>
        {
            app.Use((http, nextMiddleware) =>
            {
                if (http.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase))
                {
                    http.Response.OnStarting(static state =>
                    {
                        SecurityHeaders.Apply((HttpResponse)state);
                        return Task.CompletedTask;
                    }, http.Response);
                }

                return nextMiddleware(http);
            });
            next(app);
        };
}
