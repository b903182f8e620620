using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using Provenance.Epcis.Hashing;
using Provenance.Epcis.Vocabulary;

namespace Provenance.Epcis.Export;

/// <summary>
/// Writes a piece history as a GS1 EPCIS 2.0 JSON-LD document (EPCIS 2.0 §9, JSON binding): one ObjectEvent per
/// <see cref="ProvenanceEvent"/>, with bizStep/disposition from CBV 2.0, our craft steps and extensions in the
/// <c>prov</c> namespace, the on-chain reference as <c>prov:onChain</c>, and the CBV 2.0 event hash ID as eventID.
/// </summary>
public sealed class EpcisExporter
{
    /// <summary>The EPCIS 2.0 JSON-LD context every document names first.</summary>
    public const string EpcisContext = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

    /// <summary>
    /// Writer options for EPCIS documents: '+' in time-zone offsets and non-ASCII names stay readable instead of
    /// <c>\u002B</c> escapes. The output is a JSON(-LD) file, never inlined into HTML.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly EpcisProfile _profile;
    private readonly JsonLdPrefixes _prefixes;

    /// <summary>An exporter writing identifiers of <paramref name="profile"/>.</summary>
    public EpcisExporter(EpcisProfile profile)
    {
        _profile = profile ?? throw new ArgumentNullException(nameof(profile));
        _prefixes = JsonLdPrefixes.Standard.With(EpcisProfile.Prefix, profile.VocabularyNamespace);
    }

    /// <summary>The document's <c>@context</c>: the EPCIS 2.0 context and our prefix.</summary>
    public JsonArray Context() =>
        new(EpcisContext, new JsonObject { [EpcisProfile.Prefix] = _profile.VocabularyNamespace });

    /// <summary>One ObjectEvent, eventID included.</summary>
    /// <exception cref="ArgumentException">A field of <paramref name="provenanceEvent"/> is malformed.</exception>
    public JsonObject BuildEvent(ProvenanceEvent provenanceEvent)
    {
        ArgumentNullException.ThrowIfNull(provenanceEvent);
        var content = Content(provenanceEvent);
        var eventId = EventHashId.Compute(ToElement(content), _prefixes);

        var result = new JsonObject { ["type"] = "ObjectEvent", ["eventID"] = eventId };
        foreach (var (key, value) in content.Where(p => p.Key != "type").ToList())
        {
            content.Remove(key);
            result[key] = value;
        }

        return result;
    }

    /// <summary>A whole EPCISDocument holding <paramref name="events"/> in order.</summary>
    /// <exception cref="ArgumentException">A field of an event is malformed.</exception>
    public JsonObject BuildDocument(IEnumerable<ProvenanceEvent> events, DateTimeOffset creationDate)
    {
        ArgumentNullException.ThrowIfNull(events);
        var list = new JsonArray();
        foreach (var e in events)
        {
            list.Add(BuildEvent(e));
        }

        return new JsonObject
        {
            ["@context"] = Context(),
            ["type"] = "EPCISDocument",
            ["schemaVersion"] = "2.0",
            ["creationDate"] = Timestamp(creationDate),
            ["epcisBody"] = new JsonObject { ["eventList"] = list },
        };
    }

