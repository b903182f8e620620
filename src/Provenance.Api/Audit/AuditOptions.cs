using System.ComponentModel.DataAnnotations;

namespace Provenance.Api.Audit;

/// <summary>The audit feature's settings (section <c>Audit</c>).</summary>
public sealed class AuditOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Audit";

    /// <summary>Items per page when the query names no limit.</summary>
    [Range(1, 1000)]
    public int DefaultPageSize { get; set; } = 100;

    /// <summary>Most items one page may hold.</summary>
    [Range(1, 10_000)]
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>UTC offset written as eventTimeZoneOffset in EPCIS exports (Kashmir: India Standard Time).</summary>
    [RegularExpression(@"^[+-](0\d|1[0-4]):[0-5]\d$", ErrorMessage = "Audit:EventTimeZoneOffset must look like +05:30")]
    public string EventTimeZoneOffset { get; set; } = "+05:30";

    /// <summary>Concurrent <c>piece(id)</c> reads during an integrity check.</summary>
    [Range(1, 64)]
    public int IntegrityParallelism { get; set; } = 8;

    /// <summary>
    /// Scales √(page × rows): the most rows a query filter may match and still be looked up through its index (then
    /// sorted); a filter matching more is checked row by row as the listing is read in chain order. 0 always reads in
    /// chain order; a very large value always looks up. Only the plan changes, never the result.
    /// </summary>
    [Range(0.0, 1e9)]
    public double IndexedLookupFactor { get; set; } = 1.0;

    /// <summary>Largest EPCIS document accepted for import, in bytes.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxImportBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>The offset as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan Offset => TimeSpan.Parse(EventTimeZoneOffset.TrimStart('+'), System.Globalization.CultureInfo.InvariantCulture) *
                              (EventTimeZoneOffset.StartsWith('-') ? -1 : 1);
}
