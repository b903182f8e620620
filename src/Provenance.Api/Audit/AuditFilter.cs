using System.Globalization;
using Dapper;
using Provenance.Api.Chain;
using Provenance.Api.Hosting;

namespace Provenance.Api.Audit;

/// <summary>
/// The filters of the audit queries, bound from the query string. Every filter narrows; all are optional.
/// <list type="bullet">
/// <item><c>piece</c>: a piece code.</item>
/// <item><c>artisan</c>: an actor id — pieces the artisan registered or is named as a maker of (events: all events of them).</item>
/// <item><c>handler</c>: an actor id — events where the handler is actor or counterparty (pieces: those with such an event).</item>
/// <item><c>certifier</c>: an actor id — events the certifier made (pieces: those with such an event).</item>
/// <item><c>craft</c>, <c>cluster</c>: the piece record's craft (a catalogue key or variant); the registering artisan's cluster.</item>
/// <item><c>type</c>: event kinds, comma-separated (Registration, Processing, …, Claim; any case).</item>
/// <item><c>status</c>: the piece's current on-chain status (Active, Sold, Claimed, Flagged, Revoked).</item>
/// <item><c>from</c>, <c>to</c>: ISO 8601 instants, inclusive, compared with block time (events: the event's block;
/// pieces: the registration's block).</item>
/// </list>
/// </summary>
public sealed class AuditFilter
{
    /// <summary>Piece code.</summary>
    public string? Piece { get; init; }

    /// <summary>Artisan actor id.</summary>
    public string? Artisan { get; init; }

    /// <summary>Handler actor id.</summary>
    public string? Handler { get; init; }

    /// <summary>Certifier actor id.</summary>
    public string? Certifier { get; init; }

    /// <summary>Craft: a key of the craft catalogue or a variant of one (matches every stored spelling of it).</summary>
    public string? Craft { get; init; }

    /// <summary>Cluster of the registering artisan.</summary>
    public string? Cluster { get; init; }

    /// <summary>Event kinds, comma-separated.</summary>
    public string? Type { get; init; }

    /// <summary>Current piece status.</summary>
    public string? Status { get; init; }

    /// <summary>Earliest block time (inclusive).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Latest block time (inclusive).</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Page size.</summary>
    public int? Limit { get; init; }

    /// <summary>The <c>nextCursor</c> of the previous page.</summary>
    public string? Cursor { get; init; }
}

/// <summary>A filter turned into SQL conditions and parameters (validated; unknown names are 400s, unknown actors 404s).</summary>
internal sealed class FilterSql
{
    public List<string> Where { get; } = [];

    public DynamicParameters Parameters { get; } = new();

    /// <summary>True when the filter can match nothing (e.g. a time range without blocks).</summary>
    public bool Empty { get; set; }

    /// <summary>True when a selective term drives the query (looked up by index); false when the listing's order does.</summary>
    public bool Driven { get; set; }

    /// <summary>The first block of a time range (the first page starts there), or null.</summary>
    public long? FromBlock { get; set; }

    public static IReadOnlyList<string> Kinds(string? type)
    {
        if (string.IsNullOrWhiteSpace(type))
        {
            return [];
        }

        return type.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(t =>
            Enum.TryParse<EventKind>(t, ignoreCase: true, out var k) && Enum.IsDefined(k) && !int.TryParse(t, out _)
                ? k.ToString()
                : throw ApiProblemException.BadRequest(
                    $"type '{t}' is not an event kind; use {string.Join(", ", Enum.GetNames<EventKind>())}.")).Distinct().ToArray();
    }

    public static string? StatusName(string? status)
    {
        if (string.IsNullOrWhiteSpace(status))
        {
            return null;
        }

        return Enum.TryParse<PieceStatus>(status, ignoreCase: true, out var s) && s != PieceStatus.None && !int.TryParse(status, out _)
            ? s.ToString()
            : throw ApiProblemException.BadRequest($"status '{status}' is not a piece status; use Active, Sold, Claimed, Flagged or Revoked.");
    }

    public string Sql(string prefix) => Where.Count == 0 ? "" : prefix + string.Join(" AND ", Where);
}

/// <summary>
/// One filter as SQL: <see cref="Indexed"/> (may be looked up through an index: drives the query),
/// <see cref="Scanned"/> (the same condition, checked row by row as the listing is read in its own order), and
/// <see cref="Count"/>, a query whose rows are the matches (null: it matches one piece at most). <see cref="Pieces"/>:
/// its matches are pieces (else events). <see cref="Ordered"/>: <see cref="Indexed"/> is one range of an index whose key
/// continues in chain order (value, block_number, log_index), so it drives a page without sorting its matches.
/// </summary>
internal sealed record FilterTerm(string Indexed, string Scanned, string? Count, bool Pieces, bool Ordered = false);
