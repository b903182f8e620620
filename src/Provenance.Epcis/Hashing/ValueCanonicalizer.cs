using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Provenance.Epcis.Identifiers;

namespace Provenance.Epcis.Hashing;

/// <summary>
/// Normalises one value for the CBV 2.0 event hash pre-hash string (§8.9.3): old CBV URNs become their web URIs,
/// numbers lose insignificant digits, GS1 keys become canonical Digital Link URIs, timestamps become UTC with
/// milliseconds. The rules follow the reference implementation (RalphTro/epcis-event-hash-generator).
/// </summary>
internal static partial class ValueCanonicalizer
{
    private static readonly (string Urn, string Web)[] CbvUrnPrefixes =
    [
        ("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"),
        ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"),
        ("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"),
        ("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"),
        ("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"),
    ];

    /// <summary>Web vocabulary, then numeric form, then canonical Digital Link — in that order, as the reference does.</summary>
    public static string Canonicalize(string text)
    {
        foreach (var (urn, web) in CbvUrnPrefixes)
        {
            text = text.Replace(urn, web, StringComparison.Ordinal);
        }

        text = CanonicalNumber(text) ?? text;
        return DigitalLinkNormalizer.Normalize(text) ?? text;
    }

    /// <summary>
    /// A number written the way Python writes <c>float(text)</c> — as an integer when it has no fraction — or
    /// <c>null</c> when <paramref name="text"/> is not a decimal number. Infinity and NaN stay text.
    /// </summary>
    public static string? CanonicalNumber(string text)
    {
        if (!PythonFloat().IsMatch(text))
        {
            return null;
        }

        var value = double.Parse(text.Replace("_", string.Empty, StringComparison.Ordinal).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value))
        {
            return null;
        }

        return Math.Floor(value) == value
            ? new BigInteger(value).ToString(CultureInfo.InvariantCulture)
            : PythonRepr(value);
    }

    /// <summary>
    /// An ISO 8601 date-time in UTC with exactly three fractional digits and a <c>Z</c>, microseconds rounded half
    /// to even as the reference does; <c>null</c> when <paramref name="text"/> is not such a timestamp. A timestamp
    /// without an offset is read as UTC.
    /// </summary>
    public static string? CanonicalTimestamp(string text)
    {
        var m = Timestamp().Match(text);
        if (!m.Success)
        {
            return null;
        }

        int Part(string name) => int.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture);

        // Python keeps microseconds (six digits, further digits dropped), then rounds them to milliseconds half-even.
        var micros = int.Parse((m.Groups["f"].Value + "000000")[..6], CultureInfo.InvariantCulture);
        var millis = (long)Math.Round(micros / 1000m, MidpointRounding.ToEven);
        var offset = TimeSpan.Zero;
        if (m.Groups["oh"].Success)
        {
            offset = new TimeSpan(Part("oh"), Part("om"), 0);
            if (m.Groups["sign"].Value == "-")
            {
                offset = -offset;
            }
        }

        DateTime utc;
        try
        {
            var local = new DateTime(Part("y"), Part("mo"), Part("d"), Part("h"), Part("mi"), Part("s"), DateTimeKind.Unspecified);
            utc = local.AddMilliseconds(millis) - offset;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // no such date, or outside years 1-9999 once in UTC
        }

        return utc.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);
    }

    // Python's repr() of a finite, non-integral double: the shortest round-trip digits, in positional notation
    // unless the decimal exponent is below -4 or above 16.
    private static string PythonRepr(double value)
    {
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = r.StartsWith('-');
        if (negative)
        {
            r = r[1..];
        }

        var exponent = 0;
        var e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..e];
        }

        var point = r.IndexOf('.');
        var digits = point >= 0 ? r.Remove(point, 1) : r;
        var decimalPoint = (point >= 0 ? point : r.Length) + exponent;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        decimalPoint -= leadingZeros;

        string text;
        if (decimalPoint is > -4 and <= 16)
        {
            text = decimalPoint <= 0
                ? "0." + new string('0', -decimalPoint) + digits
                : decimalPoint >= digits.Length
                    ? digits + new string('0', decimalPoint - digits.Length) + ".0"
                    : digits[..decimalPoint] + "." + digits[decimalPoint..];
        }
        else
        {
            var exp = decimalPoint - 1;
            text = digits[..1] + (digits.Length > 1 ? "." + digits[1..] : string.Empty)
                + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
        }

        return negative ? "-" + text : text;
    }

    // Python float() syntax for finite decimals: optional sign, digits with single underscores between them.
    [GeneratedRegex(@"^\s*[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?\s*$")]
    private static partial Regex PythonFloat();

    [GeneratedRegex(@"^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})[Tt ](?<h>\d{2}):(?<mi>\d{2}):(?<s>\d{2})(?:[.,](?<f>\d+))?(?:[Zz]|(?<sign>[+-])(?<oh>\d{2}):?(?<om>\d{2}))?$")]
    private static partial Regex Timestamp();
}
