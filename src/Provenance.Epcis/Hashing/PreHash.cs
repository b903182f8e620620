using System.Text;

namespace Provenance.Epcis.Hashing;

/// <summary>
/// Writes the canonical pre-hash string of CBV 2.0 §8.9.2 from a <see cref="HashNode"/> tree: the standard fields in
/// the fixed order below, each <c>name=value</c> with normalised values, repeated elements sorted, nested
/// structures written after their parent's name, then every remaining field (business transactions, sources,
/// destinations, ILMD, extensions) sorted. The order — including destinationList before sourceList — is the one
/// the reference implementation's published outputs show.
/// </summary>
internal static class PreHash
{
    private sealed record Field(string Name, IReadOnlyList<Field>? Children = null);

    private static readonly Field[] Quantity =
        [new("quantityElement", [new("epcClass"), new("quantity"), new("uom")])];

    private static readonly Field[] Epcs = [new("epc")];

    private static readonly Field[] EventOrder =
    [
        new("eventTime"), new("eventTimeZoneOffset"), new("certificationInfo"), new("parentID"),
        new("epcList", Epcs), new("inputEPCList", Epcs), new("childEPCs", Epcs),
        new("quantityList", Quantity), new("childQuantityList", Quantity), new("inputQuantityList", Quantity),
        new("outputEPCList", Epcs), new("outputQuantityList", Quantity),
        new("action"), new("transformationID"), new("bizStep"), new("disposition"),
        new("persistentDisposition", [new("set"), new("unset")]),
        new("readPoint", [new("id")]), new("bizLocation", [new("id")]),
        new("sensorElementList",
        [
            new("sensorElement",
            [
                new("sensorMetadata",
                [
                    new("time"), new("startTime"), new("endTime"), new("deviceID"), new("deviceMetadata"),
                    new("rawData"), new("dataProcessingMethod"), new("bizRules"),
                ]),
                new("sensorReport",
                [
                    new("type"), new("exception"), new("deviceID"), new("deviceMetadata"), new("rawData"),
                    new("dataProcessingMethod"), new("time"), new("microorganism"), new("chemicalSubstance"),
                    new("value"), new("component"), new("stringValue"), new("booleanValue"), new("hexBinaryValue"),
                    new("uriValue"), new("minValue"), new("maxValue"), new("meanValue"), new("sDev"), new("percRank"),
                    new("percValue"), new("uom"), new("coordinateReferenceSystem"),
                ]),
            ]),
        ]),
    ];

    // Event fields that never take part in the hash.
    private static readonly HashSet<string> Ignored =
        new(StringComparer.Ordinal) { "recordTime", "eventID", "type", "errorDeclaration" };

    public static string Of(HashNode epcisEvent)
    {
        var rest = new List<HashNode>();
        var ordered = Ordered(epcisEvent.Children, EventOrder, rest);
        return "eventType=" + epcisEvent.Name + ordered + Generic(rest.Where(n => !Ignored.Contains(n.Name)));
    }

    // The fields of `order` in that order; the nodes not named there go to `rest` (event level) or, below the event,
    // are written right after the ordered ones (extensions of readPoint, sensorMetadata, …).
    private static string Ordered(IReadOnlyList<HashNode> nodes, IReadOnlyList<Field> order, List<HashNode>? rest)
    {
        var sb = new StringBuilder();
        foreach (var field in order)
        {
            var values = new List<string>();
            foreach (var node in nodes)
            {
                if (node.Name == field.Name && Element(node, field) is { Length: > 0 } value)
                {
                    values.Add(value);
                }
            }

            values.Sort(CodePointComparer.Instance);
            values.ForEach(v => sb.Append(v));
        }

        var unordered = nodes.Where(n => !order.Any(f => f.Name == n.Name));
        if (rest is not null)
        {
            rest.AddRange(unordered);
        }
        else
        {
            sb.Append(Generic(unordered));
        }

        return sb.ToString();
    }

    private static string Element(HashNode node, Field field)
    {
        var text = node.Text.Trim();
        if (text.Length > 0)
        {
            text = "=" + (IsTimestamp(node.Name)
                ? ValueCanonicalizer.CanonicalTimestamp(text) ?? text
                : ValueCanonicalizer.Canonicalize(text));
        }

        var children = field.Children is null ? Generic(node.Children) : Ordered(node.Children, field.Children, null);
        return text.Length == 0 && children.Length == 0 ? string.Empty : node.Name + text + children;
    }

    private static string Generic(IEnumerable<HashNode> nodes)
    {
        var values = nodes.Select(GenericElement).ToList();
        values.Sort(CodePointComparer.Instance);
        return string.Concat(values);
    }

    private static string GenericElement(HashNode node)
    {
        if (node.IsTypedPairList)
        {
            var entries = node.Children.Select(TypedPair).ToList();
            entries.Sort(CodePointComparer.Instance);
            return node.Name + string.Concat(entries);
        }

        var text = node.Text.Trim();
        return node.Name + (text.Length > 0 ? "=" + ValueCanonicalizer.Canonicalize(text) : string.Empty) + Generic(node.Children);
    }

    // A business transaction, source or destination: its type first, then its value, whatever the JSON key order.
    private static string TypedPair(HashNode entry)
    {
        var type = entry.Children.Where(c => c.Name == "type").Select(GenericElement);
        var others = entry.Children.Where(c => c.Name != "type").Select(GenericElement).ToList();
        others.Sort(CodePointComparer.Instance);
        return string.Concat(type) + string.Concat(others);
    }

    private static bool IsTimestamp(string name) =>
        name.Contains("time", StringComparison.OrdinalIgnoreCase) && !name.Contains("offset", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Orders strings by Unicode code point, as Python's <c>sorted</c> does (UTF-16 ordinal order differs for
/// characters beyond the Basic Multilingual Plane).</summary>
internal sealed class CodePointComparer : IComparer<string>
{
    public static readonly CodePointComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var i = 0;
        var j = 0;
        while (i < x.Length && j < y.Length)
        {
            var a = NextCodePoint(x, ref i);
            var b = NextCodePoint(y, ref j);
            if (a != b)
            {
                return a.CompareTo(b);
            }
        }

        return (x.Length - i).CompareTo(y.Length - j);
    }

    // The code point at `index` (a lone surrogate stands for itself); advances past it.
    private static int NextCodePoint(string s, ref int index)
    {
        if (char.IsHighSurrogate(s[index]) && index + 1 < s.Length && char.IsLowSurrogate(s[index + 1]))
        {
            var cp = char.ConvertToUtf32(s[index], s[index + 1]);
            index += 2;
            return cp;
        }

        return s[index++];
    }
}
