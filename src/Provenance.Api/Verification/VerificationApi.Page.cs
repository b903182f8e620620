using Microsoft.AspNetCore.Http.HttpResults;
using Provenance.Api.Products;
using Provenance.Api.Verification.Pages;

namespace Provenance.Api.Verification;

/// <summary>The verification page, its GS1 Digital Link form and the look-up form's target.</summary>
internal static partial class VerificationApi
{
    private static async Task<HtmlPage> GetPage(string code, HttpContext http, [AsParameters] PageServices s, CancellationToken ct)
    {
        var lang = s.ChooseLanguage(http);
        var (view, failure) = await s.FindAsync(code, http, lang, ct);
        if (view is null)
        {
            return failure!;
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
}
