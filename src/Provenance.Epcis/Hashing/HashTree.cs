using System.Text.Json;
using Provenance.Epcis.Vocabulary;

namespace Provenance.Epcis.Hashing;

/// <summary>One element of an event as the hash algorithm sees it: a name, a text value and child elements —
/// the XML data model that CBV 2.0 §8.9 is written against.</summary>
internal sealed record HashNode(string Name, string Text, IReadOnlyList<HashNode> Children)
{
    /// <summary>True for bizTransactionList/sourceList/destinationList, whose entries are (type, value) pairs.</summary>
    public bool IsTypedPairList { get; init; }
}

/// <summary>
/// Converts a JSON-LD EPCIS event into the XML-shaped <see cref="HashNode"/> tree: <c>epcList: [..]</c> becomes an
/// <c>epcList</c> element of <c>epc</c> children, <c>quantityList</c> entries become <c>quantityElement</c>s,
/// prefixed keys become <c>{namespace}local</c>, bare CBV terms in vocabulary-typed fields become web URIs.
/// </summary>
internal static class HashTree
{
    private enum Scope
    {
        Other,
        Event,
        PersistentDisposition,
        BizTransaction,
        SourceOrDestination,
        SensorReport,
        ErrorDeclaration,
    }

    private static readonly HashSet<string> SkippedKeys = new(StringComparer.Ordinal) { "#text", "rdfs:comment", "comment" };

    private static readonly HashSet<string> TypedPairLists =
        new(StringComparer.Ordinal) { "bizTransactionList", "sourceList", "destinationList" };

    public static HashNode FromEvent(JsonElement epcisEvent, JsonLdPrefixes prefixes)
    {
        if (epcisEvent.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"an EPCIS event is a JSON object, not {epcisEvent.ValueKind}", nameof(epcisEvent));
        }

        if (epcisEvent.TryGetProperty("@context", out var eventContext))
        {
            prefixes = prefixes.With(eventContext);
        }

        var type = epcisEvent.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : string.Empty;
        return new HashNode(type, string.Empty, Members(epcisEvent, Scope.Event, prefixes));
    }

    private static List<HashNode> Members(JsonElement obj, Scope scope, JsonLdPrefixes prefixes)
    {
        var nodes = new List<HashNode>();
        foreach (var member in obj.EnumerateObject())
        {
            var key = member.Name;
            if (key.StartsWith('@') || SkippedKeys.Contains(key) || member.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var name = prefixes.ExpandKey(key);
            var vocabulary = VocabularyOf(scope, key);
            var inner = InnerScope(scope, key);
            if (member.Value.ValueKind != JsonValueKind.Array)
            {
                nodes.Add(Value(name, member.Value, inner, vocabulary, prefixes));
            }
            else if (key == "childEPCs")
            {
                nodes.Add(new HashNode(name, string.Empty, Items(member.Value).Select(i => Value("epc", i, inner, null, prefixes)).ToList()));
            }
            else if (name.EndsWith("List", StringComparison.Ordinal))
            {
                var children = Items(member.Value)
                    .Select(item => Value(ElementName(name[..^4], item), item, inner, vocabulary, prefixes))
                    .ToList();
                nodes.Add(new HashNode(name, string.Empty, children) { IsTypedPairList = scope == Scope.Event && TypedPairLists.Contains(key) });
            }
            else
            {
                nodes.AddRange(Items(member.Value).Select(item => Value(name, item, inner, vocabulary, prefixes)));
            }
        }

        return nodes;
    }

    private static HashNode Value(string name, JsonElement value, Scope scope, VocabularyKind? vocabulary, JsonLdPrefixes prefixes) =>
        value.ValueKind switch
        {
            JsonValueKind.Object => new HashNode(name, string.Empty, Members(value, scope, prefixes)),
            JsonValueKind.String => new HashNode(name, ExpandString(value.GetString()!, vocabulary, prefixes), []),
            JsonValueKind.Number => new HashNode(name, value.GetRawText(), []),
            JsonValueKind.True => new HashNode(name, "true", []),
            JsonValueKind.False => new HashNode(name, "false", []),
            _ => new HashNode(name, string.Empty, []),
        };

    private static string ExpandString(string value, VocabularyKind? vocabulary, JsonLdPrefixes prefixes) =>
        vocabulary?.Expand(value) ?? prefixes.ExpandValue(value);

    // Nested arrays carry no structure of their own in the XML model: their items stand for themselves.
    private static IEnumerable<JsonElement> Items(JsonElement array)
    {
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                foreach (var nested in Items(item))
                {
                    yield return nested;
                }
            }
            else if (item.ValueKind != JsonValueKind.Null)
            {
                yield return item;
            }
        }
    }

    // The XML element name of a list entry: inputEPC/outputEPC are plain epc elements; quantity entries are
    // quantityElement elements.
    private static string ElementName(string singular, JsonElement item) => singular switch
    {
        "inputEPC" or "outputEPC" => "epc",
        "quantity" or "childQuantity" or "inputQuantity" or "outputQuantity" when item.ValueKind == JsonValueKind.Object => "quantityElement",
        _ => singular,
    };

    private static Scope InnerScope(Scope scope, string key) => (scope, key) switch
    {
        (Scope.Event, "persistentDisposition") => Scope.PersistentDisposition,
        (Scope.Event, "bizTransactionList") => Scope.BizTransaction,
        (Scope.Event, "sourceList" or "destinationList") => Scope.SourceOrDestination,
        (Scope.Event, "errorDeclaration") => Scope.ErrorDeclaration,
        (Scope.Event, "sensorElementList") => Scope.Other,
        (_, "sensorReport") => Scope.SensorReport,
        _ => Scope.Other,
    };

    private static VocabularyKind? VocabularyOf(Scope scope, string key) => (scope, key) switch
    {
        (Scope.Event, "bizStep") => Cbv.BizStep,
        (Scope.Event, "disposition") => Cbv.Disposition,
        (Scope.PersistentDisposition, "set" or "unset") => Cbv.Disposition,
        (Scope.BizTransaction, "type") => Cbv.BizTransactionType,
        (Scope.SourceOrDestination, "type") => Cbv.SourceDestinationType,
        (Scope.SensorReport, "type") => Cbv.MeasurementType,
        (Scope.SensorReport, "exception") => Cbv.SensorAlertType,
        (Scope.SensorReport, "component") => Cbv.Component,
        (Scope.ErrorDeclaration, "reason") => Cbv.ErrorReason,
        _ => null,
    };
}