    /// <summary>
    /// Streams an EPCISDocument to <paramref name="utf8Json"/> one event at a time, so an export of any size holds
    /// one event in memory; flushes every 256 events.
    /// </summary>
    /// <exception cref="ArgumentException">A field of an event is malformed (the output is then incomplete).</exception>
    public async Task WriteDocumentAsync(Stream utf8Json, IAsyncEnumerable<ProvenanceEvent> events, DateTimeOffset creationDate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ArgumentNullException.ThrowIfNull(events);
        await using var writer = new Utf8JsonWriter(utf8Json, WriterOptions);
        writer.WriteStartObject();
        writer.WritePropertyName("@context");
        Context().WriteTo(writer);
        writer.WriteString("type", "EPCISDocument");
        writer.WriteString("schemaVersion", "2.0");
        writer.WriteString("creationDate", Timestamp(creationDate));
        writer.WriteStartObject("epcisBody");
        writer.WriteStartArray("eventList");
        var count = 0;
        await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            BuildEvent(e).WriteTo(writer);
            if (++count % 256 == 0)
            {
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private JsonObject Content(ProvenanceEvent e)
    {
        ArgumentNullException.ThrowIfNull(e.Chain);
        e.Chain.Validate();
        RequireUri(e.Actor, nameof(e.Actor));

        var json = new JsonObject
        {
            ["type"] = "ObjectEvent",
            ["eventTime"] = Timestamp(e.EventTime),
            ["eventTimeZoneOffset"] = e.EventTime.ToString("zzz", CultureInfo.InvariantCulture),
            ["epcList"] = new JsonArray(_profile.PieceUri(e.PieceCode)),
            ["action"] = e is PieceRegistered ? "ADD" : "OBSERVE",
        };

        var (bizStep, disposition) = e switch
        {
            PieceRegistered => ("commissioning", "active"),
            PieceShipped => ("shipping", "in_transit"),
            PieceReceived => ("receiving", "in_progress"),
            PieceCertified => ("inspecting", "conformant"),
            PieceProcessed p => (_profile.CraftBizStep(p.Step), "in_progress"),
            PieceSold => ("retail_selling", "retail_sold"),
            PieceFlagged => (null, "stolen"),
            PieceRevoked => (null, "recalled"),
            _ => throw new ArgumentException($"{e.GetType().Name} is not an exportable event kind", nameof(e)),
        };

        if (bizStep is not null)
        {
            json["bizStep"] = bizStep;
        }

        json["disposition"] = disposition;
        if (e.Location is not null)
        {
            RequireUri(e.Location, nameof(e.Location));
            json["bizLocation"] = new JsonObject { ["id"] = e.Location };
        }

        AddParties(json, e);
        if (e is PieceCertified certified)
        {
            if (certified.Certificates is not { Count: > 0 })
            {
                throw new ArgumentException("a certification names at least one certificate URI", nameof(e));
            }

            foreach (var certificate in certified.Certificates)
            {
                RequireUri(certificate, nameof(certified.Certificates));
            }

            json["certificationInfo"] = certified.Certificates.Count == 1
                ? certified.Certificates[0]
                : new JsonArray(certified.Certificates.Select(c => (JsonNode?)c).ToArray());
        }

        json[Term("actor")] = e.Actor;
        if (e.RecordHash is not null)
        {
            if (!ChainReference.Hex().IsMatch(e.RecordHash) || e.RecordHash.Length != 66)
            {
                throw new ArgumentException($"record hash '{e.RecordHash}' is not 0x-prefixed 32-byte hex", nameof(e));
            }

            json[Term("recordHash")] = e.RecordHash.ToLowerInvariant();
        }

        json[Term("onChain")] = new JsonObject
        {
            [Term("chainId")] = e.Chain.ChainId,
            [Term("contract")] = e.Chain.Contract.ToLowerInvariant(),
            [Term("transactionHash")] = e.Chain.TransactionHash.ToLowerInvariant(),
            [Term("blockNumber")] = e.Chain.BlockNumber,
            [Term("logIndex")] = e.Chain.LogIndex,
        };
        return json;
    }

    private static void AddParties(JsonObject json, ProvenanceEvent e)
    {
        var (from, to, owners) = e switch
        {
            PieceRegistered => (null, e.Actor, true),
            PieceShipped s => (s.From, s.To, s.OwnershipTransferred),
            PieceReceived r => (r.From, r.To, r.OwnershipTransferred),
            PieceSold => (e.Actor, null, true),
            _ => ((string?)null, (string?)null, false),
        };

        if (from is not null)
        {
            RequireUri(from, "From");
            json["sourceList"] = Parties("source", from, owners, possession: e is not PieceSold);
        }

        if (to is not null)
        {
            RequireUri(to, "To");
            json["destinationList"] = Parties("destination", to, owners, possession: true);
        }
    }

    private static JsonArray Parties(string member, string party, bool owner, bool possession)
    {
        var list = new JsonArray();
        if (possession)
        {
            list.Add(new JsonObject { ["type"] = "possessing_party", [member] = party });
        }

        if (owner)
        {
            list.Add(new JsonObject { ["type"] = "owning_party", [member] = party });
        }

        return list;
    }

    private static string Term(string name) => EpcisProfile.Prefix + ":" + name;

    private static string Timestamp(DateTimeOffset time) =>
        time.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffzzz", CultureInfo.InvariantCulture);

    private static void RequireUri(string? value, string field)
    {
        if (string.IsNullOrEmpty(value) || !Uri.TryCreate(value, UriKind.Absolute, out _) || value.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"{field} '{value}' is not an absolute URI", field);
        }
    }

    private static JsonElement ToElement(JsonObject json)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteTo(writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
