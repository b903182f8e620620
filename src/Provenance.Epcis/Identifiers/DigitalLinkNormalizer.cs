using System.Text;
using System.Text.RegularExpressions;

namespace Provenance.Epcis.Identifiers;

/// <summary>
/// Converts any URI that carries a GS1 key — an EPC URI (GS1 Tag Data Standard 2.x: <c>urn:epc:id:sgtin:…</c> and
/// the other schemes), an EPC class URI (<c>urn:epc:class:lgtin:…</c>), an EPC ID pattern URI
/// (<c>urn:epc:idpat:sgtin:….*</c>) or a GS1 Digital Link URI on any host — into the constrained canonical
/// GS1 Digital Link URI on <c>https://id.gs1.org</c> used by the CBV 2.0 event hash ID (§8.9.3): only the finest
/// identification level, no CPV, no query string. URIs that carry no GS1 key (our own piece URIs, <c>geo:</c>,
/// <c>did:</c>, …) give <c>null</c>.
/// </summary>
public static partial class DigitalLinkNormalizer
{
    private const string CanonicalHost = "https://id.gs1.org";

    // One character of an EPC URI serial / asset reference: the GS1 AI encodable set 82, percent-escaped where the
    // EPC URI grammar requires it (GS1 TDS §6.3).
    private const string X = @"(?:%2[125-9A-Fa-f]|%3[0-9A-Fa-f]|%4[1-9A-Fa-f]|%5[0-9AaFf]|%6[1-9A-Fa-f]|%7[0-9Aa]|[!')(*+,.0-9:;=A-Za-z_-])";

    // One character of a component/part reference (CPI, GS1 AI encodable set 39).
    private const string C = @"(?:%2[3dfDF]|%3[0-9]|%4[1-9A-Fa-f]|%5[0-9Aa]|[0-9A-Z-])";

    // A character a canonical Digital Link value may hold (what the reference implementation accepts).
    private const string V = @"[\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]";

