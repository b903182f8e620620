namespace Provenance.Api.Verification;

/// <summary>What the page tells the visitor first; each has its own colour, icon and words.</summary>
public enum VerificationState
{
    /// <summary>Registered, every record matches, nothing unusual.</summary>
    Authentic,

    /// <summary>Authentic and claimed by an owner (since when).</summary>
    Claimed,

    /// <summary>No piece has this code (404).</summary>
    Unknown,

    /// <summary>Flagged or revoked by a certifier (with the reason).</summary>
    FlaggedOrRevoked,

    /// <summary>An off-chain record no longer matches its on-chain hash.</summary>
    RecordMismatch,

    /// <summary>Scan signals suggest the tag was copied.</summary>
    SuspectedCopy,

    /// <summary>The chain is unreachable; the data shown is the last verified.</summary>
    ChainUnreachable,
}

/// <summary>Chooses the page state from a view and the scan signals: the most serious condition wins.</summary>
public static class VerificationStates
{
    /// <summary>
    /// Flagged/revoked, then record mismatch, then suspected copy, then chain unreachable, then claimed, then
    /// authentic. A weaker condition that also holds is still shown in the page's details.
    /// </summary>
    public static VerificationState Of(PieceVerificationView? view, bool suspectedCopy) => view switch
    {
        null => VerificationState.Unknown,
        { Status: PieceStatus.Flagged or PieceStatus.Revoked } => VerificationState.FlaggedOrRevoked,
        { RecordMatch.AllMatch: false } => VerificationState.RecordMismatch,
        _ when suspectedCopy => VerificationState.SuspectedCopy,
        { Freshness.IsLive: false } => VerificationState.ChainUnreachable,
        { Status: PieceStatus.Claimed } => VerificationState.Claimed,
        _ => VerificationState.Authentic,
    };

    /// <summary>The CSS class / test hook of a state.</summary>
    public static string CssName(this VerificationState state) => state switch
    {
        VerificationState.Authentic => "authentic",
        VerificationState.Claimed => "claimed",
        VerificationState.Unknown => "unknown",
        VerificationState.FlaggedOrRevoked => "flagged",
        VerificationState.RecordMismatch => "mismatch",
        VerificationState.SuspectedCopy => "suspected",
        VerificationState.ChainUnreachable => "unreachable",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };
}
