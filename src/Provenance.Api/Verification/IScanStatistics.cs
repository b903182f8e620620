namespace Provenance.Api.Verification;

/// <summary>
/// Per-piece scan statistics and suspected-copy marks, for auditors (the Audit feature calls this). Scans are
/// counted by the verification page without raw IP addresses: clients are identified only by a salted hash whose
/// salt rotates and is never stored.
/// </summary>
public interface IScanStatistics
{
    /// <summary>Scan statistics for one piece (zero counts when it was never scanned).</summary>
    Task<PieceScanStatistics> GetAsync(string code, CancellationToken cancellationToken);

    /// <summary>Pieces currently marked "suspected copy", most recent first.</summary>
    Task<IReadOnlyList<SuspectedCopyMark>> ListSuspectedAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Removes a piece's mark after an auditor checked it (false when it had none).</summary>
    Task<bool> ClearSuspectedAsync(string code, CancellationToken cancellationToken);
}

/// <summary>How often and from how many distinct clients and places a piece's page was opened.</summary>
/// <param name="Code">The piece code.</param>
/// <param name="TotalScans">All page views ever counted.</param>
/// <param name="FirstScanAt">First counted view, or null.</param>
/// <param name="LastScanAt">Last counted view, or null.</param>
/// <param name="Daily">Per UTC day (most recent first, at most 30 days): views and distinct clients/places.</param>
/// <param name="Suspected">The suspected-copy mark, or null.</param>
public sealed record PieceScanStatistics(
    string Code,
    long TotalScans,
    DateTimeOffset? FirstScanAt,
    DateTimeOffset? LastScanAt,
    IReadOnlyList<DailyScanCount> Daily,
    SuspectedCopyMark? Suspected);

/// <summary>Views of one piece on one UTC day.</summary>
/// <param name="Day">The UTC day.</param>
/// <param name="Scans">Views counted.</param>
/// <param name="DistinctClients">Distinct client hashes (within each salt period; summed over periods).</param>
/// <param name="DistinctPlaces">Distinct network-area hashes (within each salt period; summed over periods).</param>
public sealed record DailyScanCount(DateOnly Day, long Scans, int DistinctClients, int DistinctPlaces);

/// <summary>Why and since when a piece is marked "suspected copy".</summary>
/// <param name="Code">The piece code.</param>
/// <param name="Since">When the mark was set.</param>
/// <param name="Reason">Which rule set it.</param>
/// <param name="Detail">The figures that crossed the threshold, for auditors.</param>
public sealed record SuspectedCopyMark(string Code, DateTimeOffset Since, SuspicionReason Reason, string Detail);

/// <summary>The scan patterns that mark a piece "suspected copy".</summary>
public enum SuspicionReason
{
    /// <summary>A claimed piece was scanned by many distinct clients within one salt period.</summary>
    ClaimedScannedByManyClients,

    /// <summary>A burst: scans from many distinct network areas within a short window.</summary>
    BurstFromManyPlaces,
}
