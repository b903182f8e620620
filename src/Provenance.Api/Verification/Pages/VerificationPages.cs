using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Provenance.Api.Verification.Localization;

namespace Provenance.Api.Verification.Pages;

/// <summary>
/// Renders the feature's pages. A piece's page is cached per language and state for as long as its view is (the
/// page holds nothing personal to the visitor), so a popular tag is rendered once, not on every scan.
/// </summary>
public sealed class VerificationPages(
    PageRenderer renderer, StaticAssets assets, VerificationCache cache, IOptions<VerificationOptions> options)
{
    private readonly TimeSpan _duration = options.Value.ViewCacheDuration;
    private readonly Lock _slots = new();

    /// <summary>The frame of a page at <paramref name="path"/>.</summary>
    public PageChrome Chrome(HttpRequest request, Language lang, string path, bool keepQuery = false) =>
        PageChrome.For(request, lang, assets.StylesheetHref, path, keepQuery);

    /// <summary>The verification page of a known piece.</summary>
    public async Task<HtmlPage> PieceAsync(
        HttpRequest request, Language lang, PieceVerificationView view, VerificationState state, bool suspected)
    {
        if (_duration <= TimeSpan.Zero)
        {
            return new HtmlPage(await renderer.RenderAsync<VerificationPage>(PieceParameters(request, lang, view, state, suspected)));
        }

        var key = ("page", view.Code, lang.Code, state, suspected);
        if (!cache.Cache.TryGetValue(key, out PageSlot? slot))
        {
            // A missing slot is added under a lock: two first requests must not each add one (and render twice).
            lock (_slots)
            {
                if (!cache.Cache.TryGetValue(key, out slot))
                {
                    slot = cache.Cache.Set(key, new PageSlot(), new MemoryCacheEntryOptions
                    {
                        AbsoluteExpirationRelativeToNow = _duration,
                        Size = 1,
                    });
                }
            }
        }

        // One render per view: requests that arrive while it runs wait for it (off the lock, on the thread pool).
        var page = slot!.PageOf(view, () =>
        {
            var parameters = PieceParameters(request, lang, view, state, suspected);
            return Task.Run(() => renderer.RenderAsync<VerificationPage>(parameters));
        });
        return new HtmlPage(await page);
    }

    private Dictionary<string, object?> PieceParameters(
        HttpRequest request, Language lang, PieceVerificationView view, VerificationState state, bool suspected) =>
        new()
        {
            [nameof(VerificationPage.Chrome)] = Chrome(request, lang, VerificationUrls.PagePath(view.Code)),
            [nameof(VerificationPage.View)] = view,
            [nameof(VerificationPage.State)] = state,
            [nameof(VerificationPage.Suspected)] = suspected,
            [nameof(VerificationPage.ClaimHref)] = VerificationUrls.ClaimPath(view.Code) + "?lang=" + lang.Code,
        };

    /// <summary>404 for a code no piece has, with a form to type it again.</summary>
    public async Task<HtmlPage> UnknownAsync(HttpRequest request, Language lang, string? asTyped)
    {
        var shown = asTyped is { Length: > 40 } ? asTyped[..40] + "…" : asTyped ?? string.Empty;
        var page = await renderer.RenderAsync<UnknownCodePage>(new Dictionary<string, object?>
        {
            [nameof(UnknownCodePage.Chrome)] = Chrome(request, lang, request.Path, keepQuery: true),
            [nameof(UnknownCodePage.AsTyped)] = shown,
        });
        return new HtmlPage(page, StatusCodes.Status404NotFound);
    }

    /// <summary>A short message page (503, 429, 400).</summary>
    public async Task<HtmlPage> MessageAsync(
        HttpRequest request, Language lang, string title, string text, int statusCode, string? backHref = null)
    {
        var page = await renderer.RenderAsync<MessagePage>(new Dictionary<string, object?>
        {
            [nameof(MessagePage.Chrome)] = Chrome(request, lang, request.Path, keepQuery: true),
            [nameof(MessagePage.Title)] = title,
            [nameof(MessagePage.Text)] = text,
            [nameof(MessagePage.BackHref)] = backHref,
        });
        return new HtmlPage(page, statusCode, "no-store");
    }

    /// <summary>The claim page, optionally with the message of an attempt.</summary>
    public async Task<HtmlPage> ClaimAsync(HttpRequest request, Language lang, PieceVerificationView view, ClaimForm form, int statusCode)
    {
        var page = await renderer.RenderAsync<ClaimPage>(new Dictionary<string, object?>
        {
            [nameof(ClaimPage.Chrome)] = Chrome(request, lang, VerificationUrls.ClaimPath(view.Code)),
            [nameof(ClaimPage.View)] = view,
            [nameof(ClaimPage.Action)] = VerificationUrls.ClaimPath(view.Code) + "?lang=" + lang.Code,
            [nameof(ClaimPage.PageHref)] = VerificationUrls.PagePath(view.Code) + "?lang=" + lang.Code,
            [nameof(ClaimPage.AntiforgeryField)] = form.TokenField,
            [nameof(ClaimPage.AntiforgeryToken)] = form.Token,
            [nameof(ClaimPage.Message)] = form.Message,
            [nameof(ClaimPage.Outcome)] = form.Outcome,
            [nameof(ClaimPage.Success)] = form.Success,
            [nameof(ClaimPage.ShowForm)] = form.ShowForm,
            [nameof(ClaimPage.Owner)] = form.Owner,
        });
        return new HtmlPage(page, statusCode, "no-store");
    }

    /// <summary>The printable label sheet.</summary>
    public async Task<HtmlPage> LabelsAsync(
        HttpRequest request, Language lang, IReadOnlyList<PieceVerificationView> pieces)
    {
        var page = await renderer.RenderAsync<LabelSheet>(new Dictionary<string, object?>
        {
            [nameof(LabelSheet.Chrome)] = Chrome(request, lang, request.Path, keepQuery: true),
            [nameof(LabelSheet.Pieces)] = pieces,
        });
        return new HtmlPage(page, StatusCodes.Status200OK, "no-store");
    }

    /// <summary>The rendered page of one piece, language and state, for the view it was rendered from.</summary>
    private sealed class PageSlot
    {
        private readonly Lock _gate = new();
        private Rendering? _current;

        /// <summary>The page of <paramref name="view"/>: the one rendered or rendering, else a new render.</summary>
        public Task<RenderedPage> PageOf(PieceVerificationView view, Func<Task<RenderedPage>> render)
        {
            // Every view of a popular piece passes here: the rendered page is read without the lock.
            if (Volatile.Read(ref _current) is { Page.IsCompletedSuccessfully: true } done && ReferenceEquals(done.View, view))
            {
                return done.Page;
            }

            lock (_gate)
            {
                if (_current is not { } current || !ReferenceEquals(current.View, view) || current.Page.IsFaulted || current.Page.IsCanceled)
                {
                    current = new Rendering(view, render());
                    Volatile.Write(ref _current, current);
                }

                return current.Page;
            }
        }

        private sealed record Rendering(PieceVerificationView View, Task<RenderedPage> Page);
    }
}

/// <summary>What the claim form shows: the antiforgery token and the message of the last attempt.</summary>
public sealed record ClaimForm(
    string TokenField, string? Token, string? Message = null, string? Outcome = null, bool Success = false, bool ShowForm = true,
    ClaimOwner? Owner = null);

/// <summary>The owner a claim created: the account, and its API key when the gateway holds it (shown once).</summary>
public sealed record ClaimOwner(string Address, string? ApiKey);
