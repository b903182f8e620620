namespace Provenance.Api.Verification;

/// <summary>
/// Everything the public page may show about one piece. Every string here except the enums may come from users
/// (artisans, handlers, certifiers) and is HTML-encoded by the page; it is shown as given, never translated.
/// </summary>
public sealed record PieceVerificationView
{
    /// <summary>The piece code printed on the tag and in the QR (normalised, upper case).</summary>
    public required string Code { get; init; }

    /// <summary>
    /// The craft: a key of the gateway's craft catalogue (<see cref="Products.Crafts"/>; translated and explained on the
    /// page; a variant spelling is resolved to its key); any other value (free text stored before the catalogue) is shown
    /// as given.
    /// </summary>
    public required string Craft { get; init; }

    /// <summary>The piece's title as the artisan or cooperative wrote it.</summary>
    public required string Title { get; init; }

    /// <summary>The description / story: what makes this piece special.</summary>
    public string? Description { get; init; }

    /// <summary>Materials (e.g. "Changthangi pashmina wool", "natural walnut dye").</summary>
    public IReadOnlyList<string> Materials { get; init; } = [];

    /// <summary>Techniques (e.g. "kani tili weaving", "sozni needlework").</summary>
    public IReadOnlyList<string> Techniques { get; init; } = [];

    /// <summary>Dimensions as written (e.g. "200 × 100 cm").</summary>
    public string? Dimensions { get; init; }

    /// <summary>GI certification and lab results, when the piece was certified.</summary>
    public CertificationView? Certification { get; init; }

    /// <summary>Every maker who worked on the piece, already filtered by each artisan's visibility choice.</summary>
    public IReadOnlyList<MakerView> Makers { get; init; } = [];

    /// <summary>Where the piece was made.</summary>
    public required OriginView Origin { get; init; }

    /// <summary>The piece's events in chain order (registration first).</summary>
    public IReadOnlyList<PieceEventView> Events { get; init; } = [];

    /// <summary>Who has held the piece, in order (the registering artisan or cooperative first).</summary>
    public IReadOnlyList<CustodyStepView> Custody { get; init; } = [];

    /// <summary>Whether the artisan confirmed on chain that they were paid, and when.</summary>
    public PaymentView Payment { get; init; } = new(false, null);

    /// <summary>The on-chain status.</summary>
    public required PieceStatus Status { get; init; }

    /// <summary>Why the piece was flagged or revoked (as the certifier wrote it); null otherwise.</summary>
    public string? FlagReason { get; init; }

    /// <summary>When an owner claimed the piece (the confirmed claim's block time); null when not claimed.</summary>
    public DateTimeOffset? ClaimedSince { get; init; }

    /// <summary>Whether every off-chain record still hashes to what the chain holds.</summary>
    public required RecordMatchView RecordMatch { get; init; }

    /// <summary>Where and how to check the piece on chain.</summary>
    public required ChainProofView Proof { get; init; }

    /// <summary>Whether this view was checked against the chain just now or comes from the last good check.</summary>
    public required DataFreshness Freshness { get; init; }

    /// <summary>
    /// Ids of the actors who may print this piece's labels: the artisan or cooperative who registered it, its makers
    /// and its current custodian (an admin may print any piece). Never shown on the page.
    /// </summary>
    public IReadOnlyList<string> LabelPrinters { get; init; } = [];
}

/// <summary>On-chain status of a piece (the contract's status enum).</summary>
public enum PieceStatus
{
    /// <summary>Registered and in the supply chain.</summary>
    Active,

    /// <summary>Sold at retail, not yet claimed by the buyer.</summary>
    Sold,

    /// <summary>Claimed by an owner with the hidden claim code.</summary>
    Claimed,

    /// <summary>Flagged by a certifier (e.g. reported stolen); see the reason.</summary>
    Flagged,

    /// <summary>Revoked by a certifier (e.g. certification withdrawn); see the reason.</summary>
    Revoked,
}

/// <summary>GI certification: label number, who certified, when, and the lab results.</summary>
/// <param name="GiLabelNumber">The GI label number printed on the GI tag (e.g. "JK-PSH-2024-001234").</param>
/// <param name="CertifiedBy">The certifier's display name (e.g. "Craft Development Institute, Srinagar").</param>
/// <param name="CertifiedAt">When the certification was recorded on chain.</param>
/// <param name="LabResults">Each test and its result.</param>
public sealed record CertificationView(
    string? GiLabelNumber,
    string CertifiedBy,
    DateTimeOffset CertifiedAt,
    IReadOnlyList<LabResultView> LabResults);

/// <summary>One lab test: what was tested, the result as written, and whether it passed.</summary>
public sealed record LabResultView(string Test, string Result, bool Passed);

/// <summary>
/// One maker as their own visibility choice allows: name, photo and village are null when the artisan chose not to
/// show them; the cluster is always shown.
/// </summary>
/// <param name="DisplayName">Name, or null (shown as "an artisan of {cluster}").</param>
/// <param name="PhotoUrl">A path on this gateway (e.g. "/media/…"); absolute or off-site URLs are not shown.</param>
/// <param name="Village">Village, or null.</param>
/// <param name="Cluster">Craft cluster / area (e.g. "Kanihama").</param>
/// <param name="Role">Their part in this piece (e.g. "weaving", "embroidery").</param>
public sealed record MakerView(string? DisplayName, string? PhotoUrl, string? Village, string Cluster, string Role);

