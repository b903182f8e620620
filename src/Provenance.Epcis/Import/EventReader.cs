using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Provenance.Epcis.Export;
using Provenance.Epcis.Hashing;
using Provenance.Epcis.Vocabulary;

namespace Provenance.Epcis.Import;

/// <summary>Checks one event of an imported document and maps it to an <see cref="ImportedEvent"/> (pieces still
/// unresolved); every problem becomes an <see cref="EpcisImportError"/> at the offending member.</summary>
internal sealed partial class EventReader(
    EpcisProfile profile, EpcisImportOptions options, JsonLdPrefixes prefixes, List<EpcisImportError> errors)
{
    /// <summary>An event that passed every check but piece resolution.</summary>
    public sealed record Draft(ImportedEvent Event, IReadOnlyList<(string Epc, string Pointer)> Epcs);

    private static readonly Dictionary<string, ImportedEventKind> CbvKinds = new(StringComparer.Ordinal)
    {
        ["commissioning"] = ImportedEventKind.Registration,
        ["shipping"] = ImportedEventKind.Shipping,
        ["receiving"] = ImportedEventKind.Receiving,
        ["inspecting"] = ImportedEventKind.Certification,
        ["retail_selling"] = ImportedEventKind.Sale,
    };

    public Draft? Read(JsonElement e, string p)
    {
        var errorsBefore = errors.Count;
        if (e.ValueKind != JsonValueKind.Object)
        {
            return Fail(p, $"expected an event object, found {JsonPointer.Describe(e.ValueKind)}");
        }

        var type = Member(e, "type");
        if (type.ValueKind != JsonValueKind.String)
        {
            return Fail(JsonPointer.Append(p, "type"), type.ValueKind == JsonValueKind.Undefined ? "missing: the event type" : "must be a string");
        }

        if (type.GetString() != "ObjectEvent")
        {
            return Fail(JsonPointer.Append(p, "type"), $"'{type.GetString()}' cannot be imported: only ObjectEvents (pieces observed or added) can");
        }

        var action = RequiredString(e, p, "action");
        if (action is not null and not ("OBSERVE" or "ADD"))
        {
            Add(JsonPointer.Append(p, "action"), $"'{action}' cannot be imported: only OBSERVE and ADD can (DELETE ends a piece's life)");
        }

        var eventTime = ReadEventTime(e, p);
        var offset = RequiredString(e, p, "eventTimeZoneOffset");
        if (offset is not null && !TimeZoneOffset().IsMatch(offset))
        {
            Add(JsonPointer.Append(p, "eventTimeZoneOffset"), $"'{offset}' is not an offset of the form +hh:mm or -hh:mm");
        }

        if (Member(e, "errorDeclaration").ValueKind != JsonValueKind.Undefined)
        {
            Add(JsonPointer.Append(p, "errorDeclaration"), "error declarations (corrections of earlier events) cannot be imported");
        }

        var epcs = ReadEpcs(e, p);
        var (kind, bizStep, step) = ReadBizStep(e, p);
        var disposition = ReadDisposition(e, p, ref kind);
        if (kind is null && Member(e, "bizStep").ValueKind == JsonValueKind.Undefined)
        {
            Add(JsonPointer.Append(p, "bizStep"), "missing: an imported event names its business step (or has disposition stolen or recalled)");
        }

        if (kind == ImportedEventKind.Registration && action == "OBSERVE")
        {
            Add(JsonPointer.Append(p, "action"), "a commissioning event is a registration and needs action ADD, not OBSERVE");
        }

        var certificates = ReadCertificationInfo(e, p);
        if (kind == ImportedEventKind.Certification && certificates.Count == 0 && Member(e, "certificationInfo").ValueKind == JsonValueKind.Undefined)
        {
            Add(JsonPointer.Append(p, "certificationInfo"), "missing: an inspecting event is imported as a certification and must name its certificate(s)");
        }

        var sources = ReadParties(e, p, "sourceList", "source");
        var destinations = ReadParties(e, p, "destinationList", "destination");
        var readPoint = ReadLocation(e, p, "readPoint");
        var bizLocation = ReadLocation(e, p, "bizLocation");
        var (actor, recordHash, chain) = ReadExtensions(e, p);

        var hashId = EventHashId.Compute(e, prefixes);
        var statedId = ReadStatedEventId(e, p, hashId);

        if (errors.Count > errorsBefore)
        {
            return null;
        }

        var imported = new ImportedEvent
        {
            Pointer = p,
            Kind = kind!.Value,
            PieceCodes = [],
            EventTime = eventTime!.Value,
            EventTimeZoneOffset = offset!,
            Action = action!,
            BizStep = bizStep,
            Disposition = disposition,
            Step = step,
            CertificationInfo = certificates,
            Sources = sources,
            Destinations = destinations,
            ReadPoint = readPoint,
            BizLocation = bizLocation,
            StatedEventId = statedId,
            EventHashId = hashId,
            Actor = actor,
            RecordHash = recordHash,
            Chain = chain,
        };
        return new Draft(imported, epcs);
    }

    private DateTimeOffset? ReadEventTime(JsonElement e, string p)
    {
        var text = RequiredString(e, p, "eventTime");
        if (text is null)
        {
            return null;
        }

        var time = ParseTimestamp(text);
        if (time is null)
        {
            Add(JsonPointer.Append(p, "eventTime"), $"'{text}' is not an RFC 3339 date-time with a time-zone offset");
        }

        return time;
    }

    private List<(string Epc, string Pointer)> ReadEpcs(JsonElement e, string p)
    {
        var pointer = JsonPointer.Append(p, "epcList");
        var list = Member(e, "epcList");
        var epcs = new List<(string, string)>();
        if (list.ValueKind == JsonValueKind.Undefined)
        {
            Add(pointer, Member(e, "quantityList").ValueKind == JsonValueKind.Undefined
                ? "missing: the pieces the event is about"
                : "missing: only individually identified pieces (epcList) can be imported, not quantities (quantityList)");
            return epcs;
        }

        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            Add(pointer, list.ValueKind == JsonValueKind.Array ? "is empty: the event names no piece" : $"must be an array of EPC URIs, found {JsonPointer.Describe(list.ValueKind)}");
            return epcs;
        }

        if (list.GetArrayLength() > options.MaxEpcsPerEvent)
        {
            Add(pointer, $"names {list.GetArrayLength()} EPCs; one event may name at most {options.MaxEpcsPerEvent}");
            return epcs;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var itemPointer = JsonPointer.Append(pointer, i++);
            if (item.ValueKind != JsonValueKind.String || !IsAbsoluteUri(item.GetString()!))
            {
                Add(itemPointer, $"{Show(item)} is not an EPC URI");
            }
            else if (!seen.Add(item.GetString()!))
            {
                Add(itemPointer, $"'{item.GetString()}' is listed twice");
            }
            else
            {
                epcs.Add((item.GetString()!, itemPointer));
            }
        }

        return epcs;
    }

    private (ImportedEventKind? Kind, string? Uri, CraftStep? Step) ReadBizStep(JsonElement e, string p)
    {
        var value = Member(e, "bizStep");
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            return (null, null, null);
        }

        var pointer = JsonPointer.Append(p, "bizStep");
        if (value.ValueKind != JsonValueKind.String)
        {
            Add(pointer, $"must be a string (a CBV business step or a URI), found {JsonPointer.Describe(value.ValueKind)}");
            return (null, null, null);
        }

        var text = value.GetString()!;
        if (Cbv.BizStep.ToTerm(prefixes.ExpandValue(text)) is { } term)
        {
            if (CbvKinds.TryGetValue(term, out var kind))
            {
                return (kind, Cbv.BizStep.WebPrefix + term, null);
            }

            Add(pointer, $"bizStep '{text}' cannot be imported: {Importable()}");
            return (null, null, null);
        }

        var uri = prefixes.ExpandValue(text);
        if (profile.ParseCraftBizStep(uri) is { } step)
        {
            return (ImportedEventKind.Processing, uri, step);
        }

        Add(pointer, $"unknown bizStep '{text}': {Importable()}");
        return (null, null, null);
    }

    private string Importable() =>
        $"importable business steps are {string.Join(", ", CbvKinds.Keys)} and {profile.VocabularyNamespace}BizStep-"
        + $"{{{string.Join("|", Enum.GetValues<CraftStep>().Select(s => s.Term()))}}}";

    private string? ReadDisposition(JsonElement e, string p, ref ImportedEventKind? kind)
    {
        var value = Member(e, "disposition");
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            return null;
        }

        var pointer = JsonPointer.Append(p, "disposition");
        if (value.ValueKind != JsonValueKind.String)
        {
            Add(pointer, $"must be a string (a CBV disposition or a URI), found {JsonPointer.Describe(value.ValueKind)}");
            return null;
        }

        var text = value.GetString()!;
        var uri = Cbv.Disposition.ToWebUri(prefixes.ExpandValue(text)) ?? prefixes.ExpandValue(text);
        if (!IsAbsoluteUri(uri))
        {
            Add(pointer, $"'{text}' is neither a CBV disposition nor a URI");
            return null;
        }

        kind = Cbv.Disposition.ToTerm(uri) switch
        {
            "stolen" => ImportedEventKind.Flag,
            "recalled" => ImportedEventKind.Revoke,
            _ => kind,
        };
        return uri;
    }

    private string? UriValue(JsonElement value, string pointer) =>
        value.ValueKind == JsonValueKind.String && IsAbsoluteUri(value.GetString()!)
            ? value.GetString()
            : Invalid<string>(pointer, $"{Show(value)} is not a URI");

    private string? RequiredString(JsonElement obj, string parent, string name)
    {
        var value = Member(obj, name);
        var pointer = JsonPointer.Append(parent, name);
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            Add(pointer, "missing (required)");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Add(pointer, $"must be a string, found {JsonPointer.Describe(value.ValueKind)}");
            return null;
        }

        return value.GetString();
    }

    /// <summary>An RFC 3339 date-time with an offset (any number of fractional digits), else null.</summary>
    internal static DateTimeOffset? ParseTimestamp(string text)
    {
        var m = Rfc3339().Match(text);
        if (!m.Success)
        {
            return null;
        }

        var fraction = m.Groups["f"].Success ? "." + (m.Groups["f"].Value + "0000000")[..7] : ".0000000";
        var normalised = m.Groups["dt"].Value + fraction + (m.Groups["z"].Value is "Z" or "z" ? "+00:00" : m.Groups["z"].Value);
        return DateTimeOffset.TryParseExact(normalised, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffzzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : null;
    }

    private static JsonElement Member(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) ? value : default;

    private static bool IsAbsoluteUri(string text) =>
        text.Length > 0 && !text.Any(char.IsWhiteSpace) && Uri.TryCreate(text, UriKind.Absolute, out _);

    private static string Show(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? "'" + value.GetString() + "'"
        : JsonPointer.Describe(value.ValueKind);

    private T? Invalid<T>(string pointer, string message)
        where T : class
    {
        Add(pointer, message);
        return null;
    }

    private Draft? Fail(string pointer, string message) => Invalid<Draft>(pointer, message);

    private void Add(string pointer, string message) => errors.Add(new EpcisImportError(pointer, message));

    [GeneratedRegex(@"^[+-]((0\d|1[0-3]):[0-5]\d|14:00)$")]
    private static partial Regex TimeZoneOffset();

    [GeneratedRegex(@"^(?<dt>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.(?<f>\d+))?(?<z>[Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    [GeneratedRegex("^0x[0-9a-fA-F]{64}$")]
    private static partial Regex Bytes32();
}
