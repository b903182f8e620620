using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace Provenance.Api.Verification.Localization;

/// <summary>A language the public pages are written in: its code, writing direction, culture and texts.</summary>
public sealed class Language
{
    private Language(string code, string nativeName, bool rightToLeft, string culture, PageText text)
    {
        Code = code;
        NativeName = nativeName;
        RightToLeft = rightToLeft;
        Culture = CultureInfo.GetCultureInfo(culture);
        Text = text;
    }

    /// <summary>English (the default).</summary>
    public static Language English { get; } = new("en", "English", false, "en-GB", PageTexts.English);

    /// <summary>Urdu, written right to left.</summary>
    public static Language Urdu { get; } = new("ur", "اردو", true, "ur-PK", PageTexts.Urdu);

    /// <summary>Hindi.</summary>
    public static Language Hindi { get; } = new("hi", "हिन्दी", false, "hi-IN", PageTexts.Hindi);

    /// <summary>Every language, in the order the switch shows them.</summary>
    public static IReadOnlyList<Language> All { get; } = [English, Urdu, Hindi];

    /// <summary>BCP 47 primary language subtag, used in <c>lang</c>, <c>?lang=</c> and the cookie.</summary>
    public string Code { get; }

    /// <summary>The language's name in itself.</summary>
    public string NativeName { get; }

    /// <summary>True for Urdu.</summary>
    public bool RightToLeft { get; }

    /// <summary>"rtl" or "ltr", for the <c>dir</c> attribute.</summary>
    public string Direction => RightToLeft ? "rtl" : "ltr";

    /// <summary>The culture dates are written in.</summary>
    public CultureInfo Culture { get; }

    /// <summary>Every string of the pages in this language.</summary>
    public PageText Text { get; }

    /// <summary>Formats a point in time as a date in this language ("3 March 2025").</summary>
    public string Date(DateTimeOffset time) => time.UtcDateTime.ToString("d MMMM yyyy", Culture);

    /// <summary>Formats a point in time as a date and UTC time in this language.</summary>
    public string DateTime(DateTimeOffset time) => time.UtcDateTime.ToString("d MMMM yyyy, HH:mm 'UTC'", Culture);

    /// <summary>Fills <paramref name="format"/>'s placeholders using this language's culture.</summary>
    public string Format(string format, params object?[] args) => string.Format(Culture, format, args);

    /// <summary>The language with this code, or null.</summary>
    public static Language? FromCode(string? code) =>
        All.FirstOrDefault(l => string.Equals(l.Code, code?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Chooses the language: the <c>lang</c> query parameter (the switch), then the <c>lang</c> cookie (set by the
    /// switch), then the best <c>Accept-Language</c> match, then English.
    /// </summary>
    public static Language Negotiate(HttpRequest request)
    {
        if (FromCode(request.Query["lang"]) is { } chosen)
        {
            return chosen;
        }

        if (FromCode(request.Cookies[CookieName]) is { } remembered)
        {
            return remembered;
        }

        return FromAcceptLanguage(request.Headers.AcceptLanguage.ToString());
    }

    /// <summary>The best match for an <c>Accept-Language</c> header value (RFC 9110 §12.5.4), English if none.</summary>
    public static Language FromAcceptLanguage(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)
            || !StringWithQualityHeaderValue.TryParseList([header], out var ranges))
        {
            return English;
        }

        foreach (var range in ranges.OrderByDescending(r => r.Quality ?? 1.0))
        {
            if (range.Quality is 0)
            {
                continue;
            }

            var tag = range.Value.Value ?? string.Empty;
            var primary = tag.Split('-', 2)[0];
            if (FromCode(primary) is { } match)
            {
                return match;
            }
        }

        return English;
    }

    /// <summary>The cookie that remembers the switch.</summary>
    public const string CookieName = "lang";
}
