using System.Collections.Frozen;
using System.Text.Json;

namespace Provenance.Epcis.Hashing;

/// <summary>
/// The compact-IRI prefixes in force for an EPCIS JSON-LD document (JSON-LD 1.1 §4.4 compact IRIs): the prefixes
/// the EPCIS 2.0 context defines, overridden by those a document or event declares in its own <c>@context</c>.
/// Used to turn <c>"example:myField"</c> into the namespace-qualified name <c>{https://ns.example.com/epcis/}myField</c>
/// for the event hash. Not a JSON-LD processor: remote contexts are never fetched.
/// </summary>
public sealed class JsonLdPrefixes
{
    /// <summary>The prefixes of the EPCIS 2.0 context that matter for event content.</summary>
    public static readonly JsonLdPrefixes Standard = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["epcis"] = "https://ref.gs1.org/epcis/",
        ["cbv"] = "https://ref.gs1.org/cbv/",
        ["cbvmda"] = "urn:epcglobal:cbv:mda:",
        ["gs1"] = "https://gs1.org/voc/",
    });

    private readonly FrozenDictionary<string, string> _prefixes;

    private JsonLdPrefixes(IDictionary<string, string> prefixes) =>
        _prefixes = prefixes.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>All prefixes and their namespace IRIs.</summary>
    public IReadOnlyDictionary<string, string> Prefixes => _prefixes;

    /// <summary>These prefixes plus the string-valued term definitions of <paramref name="context"/> (a string, an
    /// object or an array of them, as <c>@context</c> allows); later definitions win.</summary>
    public JsonLdPrefixes With(JsonElement context)
    {
        var merged = new Dictionary<string, string>(_prefixes, StringComparer.Ordinal);
        Collect(context, merged);
        return new JsonLdPrefixes(merged);
    }

    /// <summary>These prefixes plus <paramref name="prefix"/> ⇒ <paramref name="namespaceIri"/>.</summary>
    public JsonLdPrefixes With(string prefix, string namespaceIri)
    {
        var merged = new Dictionary<string, string>(_prefixes, StringComparer.Ordinal) { [prefix] = namespaceIri };
        return new JsonLdPrefixes(merged);
    }

    /// <summary><c>prefix:local</c> as <c>{namespace}local</c> when the prefix is known; otherwise unchanged.</summary>
    public string ExpandKey(string key) => Split(key) is var (ns, local) ? "{" + ns + "}" + local : key;

    /// <summary><c>prefix:local</c> as the full IRI <c>namespace + local</c> when the prefix is known; otherwise unchanged.</summary>
    public string ExpandValue(string value) => Split(value) is var (ns, local) ? ns + local : value;

    private (string Namespace, string Local)? Split(string compact)
    {
        var colon = compact.IndexOf(':');
        if (colon <= 0 || compact.AsSpan(colon + 1).StartsWith("//"))
        {
            return null;
        }

        return _prefixes.TryGetValue(compact[..colon], out var ns) ? (ns, compact[(colon + 1)..]) : null;
    }

    private static void Collect(JsonElement context, Dictionary<string, string> into)
    {
        switch (context.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in context.EnumerateArray())
                {
                    Collect(item, into);
                }

                break;
            case JsonValueKind.Object:
                foreach (var term in context.EnumerateObject())
                {
                    if (!term.Name.StartsWith('@') && term.Value.ValueKind == JsonValueKind.String)
                    {
                        into[term.Name] = term.Value.GetString()!;
                    }
                }

                break;
        }
    }
}
