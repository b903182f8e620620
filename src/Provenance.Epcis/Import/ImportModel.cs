using Provenance.Epcis.Export;
using Provenance.Epcis.Vocabulary;

namespace Provenance.Epcis.Import;

/// <summary>What an imported EPCIS event means for a piece's history.</summary>
public enum ImportedEventKind
{
    /// <summary>bizStep commissioning (action ADD).</summary>
    Registration,

    /// <summary>bizStep shipping.</summary>
    Shipping,

    /// <summary>bizStep receiving.</summary>
    Receiving,

    /// <summary>bizStep inspecting, with certificationInfo.</summary>
    Certification,

    /// <summary>One of our craft business steps.</summary>
    Processing,

    /// <summary>bizStep retail_selling.</summary>
    Sale,

    /// <summary>disposition stolen.</summary>
    Flag,

    /// <summary>disposition recalled.</summary>
    Revoke,
}

/// <summary>A source or destination of an event (EPCIS 2.0 §7.3.5.4): its CBV type URI and the party or place.</summary>
/// <param name="Type">The type as a web URI, e.g. <c>https://ref.gs1.org/cbv/SDT-possessing_party</c>.</param>
/// <param name="Id">The party or location URI.</param>
public sealed record PartyReference(string Type, string Id)
{
    /// <summary>True for a possessing_party entry.</summary>
    public bool IsPossessingParty => Type == Cbv.SourceDestinationType.WebPrefix + "possessing_party";

    /// <summary>True for an owning_party entry.</summary>
    public bool IsOwningParty => Type == Cbv.SourceDestinationType.WebPrefix + "owning_party";
}

/// <summary>One accepted ObjectEvent of an imported document, in domain terms.</summary>
public sealed record ImportedEvent
{
    /// <summary>JSON Pointer of the event in the document, e.g. <c>/epcisBody/eventList/3</c>.</summary>
    public required string Pointer { get; init; }

    /// <summary>What the event means.</summary>
    public required ImportedEventKind Kind { get; init; }

    /// <summary>Codes of the pieces it names (epcList order), as the resolver mapped them.</summary>
    public required IReadOnlyList<string> PieceCodes { get; init; }

    /// <summary>When it happened, with the offset as written.</summary>
    public required DateTimeOffset EventTime { get; init; }

    /// <summary>eventTimeZoneOffset as written, e.g. <c>+05:30</c>.</summary>
    public required string EventTimeZoneOffset { get; init; }

    /// <summary>OBSERVE or ADD.</summary>
    public required string Action { get; init; }

    /// <summary>The business step as a URI (CBV web URI or ours), or null for a flag/revoke without one.</summary>
    public string? BizStep { get; init; }

    /// <summary>The disposition as a URI, if any.</summary>
    public string? Disposition { get; init; }

    /// <summary>The craft step of a <see cref="ImportedEventKind.Processing"/> event.</summary>
    public CraftStep? Step { get; init; }

    /// <summary>certificationInfo URIs (non-empty for a certification).</summary>
    public IReadOnlyList<string> CertificationInfo { get; init; } = [];

    /// <summary>sourceList entries.</summary>
    public IReadOnlyList<PartyReference> Sources { get; init; } = [];

    /// <summary>destinationList entries.</summary>
    public IReadOnlyList<PartyReference> Destinations { get; init; } = [];

    /// <summary>readPoint id, if any.</summary>
    public string? ReadPoint { get; init; }

    /// <summary>bizLocation id, if any.</summary>
    public string? BizLocation { get; init; }

    /// <summary>The eventID the document states, if any (any URI; not necessarily a hash ID).</summary>
    public string? StatedEventId { get; init; }

    /// <summary>The CBV 2.0 event hash ID computed from the event's content.</summary>
    public required string EventHashId { get; init; }

    /// <summary><c>prov:actor</c> when the document carries our extension.</summary>
    public string? Actor { get; init; }

    /// <summary><c>prov:recordHash</c> when the document carries our extension.</summary>
    public string? RecordHash { get; init; }

    /// <summary><c>prov:onChain</c> when the event was exported by a Provenance gateway (already on chain).</summary>
    public ChainReference? Chain { get; init; }
}

/// <summary>A reason a document was rejected, at a place in it.</summary>
/// <param name="Pointer">JSON Pointer (RFC 6901) of the offending value, or of the object lacking a member
/// (<c>""</c> for the whole document).</param>
/// <param name="Message">What is wrong, naming the member and value.</param>
public sealed record EpcisImportError(string Pointer, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Pointer}: {Message}";
}

/// <summary>Either every event of a document, or every reason it was rejected — never both.</summary>
public sealed record EpcisImportResult
{
    private EpcisImportResult(IReadOnlyList<ImportedEvent> events, IReadOnlyList<EpcisImportError> errors)
    {
        Events = events;
        Errors = errors;
    }

    /// <summary>The accepted events in document order (empty when rejected).</summary>
    public IReadOnlyList<ImportedEvent> Events { get; }

    /// <summary>The reasons for rejection (empty when accepted).</summary>
    public IReadOnlyList<EpcisImportError> Errors { get; }

    /// <summary>True when the document was accepted.</summary>
    public bool Succeeded => Errors.Count == 0;

    internal static EpcisImportResult Accepted(IReadOnlyList<ImportedEvent> events) => new(events, []);

    internal static EpcisImportResult Rejected(IReadOnlyList<EpcisImportError> errors) => new([], errors);

    internal static EpcisImportResult Rejected(string pointer, string message) => new([], [new EpcisImportError(pointer, message)]);
}

/// <summary>Tells which EPCs name pieces we know.</summary>
public interface IPieceResolver
{
    /// <summary>For each of <paramref name="epcs"/> that names a known piece, its piece code; unknown EPCs are absent.</summary>
    ValueTask<IReadOnlyDictionary<string, string>> ResolveAsync(IReadOnlyCollection<string> epcs, CancellationToken cancellationToken);
}

/// <summary>Limits and checks of <see cref="EpcisImporter"/>.</summary>
public sealed record EpcisImportOptions
{
    /// <summary>Most events one document may hold (default 10,000).</summary>
    public int MaxEvents { get; init; } = 10_000;

    /// <summary>Most EPCs one event may name (default 1,000).</summary>
    public int MaxEpcsPerEvent { get; init; } = 1_000;

    /// <summary>
    /// Reject an event whose stated eventID is a CBV 2.0 hash ID that differs from its content's hash (default
    /// false: GS1's own examples state placeholder hash IDs).
    /// </summary>
    public bool VerifyStatedHashIds { get; init; }
}
