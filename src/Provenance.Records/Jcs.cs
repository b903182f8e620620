using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Provenance.Records;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme: object members sorted by their UTF-16 code units, no whitespace,
/// strings escaped minimally (RFC 8785 §3.2.2.2), numbers in ECMAScript <c>Number.prototype.toString</c> form.
/// Written here because no JCS package is available from our NuGet registry (see docs/ARCHITECTURE.md).
/// </summary>
public static class Jcs
{
    /// <summary>Canonical UTF-8 bytes of a JSON value.</summary>
    public static byte[] Canonicalize(JsonNode? node) => Canonicalize(node?.ToJsonString() ?? "null");

    /// <summary>Canonical UTF-8 bytes of JSON text.</summary>
    public static byte[] Canonicalize(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Canonicalize(doc.RootElement);
    }

    /// <summary>Canonical UTF-8 bytes of a parsed JSON element.</summary>
    public static byte[] Canonicalize(JsonElement element)
    {
        var sb = new StringBuilder();
        Write(sb, element);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static void Write(StringBuilder sb, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                var first = true;
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var p in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!seen.Add(p.Name))
                    {
                        throw new ArgumentException($"Duplicate property '{p.Name}' (RFC 8785 needs I-JSON).");
                    }

                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    WriteString(sb, p.Name);
                    sb.Append(':');
                    Write(sb, p.Value);
                }

                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (i++ > 0)
                    {
                        sb.Append(',');
                    }

                    Write(sb, item);
                }

                sb.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(sb, element.GetString()!);
                break;
            case JsonValueKind.Number:
                sb.Append(FormatNumber(element.GetDouble()));
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            default:
                sb.Append("null");
                break;
        }
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    /// <summary>ECMAScript Number::toString for finite doubles (RFC 8785 §3.2.2.3).</summary>
    internal static string FormatNumber(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d))
        {
            throw new ArgumentException("NaN and Infinity are not valid JSON numbers.");
        }

        if (d == 0)
        {
            return "0";
        }

        // "R" gives the shortest round-tripping digits; split them into digits and a decimal exponent.
        var shortest = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        string mantissa;
        int exp;
        var ePos = shortest.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            mantissa = shortest[..ePos];
            exp = int.Parse(shortest[(ePos + 1)..], CultureInfo.InvariantCulture);
        }
        else
        {
            mantissa = shortest;
            exp = 0;
        }

        var dot = mantissa.IndexOf('.');
        var intPart = dot >= 0 ? mantissa[..dot] : mantissa;
        var fracPart = dot >= 0 ? mantissa[(dot + 1)..] : "";
        var digits = (intPart + fracPart).TrimStart('0');
        var leadingZeros = (intPart + fracPart).Length - digits.Length;
        digits = digits.TrimEnd('0');
        // n: position of the decimal point relative to the digit string (ECMAScript's n).
        var n = intPart.Length + exp - leadingZeros;
        var k = digits.Length;
        var sb = new StringBuilder();
        if (d < 0)
        {
            sb.Append('-');
        }

        if (k <= n && n <= 21)
        {
            sb.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            sb.Append(digits[..n]).Append('.').Append(digits[n..]);
        }
        else if (-6 < n && n <= 0)
        {
            sb.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            var e = n - 1;
            sb.Append(digits[0]);
            if (k > 1)
            {
                sb.Append('.').Append(digits[1..]);
            }

            sb.Append('e').Append(e >= 0 ? "+" : "-").Append(Math.Abs(e).ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}
