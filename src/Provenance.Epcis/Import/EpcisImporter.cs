using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Provenance.Epcis.Hashing;

namespace Provenance.Epcis.Import;

/// <summary>
/// Reads an EPCIS 2.0 JSON-LD document (EPCIS 2.0 §9) from an exporter's system and turns its ObjectEvents about
/// pieces we know into <see cref="ImportedEvent"/>s — or rejects the whole document with every reason, each at a
/// JSON Pointer. Bad input never throws: only a cancelled token or a failing <see cref="IPieceResolver"/> does.
/// </summary>
public sealed partial class EpcisImporter
{
    private readonly EpcisProfile _profile;
    private readonly EpcisImportOptions _options;

    /// <summary>An importer that recognises the craft steps and extensions of <paramref name="profile"/>.</summary>
    public EpcisImporter(EpcisProfile profile, EpcisImportOptions? options = null)
    {
        _profile = profile ?? throw new ArgumentNullException(nameof(profile));
        _options = options ?? new EpcisImportOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxEvents);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxEpcsPerEvent);
    }

    /// <summary>Imports a document given as text.</summary>
    public Task<EpcisImportResult> ImportAsync(string json, IPieceResolver resolver, CancellationToken cancellationToken) =>
        ImportAsync(Encoding.UTF8.GetBytes(json ?? throw new ArgumentNullException(nameof(json))), resolver, cancellationToken);

    /// <summary>Imports a document given as UTF-8 bytes.</summary>
    public async Task<EpcisImportResult> ImportAsync(ReadOnlyMemory<byte> utf8Json, IPieceResolver resolver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        cancellationToken.ThrowIfCancellationRequested();

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            return EpcisImportResult.Rejected(string.Empty, "not a JSON document: " + ex.Message);
        }

        using (document)
        {
            var errors = new List<EpcisImportError>();
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return EpcisImportResult.Rejected(string.Empty, $"expected an EPCIS document (a JSON object), found {JsonPointer.Describe(root.ValueKind)}");
            }

            if (FindUnreadableText(root, string.Empty) is { } badText)
            {
                return EpcisImportResult.Rejected(badText, "holds text that is not valid Unicode (invalid UTF-8 or a lone surrogate escape)");
            }

            var (listPointer, eventList) = ReadHeader(root, errors);
            if (eventList is not { } list)
            {
                return EpcisImportResult.Rejected(errors);
            }

            var prefixes = JsonLdPrefixes.Standard;
            if (root.TryGetProperty("@context", out var context))
            {
                prefixes = prefixes.With(context);
            }

            var reader = new EventReader(_profile, _options, prefixes, errors);
            var drafts = new List<EventReader.Draft>();
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                if (reader.Read(item, JsonPointer.Append(listPointer, index++)) is { } draft)
                {
                    drafts.Add(draft);
                }
            }

            RejectDuplicates(drafts, errors);
            var events = await ResolvePiecesAsync(drafts, resolver, errors, cancellationToken).ConfigureAwait(false);
            return errors.Count == 0 ? EpcisImportResult.Accepted(events) : EpcisImportResult.Rejected(errors);
        }
    }

    // The document members EPCIS 2.0 requires; returns the event list (null when there is none to read).
    private (string Pointer, JsonElement? List) ReadHeader(JsonElement root, List<EpcisImportError> errors)
    {
        var type = root.TryGetProperty("type", out var t) ? t : default;
        var isQuery = type.ValueKind == JsonValueKind.String && type.GetString() == "EPCISQueryDocument";
        if (type.ValueKind == JsonValueKind.Undefined)
        {
            errors.Add(new("/type", "missing: an EPCIS document has type EPCISDocument"));
        }
        else if (type.ValueKind != JsonValueKind.String || (type.GetString() != "EPCISDocument" && !isQuery))
        {
            errors.Add(new("/type", $"{Show(type)} is not an EPCIS document type (EPCISDocument or EPCISQueryDocument)"));
        }

        if (!root.TryGetProperty("@context", out var context))
        {
            errors.Add(new("/@context", "missing: a JSON-LD EPCIS document names the EPCIS 2.0 context"));
        }
        else if (context.ValueKind is not (JsonValueKind.String or JsonValueKind.Object or JsonValueKind.Array))
        {
            errors.Add(new("/@context", $"must be a URI, an object or an array of them, found {JsonPointer.Describe(context.ValueKind)}"));
        }

        if (!root.TryGetProperty("schemaVersion", out var version))
        {
            errors.Add(new("/schemaVersion", "missing: expected \"2.0\""));
        }
        else if (version.ValueKind != JsonValueKind.String || !Version2().IsMatch(version.GetString()!))
        {
            errors.Add(new("/schemaVersion", $"{Show(version)} is not supported: only EPCIS 2.x documents can be imported"));
        }

        if (!root.TryGetProperty("creationDate", out var created))
        {
            errors.Add(new("/creationDate", "missing: when the document was created"));
        }
        else if (created.ValueKind != JsonValueKind.String || EventReader.ParseTimestamp(created.GetString()!) is null)
        {
            errors.Add(new("/creationDate", $"{Show(created)} is not an RFC 3339 date-time with a time-zone offset"));
        }

        if (!root.TryGetProperty("epcisBody", out var body) || body.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("/epcisBody", body.ValueKind == JsonValueKind.Undefined ? "missing: the document has no body" : $"must be an object, found {JsonPointer.Describe(body.ValueKind)}"));
            return (string.Empty, null);
        }

        var pointer = "/epcisBody/eventList";
        var list = default(JsonElement);
        if (isQuery)
        {
            pointer = "/epcisBody/queryResults/resultsBody/eventList";
            if (body.TryGetProperty("queryResults", out var results) && results.ValueKind == JsonValueKind.Object
                && results.TryGetProperty("resultsBody", out var resultsBody) && resultsBody.ValueKind == JsonValueKind.Object)
            {
                resultsBody.TryGetProperty("eventList", out list);
            }
        }
        else
        {
            body.TryGetProperty("eventList", out list);
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new(pointer, list.ValueKind == JsonValueKind.Undefined ? "missing: the list of events to import" : $"must be an array of events, found {JsonPointer.Describe(list.ValueKind)}"));
            return (pointer, null);
        }

        var count = list.GetArrayLength();
        if (count == 0)
        {
            errors.Add(new(pointer, "holds no events: there is nothing to import"));
            return (pointer, null);
        }

        if (count > _options.MaxEvents)
        {
            errors.Add(new(pointer, $"holds {count} events; one document may hold at most {_options.MaxEvents}"));
            return (pointer, null);
        }

        return (pointer, list);
    }

    // System.Text.Json checks string contents only when they are read: read every name and string once, here,
    // so that nothing later can fail on them. Returns the pointer of the first unreadable one.
    private static string? FindUnreadableText(JsonElement element, string pointer)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return null;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        if (FindUnreadableText(item, JsonPointer.Append(pointer, i++)) is { } found)
                        {
                            return found;
                        }
                    }

                    return null;
                case JsonValueKind.Object:
                    foreach (var member in element.EnumerateObject())
                    {
                        if (FindUnreadableText(member.Value, JsonPointer.Append(pointer, member.Name)) is { } found)
                        {
                            return found;
                        }
                    }

                    return null;
                default:
                    return null;
            }
        }
        catch (InvalidOperationException)
        {
            return pointer; // a member name of this object cannot be read
        }
    }

    private static void RejectDuplicates(List<EventReader.Draft> drafts, List<EpcisImportError> errors)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var draft in drafts)
        {
            if (!seen.TryAdd(draft.Event.EventHashId, draft.Event.Pointer))
            {
                errors.Add(new(draft.Event.Pointer, $"repeats the event at {seen[draft.Event.EventHashId]} (same event hash ID {draft.Event.EventHashId})"));
            }
        }
    }

    private static async Task<List<ImportedEvent>> ResolvePiecesAsync(
        List<EventReader.Draft> drafts, IPieceResolver resolver, List<EpcisImportError> errors, CancellationToken cancellationToken)
    {
        var epcs = drafts.SelectMany(d => d.Epcs).Select(e => e.Epc).Distinct(StringComparer.Ordinal).ToList();
        if (epcs.Count == 0)
        {
            return [];
        }

        var known = await resolver.ResolveAsync(epcs, cancellationToken).ConfigureAwait(false);
        var events = new List<ImportedEvent>(drafts.Count);
        foreach (var draft in drafts)
        {
            var codes = new List<string>(draft.Epcs.Count);
            foreach (var (epc, pointer) in draft.Epcs)
            {
                if (known.TryGetValue(epc, out var code))
                {
                    codes.Add(code);
                }
                else
                {
                    errors.Add(new(pointer, $"unknown piece '{epc}': only pieces registered here can be imported"));
                }
            }

            events.Add(draft.Event with { PieceCodes = codes });
        }

        return events;
    }

    private static string Show(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? "'" + value.GetString() + "'"
        : JsonPointer.Describe(value.ValueKind);

    [GeneratedRegex(@"^2(\.\d+)*$")]
    private static partial Regex Version2();
}
