using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Provenance.Epcis.Hashing;

/// <summary>
/// The EPCIS Event Hash ID of GS1 CBV 2.0 §8.9 (<c>ni:///sha-256;&lt;hex&gt;?ver=CBV2.0</c>, RFC 6920 named
/// information): a canonical pre-hash string of the event's content, hashed with SHA-256. Two serialisations of the
/// same event (field order, time zone, EPC URI or Digital Link, bare CBV term or URN) get the same ID.
/// </summary>
public static class EventHashId
{
    /// <summary>The <c>ver</c> parameter of the IDs this class makes.</summary>
    public const string CbvVersion = "CBV2.0";

    private const string Prefix = "ni:///sha-256;";
    private const string Suffix = "?ver=" + CbvVersion;

    /// <summary>The canonical pre-hash string of one event (a JSON object) under <paramref name="prefixes"/>
    /// (default: the EPCIS 2.0 context's prefixes).</summary>
    /// <exception cref="ArgumentException"><paramref name="epcisEvent"/> is not a JSON object.</exception>
    public static string PreHashString(JsonElement epcisEvent, JsonLdPrefixes? prefixes = null) =>
        PreHash.Of(HashTree.FromEvent(epcisEvent, prefixes ?? JsonLdPrefixes.Standard));

    /// <summary>The event hash ID of one event (a JSON object) under <paramref name="prefixes"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="epcisEvent"/> is not a JSON object.</exception>
    public static string Compute(JsonElement epcisEvent, JsonLdPrefixes? prefixes = null) =>
        FromPreHashString(PreHashString(epcisEvent, prefixes));

    /// <summary>SHA-256 of the UTF-8 pre-hash string, as an <c>ni:</c> URI.</summary>
    public static string FromPreHashString(string preHash) =>
        Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(preHash))) + Suffix;

    /// <summary>True when <paramref name="eventId"/> has the form of a CBV 2.0 SHA-256 event hash ID.</summary>
    public static bool IsHashId(string? eventId) =>
        eventId is { Length: 14 + 64 + 11 }
        && eventId.StartsWith(Prefix, StringComparison.Ordinal)
        && eventId.EndsWith(Suffix, StringComparison.Ordinal)
        && eventId.AsSpan(Prefix.Length, 64).IndexOfAnyExcept("0123456789abcdef") < 0;

    /// <summary>
    /// The pre-hash string and ID of every event of an EPCIS document (<c>epcisBody.eventList</c>,
    /// <c>epcisBody.event</c>, or a query document's <c>epcisBody.queryResults.resultsBody.eventList</c>), with the
    /// document's <c>@context</c> prefixes in force. Entries that are not JSON objects are skipped.
    /// </summary>
    public static IReadOnlyList<EventHash> ComputeAll(JsonElement document)
    {
        var prefixes = JsonLdPrefixes.Standard;
        if (document.ValueKind == JsonValueKind.Object && document.TryGetProperty("@context", out var context))
        {
            prefixes = prefixes.With(context);
        }

        var hashes = new List<EventHash>();
        foreach (var (pointer, epcisEvent) in EpcisEvents.Locate(document))
        {
            if (epcisEvent.ValueKind == JsonValueKind.Object)
            {
                var preHash = PreHashString(epcisEvent, prefixes);
                hashes.Add(new EventHash(pointer, preHash, FromPreHashString(preHash)));
            }
        }

        return hashes;
    }
}

/// <summary>The hash ID of one event of a document.</summary>
/// <param name="Pointer">JSON Pointer (RFC 6901) of the event in the document, e.g. <c>/epcisBody/eventList/2</c>.</param>
/// <param name="PreHash">The canonical pre-hash string.</param>
/// <param name="Id">The <c>ni:///sha-256;…?ver=CBV2.0</c> event hash ID.</param>
public sealed record EventHash(string Pointer, string PreHash, string Id);

/// <summary>Finds the events of an EPCIS document or EPCIS query document.</summary>
internal static class EpcisEvents
{
    public static IEnumerable<(string Pointer, JsonElement Event)> Locate(JsonElement document)
    {
        if (document.ValueKind != JsonValueKind.Object
            || !document.TryGetProperty("epcisBody", out var body) || body.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        if (body.TryGetProperty("eventList", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var e in list.EnumerateArray())
            {
                yield return ($"/epcisBody/eventList/{i++}", e);
            }
        }
        else if (body.TryGetProperty("event", out var single))
        {
            yield return ("/epcisBody/event", single);
        }
        else if (body.TryGetProperty("queryResults", out var results) && results.ValueKind == JsonValueKind.Object
                 && results.TryGetProperty("resultsBody", out var resultsBody) && resultsBody.ValueKind == JsonValueKind.Object
                 && resultsBody.TryGetProperty("eventList", out var queried) && queried.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var e in queried.EnumerateArray())
            {
                yield return ($"/epcisBody/queryResults/resultsBody/eventList/{i++}", e);
            }
        }
    }
}