    private static readonly (string Prefix, Regex Pattern, Func<Match, string?> Convert)[] EpcSchemeTable =
    [
        Scheme("urn:epc:id:sgtin:", $@"(?<gcp>\d{{6,12}})\.(?<ref>\d{{1,7}})\.(?<ser>{X}{{1,20}})",
            m => Gtin(m, 13) is { } gtin ? $"/01/{gtin}/21/{Encode(m.Groups["ser"].Value)}" : null),
        Scheme("urn:epc:id:sscc:", @"(?<gcp>\d{6,12})\.(?<ref>\d{5,11})",
            m => Key(m, 17, extensionDigitFirst: true) is { } sscc ? $"/00/{sscc}" : null),
        Scheme("urn:epc:id:sgln:", $@"(?<gcp>\d{{6,12}})\.(?<ref>\d{{0,6}})\.(?<ext>{X}{{1,20}})",
            m => Key(m, 12) is { } gln
                ? m.Groups["ext"].Value == "0" ? $"/414/{gln}" : $"/414/{gln}/254/{Encode(m.Groups["ext"].Value)}"
                : null),
        Scheme("urn:epc:id:grai:", $@"(?<gcp>\d{{6,12}})\.(?<ref>\d{{0,6}})\.(?<ser>{X}{{1,16}})",
            m => Key(m, 12, prefix: "0") is { } grai ? $"/8003/{grai}{Encode(m.Groups["ser"].Value)}" : null),
        Scheme("urn:epc:id:giai:", $@"(?<gcp>\d{{6,12}})\.(?<ref>{X}{{1,24}})",
            m => m.Groups["gcp"].Length + m.Groups["ref"].Length <= 30
                ? $"/8004/{m.Groups["gcp"].Value}{Encode(m.Groups["ref"].Value)}"
                : null),
        Scheme("urn:epc:id:gsrn:", @"(?<gcp>\d{6,12})\.(?<ref>\d{5,11})",
            m => Key(m, 17) is { } gsrn ? $"/8018/{gsrn}" : null),
        Scheme("urn:epc:id:gsrnp:", @"(?<gcp>\d{6,12})\.(?<ref>\d{5,11})",
            m => Key(m, 17) is { } gsrnp ? $"/8017/{gsrnp}" : null),
        Scheme("urn:epc:id:gdti:", $@"(?<gcp>\d{{6,12}})\.(?<ref>\d{{0,6}})\.(?<ser>{X}{{0,17}})",
            m => Key(m, 12) is { } gdti ? $"/253/{gdti}{Encode(m.Groups["ser"].Value)}" : null),
        Scheme("urn:epc:id:cpi:", $@"(?<gcp>\d{{6,12}})\.(?<ref>{C}{{1,24}})\.(?<ser>\d{{1,12}})",
            m => m.Groups["gcp"].Length + m.Groups["ref"].Length <= 30
                ? $"/8010/{Encode(m.Groups["gcp"].Value + m.Groups["ref"].Value)}/8011/{m.Groups["ser"].Value}"
                : null),
        Scheme("urn:epc:id:sgcn:", @"(?<gcp>\d{6,12})\.(?<ref>\d{0,6})\.(?<ser>\d{1,12})",
            m => Key(m, 12) is { } gcn ? $"/255/{gcn}{m.Groups["ser"].Value}" : null),
        Scheme("urn:epc:id:ginc:", $@"(?<gcp>\d{{6,12}})\.(?<ref>{X}{{1,24}})",
            m => m.Groups["gcp"].Length + m.Groups["ref"].Length <= 30
                ? $"/401/{m.Groups["gcp"].Value}{Encode(m.Groups["ref"].Value)}"
                : null),
        Scheme("urn:epc:id:gsin:", @"(?<gcp>\d{6,12})\.(?<ref>\d{4,10})",
            m => Key(m, 16) is { } gsin ? $"/402/{gsin}" : null),
        Scheme("urn:epc:id:itip:", $@"(?<gcp>\d{{6,12}})\.(?<ref>\d{{1,7}})\.(?<piece>\d{{2}})\.(?<total>\d{{2}})\.(?<ser>{X}{{1,20}})",
            m => Gtin(m, 13) is { } gtin
                ? $"/8006/{gtin}{m.Groups["piece"].Value}{m.Groups["total"].Value}/21/{Encode(m.Groups["ser"].Value)}"
                : null),
        Scheme("urn:epc:id:upui:", $@"(?<gcp>\d{{6,12}})\.(?<ref>\d{{1,7}})\.(?<ser>{X}{{1,28}})",
            m => Gtin(m, 13) is { } gtin ? $"/01/{gtin}/235/{Encode(m.Groups["ser"].Value)}" : null),
        Scheme("urn:epc:id:pgln:", @"(?<gcp>\d{6,12})\.(?<ref>\d{0,6})",
            m => Key(m, 12) is { } gln ? $"/417/{gln}" : null),
        Scheme("urn:epc:class:lgtin:", $@"(?<gcp>\d{{6,12}})\.(?<ref>\d{{1,7}})\.(?<lot>{X}{{1,20}})",
            m => Gtin(m, 13) is { } gtin ? $"/01/{gtin}/10/{Encode(m.Groups["lot"].Value)}" : null),
        Scheme("urn:epc:idpat:sgtin:", @"(?<gcp>\d{6,12})\.(?<ref>\d{1,7})\.\*",
            m => Gtin(m, 13) is { } gtin ? $"/01/{gtin}" : null),
        Scheme("urn:epc:idpat:upui:", @"(?<gcp>\d{6,12})\.(?<ref>\d{1,7})\.\*",
            m => Gtin(m, 13) is { } gtin ? $"/01/{gtin}" : null),
        Scheme("urn:epc:idpat:itip:", @"(?<gcp>\d{6,12})\.(?<ref>\d{1,7})\.(?<piece>\d{2})\.(?<total>\d{2})\.\*",
            m => Gtin(m, 13) is { } gtin ? $"/8006/{gtin}{m.Groups["piece"].Value}{m.Groups["total"].Value}" : null),
        Scheme("urn:epc:idpat:grai:", @"(?<gcp>\d{6,12})\.(?<ref>\d{0,6})\.\*",
            m => Key(m, 12, prefix: "0") is { } grai ? $"/8003/{grai}" : null),
        Scheme("urn:epc:idpat:gdti:", @"(?<gcp>\d{6,12})\.(?<ref>\d{0,6})\.\*",
            m => Key(m, 12) is { } gdti ? $"/253/{gdti}" : null),
        Scheme("urn:epc:idpat:sgcn:", @"(?<gcp>\d{6,12})\.(?<ref>\d{0,6})\.\*",
            m => Key(m, 12) is { } gcn ? $"/255/{gcn}" : null),
        Scheme("urn:epc:idpat:cpi:", $@"(?<gcp>\d{{6,12}})\.(?<ref>{C}{{1,24}})\.\*",
            m => m.Groups["gcp"].Length + m.Groups["ref"].Length <= 30
                ? $"/8010/{Encode(m.Groups["gcp"].Value + m.Groups["ref"].Value)}"
                : null),
    ];

