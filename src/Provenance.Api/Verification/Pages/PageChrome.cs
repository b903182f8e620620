using Microsoft.AspNetCore.Http.Extensions;
using Provenance.Api.Verification.Localization;

namespace Provenance.Api.Verification.Pages;

/// <summary>What every page's frame needs: the language, the stylesheet, and the language switch's links.</summary>
/// <param name="Lang">The page's language.</param>
/// <param name="StylesheetHref">The fingerprinted stylesheet path.</param>
/// <param name="Languages">Each language with the link that shows this page in it.</param>
public sealed record PageChrome(Language Lang, string StylesheetHref, IReadOnlyList<(Language Language, string Href)> Languages)
{
    /// <summary>
    /// The frame for a page at <paramref name="path"/>: the switch links point to the same path with <c>lang</c> set,
    /// keeping the request's other query parameters only when <paramref name="keepQuery"/> (pages that are cached keep
    /// none, so a crafted query cannot vary what is cached).
    /// </summary>
    public static PageChrome For(HttpRequest request, Language lang, string stylesheetHref, string path, bool keepQuery = false)
    {
        path = request.PathBase.Add(path).ToUriComponent();
        var kept = keepQuery
            ? request.Query
                .Where(q => !string.Equals(q.Key, "lang", StringComparison.OrdinalIgnoreCase))
                .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? string.Empty)))
                .ToList()
            : [];
        var links = Language.All.Select(l =>
        {
            var query = new QueryBuilder(kept) { { "lang", l.Code } };
            return (l, path + query.ToQueryString().ToUriComponent());
        }).ToList();
        return new PageChrome(lang, stylesheetHref, links);
    }
}
