using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Provenance.Api.Products;
using Provenance.Api.Security;
using Provenance.Api.Verification.Pages;

namespace Provenance.Api.Verification;

/// <summary>The printable label sheet, for actors who may print each piece on it.</summary>
internal static partial class VerificationApi
{
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
}