    // The table by scheme prefix ("urn:epc:id:sgtin:"): one regex to try per URI.
    private static readonly Dictionary<string, (Regex Pattern, Func<Match, string?> Convert)> EpcSchemes =
        EpcSchemeTable.ToDictionary(s => s.Prefix, s => (s.Pattern, s.Convert), StringComparer.Ordinal);

    // Short names a Digital Link URI may use instead of application identifiers (GS1 Digital Link 1.x §6.1).
    private static readonly (string ShortName, string Ai)[] ShortNames =
    [
        ("/gtin/", "/01/"), ("/itip/", "/8006/"), ("/cpid/", "/8010/"), ("/gln/", "/414/"), ("/party/", "/417/"),
        ("/gsrnp/", "/8017/"), ("/gsrn/", "/8018/"), ("/gcn/", "/255/"), ("/sscc/", "/00/"), ("/gdti/", "/253/"),
        ("/ginc/", "/401/"), ("/gsin/", "/402/"), ("/grai/", "/8003/"), ("/giai/", "/8004/"), ("/cpv/", "/22/"),
        ("/lot/", "/10/"), ("/ser/", "/21/"),
    ];

    // Primary keys in the order the reference implementation looks for them when moving a URI to id.gs1.org.
    private static readonly string[] PrimaryKeys =
        ["/00/", "/01/", "/253/", "/255/", "/401/", "/402/", "/414/", "/417/", "/8003/", "/8004/", "/8006/", "/8010/", "/8017/", "/8018/"];

    private static readonly Regex[] CanonicalForms =
    [
        new(@"^https://id\.gs1\.org/00/\d{18}$"),
        new($@"^https://id\.gs1\.org/01/\d{{14}}(/21/{V}{{0,20}}|/10/{V}{{0,20}}|/235/{V}{{0,28}})?$"),
        new($@"^https://id\.gs1\.org/253/\d{{13}}{V}{{0,17}}$"),
        new(@"^https://id\.gs1\.org/255/\d{13}\d{0,12}$"),
        new($@"^https://id\.gs1\.org/401/{V}{{0,30}}$"),
        new(@"^https://id\.gs1\.org/402/\d{17}$"),
        new($@"^https://id\.gs1\.org/414/\d{{13}}(/254/{V}{{0,20}})?$"),
        new(@"^https://id\.gs1\.org/417/\d{13}$"),
        new($@"^https://id\.gs1\.org/8003/\d{{14}}{V}{{0,16}}$"),
        new($@"^https://id\.gs1\.org/8004/{V}{{0,30}}$"),
        new($@"^https://id\.gs1\.org/8006/\d{{18}}(/21/{V}{{0,20}}|/10/{V}{{0,20}})?$"),
        new(@"^https://id\.gs1\.org/8010/[\x23\x2D\x2F\x30-\x39\x41-\x5A]{0,30}(/8011/\d{0,12})?$"),
        new(@"^https://id\.gs1\.org/8017/\d{18}$"),
        new(@"^https://id\.gs1\.org/8018/\d{18}$"),
    ];

    /// <summary>The canonical GS1 Digital Link form of <paramref name="uri"/>, or <c>null</c> when it carries no GS1 key.</summary>
    public static string? Normalize(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.StartsWith("urn:epc:", StringComparison.Ordinal))
        {
            var schemeEnd = uri.IndexOf(':', uri.IndexOf(':', 8) + 1);
            if (schemeEnd < 0 || !EpcSchemes.TryGetValue(uri[..(schemeEnd + 1)], out var scheme))
            {
                return null;
            }

            var match = scheme.Pattern.Match(uri);
            return match.Success && scheme.Convert(match) is { } path ? CanonicalHost + path : null;
        }