/// <summary>Where the piece was made.</summary>
/// <param name="Place">Village, town or cluster.</param>
/// <param name="District">District (e.g. "Budgam").</param>
/// <param name="Region">Region (e.g. "Kashmir").</param>
public sealed record OriginView(string Place, string? District, string Region);

/// <summary>Kinds of event the page can name (the contract's event types plus the lifecycle actions).</summary>
public enum PieceEventKind
{
    /// <summary>Registration (EPCIS commissioning).</summary>
    Registered,

    /// <summary>A processing step (see <see cref="PieceEventView.Step"/>).</summary>
    Processing,

    /// <summary>Certification / lab inspection.</summary>
    Certification,

    /// <summary>Custody handed to another holder.</summary>
    Handoff,

    /// <summary>Shipping.</summary>
    Shipping,

    /// <summary>Export.</summary>
    Export,

    /// <summary>Retail sale.</summary>
    Sale,

    /// <summary>The artisan confirmed payment received.</summary>
    PaymentConfirmed,

    /// <summary>A free note.</summary>
    Note,

    /// <summary>Flagged by a certifier.</summary>
    Flagged,

    /// <summary>Revoked by a certifier.</summary>
    Revoked,

    /// <summary>Claimed by an owner.</summary>
    Claimed,
}

/// <summary>One event of the piece's history.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Step">For processing: the step key (spinning, dyeing, weaving, embroidery, washing, finishing) or text.</param>
/// <param name="Time">When (block time of the event).</param>
/// <param name="ActorDisplay">Who did it, as shown publicly.</param>
/// <param name="Notes">Notes written by the actor, or null.</param>
/// <param name="TxHash">The transaction that recorded it (0x…), or null while pending.</param>
/// <param name="BlockNumber">The block, or null while pending.</param>
/// <param name="Verified">True when the off-chain record of this event matches its on-chain hash.</param>
public sealed record PieceEventView(
    PieceEventKind Kind,
    string? Step,
    DateTimeOffset Time,
    string ActorDisplay,
    string? Notes,
    string? TxHash,
    long? BlockNumber,
    bool Verified);

/// <summary>One holder in the custody timeline.</summary>
/// <param name="HolderDisplay">The holder's public name (cooperative, exporter, retailer…).</param>
/// <param name="HolderRole">Their role (e.g. "artisan cooperative", "exporter", "retailer").</param>
/// <param name="Place">Where, when known.</param>
/// <param name="Since">From when they held it.</param>
/// <param name="TxHash">The hand-off transaction, or null for the registration.</param>
public sealed record CustodyStepView(string HolderDisplay, string HolderRole, string? Place, DateTimeOffset Since, string? TxHash);

/// <summary>Whether the artisan confirmed payment on chain, and when.</summary>
public sealed record PaymentView(bool ConfirmedByArtisan, DateTimeOffset? ConfirmedAt);

/// <summary>
/// The result of recomputing every off-chain record's hash (RFC 8785 JCS + keccak256) and comparing it with the
/// chain. A mismatch is shown as tampered, never as authentic.
/// </summary>
/// <param name="AllMatch">True when every record matches.</param>
/// <param name="Mismatched">Which records do not match (e.g. "piece details", "event 3"), as shown to people.</param>
public sealed record RecordMatchView(bool AllMatch, IReadOnlyList<string> Mismatched)
{
    /// <summary>Every record matches.</summary>
    public static RecordMatchView Matching { get; } = new(true, []);
}

/// <summary>Where to check the piece on chain yourself.</summary>
/// <param name="NetworkName">Human name of the network (e.g. "Provenance dev chain (Anvil)").</param>
/// <param name="ChainId">EIP-155 chain id.</param>
/// <param name="ContractAddress">The registry contract (EIP-55 checksummed).</param>
/// <param name="PieceId">The on-chain id: keccak256 of the code, 0x-prefixed.</param>
/// <param name="RegistrationTx">The registration transaction hash.</param>
/// <param name="RegistrationBlock">The registration block.</param>
/// <param name="LatestBlock">The latest block the data was checked against.</param>
/// <param name="ExplorerTxUrl">Optional block-explorer URL template with "{tx}" for the hash; null when none.</param>
public sealed record ChainProofView(
    string NetworkName,
    long ChainId,
    string ContractAddress,
    string PieceId,
    string RegistrationTx,
    long RegistrationBlock,
    long LatestBlock,
    string? ExplorerTxUrl = null);

/// <summary>Live (checked against the chain now) or the last verified data while the chain is unreachable.</summary>
/// <param name="IsLive">False when the chain could not be reached and the data is from the last good check.</param>
/// <param name="LastVerifiedAt">When the data was last checked against the chain.</param>
public sealed record DataFreshness(bool IsLive, DateTimeOffset LastVerifiedAt);
