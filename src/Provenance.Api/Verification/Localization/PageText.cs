namespace Provenance.Api.Verification.Localization;

/// <summary>
/// Every string the public pages show, in one language. Each property is required, so a language that misses a
/// string does not compile; placeholders ({0}) are checked against English by the tests.
/// </summary>
public sealed record PageText
{
    // Shell
    public required string SiteName { get; init; }
    public required string LanguageSwitch { get; init; }
    public required string Footer { get; init; }

    // Verdicts: one title and one explanation per state
    public required string AuthenticTitle { get; init; }
    public required string AuthenticText { get; init; }
    public required string ClaimedTitle { get; init; }
    public required string ClaimedText { get; init; }
    public required string UnknownTitle { get; init; }
    public required string UnknownText { get; init; }
    public required string FlaggedTitle { get; init; }
    public required string FlaggedText { get; init; }
    public required string RevokedTitle { get; init; }
    public required string RevokedText { get; init; }
    public required string NoReasonGiven { get; init; }
    public required string MismatchTitle { get; init; }
    public required string MismatchText { get; init; }
    public required string SuspectedTitle { get; init; }
    public required string SuspectedText { get; init; }
    public required string UnreachableTitle { get; init; }
    public required string UnreachableText { get; init; }
    public required string UnavailableTitle { get; init; }
    public required string UnavailableText { get; init; }
    public required string TooManyTitle { get; init; }
    public required string TooManyText { get; init; }

    // The piece
    public required string CodeLabel { get; init; }
    public required string CraftLabel { get; init; }
    public required string StatusLabel { get; init; }
    public required string SpecialHeading { get; init; }
    public required string MaterialsLabel { get; init; }
    public required string TechniquesLabel { get; init; }
    public required string DimensionsLabel { get; init; }
    public required string MakersHeading { get; init; }
    public required string MakerAnonymous { get; init; }
    public required string MakerRoleLabel { get; init; }
    public required string VillageLabel { get; init; }
    public required string ClusterLabel { get; init; }
    public required string OriginHeading { get; init; }
    public required string CertificationHeading { get; init; }
    public required string GiLabelNumber { get; init; }
    public required string CertifiedBy { get; init; }
    public required string CertifiedOn { get; init; }
    public required string LabResults { get; init; }
    public required string TestPassed { get; init; }
    public required string TestFailed { get; init; }
    public required string NotCertified { get; init; }
    public required string CustodyHeading { get; init; }
    public required string CustodySince { get; init; }
    public required string HistoryHeading { get; init; }
    public required string PendingOnChain { get; init; }
    public required string BlockLabel { get; init; }
    public required string RecordVerified { get; init; }
    public required string RecordNotVerified { get; init; }
    public required string PaymentHeading { get; init; }
    public required string PaymentConfirmed { get; init; }
    public required string PaymentNotConfirmed { get; init; }
    public required string OwnedSince { get; init; }
    public required string ClaimCallToAction { get; init; }
    public required string ClaimLink { get; init; }

    // Proof
    public required string ProofHeading { get; init; }
    public required string NetworkLabel { get; init; }
    public required string ChainIdLabel { get; init; }
    public required string ContractLabel { get; init; }
    public required string PieceIdLabel { get; init; }
    public required string RegistrationTxLabel { get; init; }
    public required string RegistrationBlockLabel { get; init; }
    public required string CheckedAtBlockLabel { get; init; }
    public required string LastVerifiedLabel { get; init; }
    public required string CheckYourselfHeading { get; init; }
    public required string CheckStep1 { get; init; }
    public required string CheckStep2 { get; init; }
    public required string CheckStep3 { get; init; }
    public required string ViewTransaction { get; init; }

    // Unknown code: look-up form
    public required string LookupHeading { get; init; }
    public required string LookupLabel { get; init; }
    public required string LookupButton { get; init; }
    public required string LookupHint { get; init; }

    // Claim page
    public required string ClaimHeading { get; init; }
    public required string ClaimIntro { get; init; }
    public required string ClaimCodeLabel { get; init; }
    public required string ClaimButton { get; init; }
    public required string ClaimBack { get; init; }
    public required string ClaimEmpty { get; init; }
    public required string ClaimFormExpired { get; init; }
    public required IReadOnlyDictionary<ClaimOutcome, string> ClaimOutcomes { get; init; }
    public required string OwnerAccountLabel { get; init; }
    public required string OwnerKeyLabel { get; init; }
    public required string OwnerKeyWarning { get; init; }

    // Label sheet
    public required string LabelsTitle { get; init; }
    public required string LabelsIntro { get; init; }
    public required string LabelsPrintHint { get; init; }
    public required string LabelScan { get; init; }
    public required string LabelMadeBy { get; init; }

    // Vocabularies
    public required IReadOnlyDictionary<string, CraftText> Crafts { get; init; }
    public required IReadOnlyDictionary<PieceEventKind, string> EventKinds { get; init; }
    public required IReadOnlyDictionary<string, string> Steps { get; init; }
    public required IReadOnlyDictionary<PieceStatus, string> Statuses { get; init; }

    /// <summary>The craft's name in this language, or the craft as given when it is not a known craft.</summary>
    public string CraftName(string craft) => Craft(craft)?.Name ?? craft;

    /// <summary>
    /// The craft's name and what makes it special, when it is a craft of the catalogue (<see cref="Products.Crafts"/>:
    /// a key or a variant spelling).
    /// </summary>
    public CraftText? Craft(string craft) => Products.Crafts.Resolve(craft) is { } key ? Crafts[key] : null;

    /// <summary>A processing step or maker role in this language, or the value as given.</summary>
    public string Step(string? step) =>
        step is null ? string.Empty : Steps.TryGetValue(step.Trim().ToLowerInvariant(), out var known) ? known : step;
}

/// <summary>A craft's name and what makes it special, in one language.</summary>
public sealed record CraftText(string Name, string Special);