        return IsDigitalLinkCandidate(uri) ? NormalizeDigitalLink(uri) : null;
    }

    private static string? NormalizeDigitalLink(string uri)
    {
        var query = uri.IndexOf('?');
        if (query >= 0)
        {
            uri = uri[..query];
        }

        foreach (var (shortName, ai) in ShortNames)
        {
            uri = uri.Replace(shortName, ai, StringComparison.Ordinal);
        }

        if (!OnCanonicalHost().IsMatch(uri))
        {
            foreach (var key in PrimaryKeys)
            {
                var at = uri.IndexOf(key, StringComparison.Ordinal);
                if (at >= 0)
                {
                    uri = CanonicalHost + uri[at..];
                    break;
                }
            }
        }

        uri = PadGtin(uri);
        uri = Cpv().Replace(uri, string.Empty, 1);
        uri = LotBeforeSerial().Replace(uri, "${key}", 1);
        return Array.Exists(CanonicalForms, form => form.IsMatch(uri)) ? uri : null;
    }

    // One EPC scheme: its URI prefix, the pattern of the rest, and the Digital Link path it converts to.
    private static (string, Regex, Func<Match, string?>) Scheme(string prefix, string body, Func<Match, string?> convert) =>
        (prefix, new Regex("^" + Regex.Escape(prefix) + body + "$", RegexOptions.Compiled | RegexOptions.CultureInvariant), convert);

    private static string PadGtin(string uri)
    {
        var gtin = GtinDigits().Match(uri);
        if (!gtin.Success)
        {
            return uri;
        }

        var digits = gtin.Groups[1].Length;
        var padding = digits switch { 13 => 1, 12 => 2, 8 => 6, _ => 0 };
        return padding == 0 ? uri : uri.Insert(gtin.Groups[1].Index, new string('0', padding));
    }

    // GTIN-14 (or the 13-digit body of an ITIP/8006 key) from a company prefix and an indicator+item reference.
    private static string? Gtin(Match m, int bodyLength)
    {
        var gcp = m.Groups["gcp"].Value;
        var reference = m.Groups["ref"].Value;
        if (gcp.Length + reference.Length != bodyLength)
        {
            return null;
        }

        var body = reference[..1] + gcp + reference[1..];
        return body + Gs1CheckDigit.Compute(body);
    }

    // A fixed-length GS1 key from a company prefix and a reference (the SSCC moves its extension digit first).
    private static string? Key(Match m, int bodyLength, bool extensionDigitFirst = false, string prefix = "")
    {
        var gcp = m.Groups["gcp"].Value;
        var reference = m.Groups["ref"].Value;
        if (gcp.Length + reference.Length != bodyLength)
        {
            return null;
        }

        var body = prefix + (extensionDigitFirst ? reference[..1] + gcp + reference[1..] : gcp + reference);
        return body + Gs1CheckDigit.Compute(body);
    }

    // Characters the EPC URI may hold raw but a Digital Link path segment must percent-encode (GS1 DL Table 7-1).
    private static string Encode(string value)
    {
        if (value.AsSpan().IndexOfAny("!()*+,:") < 0)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '!' => "%21", '(' => "%28", ')' => "%29", '*' => "%2A", '+' => "%2B", ',' => "%2C", ':' => "%3A",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    // An http(s) URI whose path (before any query or fragment) has a primary-key segment: /01/ or /gtin/ … followed
    // by a value of at least four digits and more. Written without a leading ".*" so that matching stays linear.
    private static bool IsDigitalLinkCandidate(string uri)
    {
        var authority = uri.StartsWith("https://", StringComparison.Ordinal) ? 8
            : uri.StartsWith("http://", StringComparison.Ordinal) ? 7
            : -1;
        if (authority < 0)
        {
            return false;
        }

        var end = uri.AsSpan(authority).IndexOfAny('?', '#');
        var path = end < 0 ? uri[authority..] : uri.Substring(authority, end);
        var slash = path.IndexOf('/');
        return slash >= 0 && PrimaryKeySegment().IsMatch(path[slash..]);
    }

    [GeneratedRegex(@"/(?:01|gtin|8006|itip|8010|cpid|414|gln|417|party|8017|gsrnp|8018|gsrn|255|gcn|00|sscc|253|gdti|401|ginc|402|gsin|8003|grai|8004|giai)/\d{4}[^/]")]
    private static partial Regex PrimaryKeySegment();

    [GeneratedRegex(@"^https://id\.gs1\.org/(?:01|8006|8010|414|417|8017|8018|255|00|253|401|402|8003|8004)/\d{4}[^/]+")]
    private static partial Regex OnCanonicalHost();

    [GeneratedRegex(@"^https://id\.gs1\.org/01/(\d{8,14})(?=/|$)")]
    private static partial Regex GtinDigits();

    [GeneratedRegex(@"(?<=^https://id\.gs1\.org/(?:01/\d{14}|8006/\d{18}))/22/[^/]*")]
    private static partial Regex Cpv();

    [GeneratedRegex(@"(?<key>^https://id\.gs1\.org/(?:01/\d{14}|8006/\d{18}))/10/[^/]*(?=/21/)")]
    private static partial Regex LotBeforeSerial();
}
