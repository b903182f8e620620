using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Provenance.Api.Actors;
using Provenance.Api.Data;
using Provenance.Api.Hosting;
using Provenance.Api.Products;

namespace Provenance.Api.Audit;

/// <summary>
/// The audit queries over the indexed history: filtered, in chain order (block, log index), keyset-paged so a page
/// costs the same wherever it starts.
/// </summary>
public sealed class AuditStore(Db db, ActorStore actors, IOptions<AuditOptions> options)
{
    private const string EventColumns =
        "e.block_number AS BlockNumber, e.log_index AS LogIndex, e.block_hash AS BlockHash, e.tx_hash AS TransactionHash, " +
        "e.piece_id AS PieceId, p.code AS PieceCode, e.seq AS Seq, e.kind AS Kind, e.actor AS Actor, a.id AS ActorId, " +
        "e.counterparty AS Counterparty, cp.id AS CounterpartyId, e.record_hash AS RecordHash, " +
        "json_extract(e.args_json, '$.head') AS Head, e.block_time AS Timestamp";

    private const string EventJoins =
        "LEFT JOIN pieces p ON p.piece_id = e.piece_id LEFT JOIN piece_state s ON s.piece_id = e.piece_id " +
        "LEFT JOIN actors a ON a.address = e.actor LEFT JOIN actors cp ON cp.address = e.counterparty";

    private const string PieceColumns =
        "r.piece_id AS PieceId, p.code AS Code, s.status AS Status, s.artisan AS Artisan, aa.id AS ArtisanId, s.custodian AS Custodian, " +
        "ca.id AS CustodianId, s.owner AS Owner, s.event_count AS EventCount, s.head AS Head, s.block_number AS StateBlock, " +
        "json_extract(pr.json, '$.craft') AS Craft, json_extract(ra.profile_json, '$.cluster') AS Cluster, " +
        "r.block_number AS RegisteredBlock, r.log_index AS LogIndex, r.tx_hash AS RegistrationTransaction, r.block_time AS Timestamp";

    private const string PieceJoins =
        "JOIN piece_state s ON s.piece_id = r.piece_id LEFT JOIN pieces p ON p.piece_id = r.piece_id " +
        "LEFT JOIN records pr ON pr.piece_code = p.code AND pr.kind = 'piece' LEFT JOIN actors ra ON ra.id = p.registrant_id " +
        "LEFT JOIN actors aa ON aa.address = s.artisan LEFT JOIN actors ca ON ca.address = s.custodian";

    // The unary + keeps a condition from choosing an index (SQLite): the listing's own order drives the query unless
    // FilterSql picked a selective term to drive it.
    private static readonly Listing Events = new("e", EventColumns, EventJoins, "chain_events e", "+e.piece_id IS NOT NULL", "+e.piece_id IS NOT NULL");
    private static readonly Listing Pieces = new("r", PieceColumns, PieceJoins, "chain_events r JOIN piece_state s ON s.piece_id = r.piece_id",
        "r.kind = 'Registration'", "+r.kind = 'Registration'");

    /// <summary>
    /// A listing: its chain-event alias (events <c>e</c>, registrations <c>r</c>); the columns of an item and the joins
    /// they need; the tables a page's keys are chosen from; and its condition when it is read in its own order
    /// (<see cref="Where"/>) or driven by a selective filter (<see cref="DrivenWhere"/>).
    /// </summary>
    private sealed record Listing(string Alias, string Columns, string Joins, string KeyFrom, string Where, string DrivenWhere)
    {
        public bool Events => Alias == "e";
    }

    /// <summary>
    /// A row of the events query. A class, not a positional record: on a page with no rows Dapper builds its mapper from
    /// the declared column types, and an expression column (the head) has none (it reads as a BLOB), which only
    /// properties tolerate — a positional record made every empty events page a 500.
    /// </summary>
    internal sealed class EventRow
    {
        public long BlockNumber { get; init; }
        public long LogIndex { get; init; }
        public required string BlockHash { get; init; }
        public required string TransactionHash { get; init; }
        public required string PieceId { get; init; }
        public string? PieceCode { get; init; }
        public long Seq { get; init; }
        public required string Kind { get; init; }
        public required string Actor { get; init; }
        public string? ActorId { get; init; }
        public string? Counterparty { get; init; }
        public string? CounterpartyId { get; init; }
        public string? RecordHash { get; init; }
        public required string Head { get; init; }
        public long? Timestamp { get; init; }

        public AuditEvent ToEvent() => new(BlockNumber, LogIndex, BlockHash, TransactionHash, PieceId, PieceCode, Seq, Kind, Actor,
            ActorId, Counterparty, CounterpartyId, RecordHash, Head, Timestamp is { } ts ? DateTimeOffset.FromUnixTimeSeconds(ts) : null);
    }

    // A class, not a positional record: Dapper maps a NULL expression column (craft, cluster) only onto properties.
    private sealed class PieceRow
    {
        public required string PieceId { get; init; }
        public string? Code { get; init; }
        public required string Status { get; init; }
        public required string Artisan { get; init; }
        public string? ArtisanId { get; init; }
        public required string Custodian { get; init; }
        public string? CustodianId { get; init; }
        public string? Owner { get; init; }
        public long EventCount { get; init; }
        public required string Head { get; init; }
        public long StateBlock { get; init; }
        public string? Craft { get; init; }
        public string? Cluster { get; init; }
        public long RegisteredBlock { get; init; }
        public long LogIndex { get; init; }
        public required string RegistrationTransaction { get; init; }
        public long? Timestamp { get; init; }

        public AuditPiece ToPiece() => new(PieceId, Code, Status, Artisan, ArtisanId, Custodian, CustodianId, Owner, EventCount, Head,
            StateBlock, Crafts.Label(Craft), Cluster, RegisteredBlock, RegistrationTransaction,
            Timestamp is { } ts ? DateTimeOffset.FromUnixTimeSeconds(ts) : null);
    }

    /// <summary>One page of history events matching <paramref name="filter"/>.</summary>
    public Task<AuditPage<AuditEvent>> EventsAsync(AuditFilter filter, CancellationToken ct) =>
        PageAsync<EventRow, AuditEvent>(filter, Events, r => new AuditCursor(r.BlockNumber, r.LogIndex), r => r.ToEvent(), ct);

    /// <summary>One page of pieces matching <paramref name="filter"/>, in order of registration.</summary>
    public Task<AuditPage<AuditPiece>> PiecesAsync(AuditFilter filter, CancellationToken ct) =>
        PageAsync<PieceRow, AuditPiece>(filter, Pieces, r => new AuditCursor(r.RegisteredBlock, r.LogIndex), r => r.ToPiece(), ct);

    private async Task<AuditPage<T>> PageAsync<TRow, T>(
        AuditFilter filter, Listing listing, Func<TRow, AuditCursor> position, Func<TRow, T> item, CancellationToken ct)
    {
        var limit = PageSize(filter.Limit);
        var cursor = AuditCursor.Parse(filter.Cursor);
        await using var c = await db.OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: true); // a read snapshot (WAL): no write lock
        var indexed = await IndexedBlockAsync(c, tx, ct);
        var sql = await BuildAsync(c, tx, filter, listing.Events, limit, ct);
        if (sql.Empty)
        {
            return new AuditPage<T>([], null, indexed);
        }

        var rows = (await QueryAsync<TRow>(c, tx, listing, sql, cursor, limit + 1, ct)).ToList();
        var next = rows.Count > limit ? position(rows[limit - 1]).Encode() : null;
        return new AuditPage<T>(rows.Take(limit).Select(item).ToArray(), next, indexed);
    }

    /// <summary>Validates <paramref name="filter"/> (400/404 problems) before a streamed export starts writing.</summary>
    public async Task CheckAsync(AuditFilter filter, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: true); // a read snapshot (WAL): no write lock
        await BuildAsync(c, tx, filter, events: true, ExportPage, ct);
    }

    /// <summary>Every event matching <paramref name="filter"/> (cursor and limit ignored), read page by page for exports.</summary>
    internal async IAsyncEnumerable<EventRow> StreamEventsAsync(AuditFilter filter, [EnumeratorCancellation] CancellationToken ct)
    {
        var cursor = AuditCursor.Start;
        FilterSql? sql = null;
        while (true)
        {
            List<EventRow> rows;
            await using (var c = await db.OpenAsync(ct))
            await using (var tx = c.BeginTransaction(deferred: true))
            {
                sql ??= await BuildAsync(c, tx, filter, events: true, ExportPage, ct);
                if (sql.Empty)
                {
                    yield break;
                }

                rows = (await QueryAsync<EventRow>(c, tx, Events, sql, cursor, ExportPage, ct)).ToList();
            }

            foreach (var row in rows)
            {
                yield return row;
            }

            if (rows.Count < ExportPage)
            {
                yield break;
            }

            cursor = new AuditCursor(rows[^1].BlockNumber, rows[^1].LogIndex);
        }
    }

    // The keyset query both listings share: rows of the listing's alias strictly after the cursor, in chain order. The
    // page's keys are chosen first from the chain events alone (and the filters), then only those rows are joined to
    // their pieces, parties and records: a filter driven through its index sorts its matches' keys, not joined rows.
    private static Task<IEnumerable<TRow>> QueryAsync<TRow>(
        SqliteConnection c, System.Data.Common.DbTransaction tx, Listing listing, FilterSql sql, AuditCursor cursor, int limit, CancellationToken ct)
    {
        var parameters = new DynamicParameters(sql.Parameters);
        // A page starts at the cursor or at the time range's first block, whichever is later: the key range read starts
        // there (the condition on block_number alone does not move the start of a (block_number, log_index) range).
        if (sql.FromBlock is { } fromBlock && cursor.Block < fromBlock)
        {
            cursor = new AuditCursor(fromBlock, -1);
        }

        parameters.Add("cb", cursor.Block);
        parameters.Add("cl", cursor.LogIndex);
        parameters.Add("limit", limit);
        var a = listing.Alias;
        var keys = $"SELECT {a}.rowid FROM {listing.KeyFrom} WHERE {(sql.Driven ? listing.DrivenWhere : listing.Where)} " +
                   $"AND ({a}.block_number, {a}.log_index) > (@cb, @cl){sql.Sql(" AND ")} ORDER BY {a}.block_number, {a}.log_index LIMIT @limit";
        return c.QueryAsync<TRow>(new CommandDefinition(
            $"SELECT {listing.Columns} FROM chain_events {a} {listing.Joins} WHERE {a}.rowid IN ({keys}) ORDER BY {a}.block_number, {a}.log_index",
            parameters, tx, cancellationToken: ct));
    }

    internal static async Task<long> IndexedBlockAsync(SqliteConnection c, System.Data.Common.DbTransaction? tx, CancellationToken ct) =>
        await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT block_number FROM index_cursor WHERE id = 1", transaction: tx, cancellationToken: ct)) ?? 0;

    private int PageSize(int? limit)
    {
        var o = options.Value;
        return limit switch
        {
            null => o.DefaultPageSize,
            < 1 => throw ApiProblemException.BadRequest($"limit must be between 1 and {o.MaxPageSize}."),
            var l when l > o.MaxPageSize => throw ApiProblemException.BadRequest($"limit must be between 1 and {o.MaxPageSize}."),
            var l => l.Value,
        };
    }

    private const int ExportPage = 1000;

    /// <summary>
    /// Turns the filter into conditions on the event alias e (events) or the registration alias r (pieces). Each filter
    /// is a <see cref="FilterTerm"/> with two equivalent forms: an indexed one (the matching rows are looked up through
    /// an index, then sorted into chain order) and a scanned one (checked row by row, correlated, while the listing is
    /// read in its own order from the cursor until the page is full). The first costs about the number of matches; the
    /// second about page size × rows / matches. So a term matching fewer than √(page × rows) listing rows drives the
    /// query (the most selective one, counted with a bounded query), and every other term is checked as the rows go
    /// by; when none is that selective, the chain order drives. Either way a page costs at most about √(page × rows)
    /// row visits instead of every match (a craft's 200,000 events sorted for each page of 100).
    /// </summary>
    private async Task<FilterSql> BuildAsync(
        SqliteConnection c, System.Data.Common.DbTransaction tx, AuditFilter f, bool events, int limit, CancellationToken ct)
    {
        var sql = new FilterSql();
        var x = events ? "e" : "r";
        var terms = new List<FilterTerm>();
        if (f.Piece is { } piece)
        {
            var code = PieceCode.Normalize(piece) ?? throw ApiProblemException.BadRequest($"piece '{piece}' is not a piece code.");
            sql.Parameters.Add("pieceId", PieceRegistrar.PieceId(code));
            terms.Add(new FilterTerm($"{x}.piece_id = @pieceId", $"+{x}.piece_id = @pieceId", null, Pieces: true));
        }

        if (f.Artisan is { } artisanId)
        {
            var artisan = await ActorAsync(artisanId, "artisan", ct);
            sql.Parameters.Add("artisanAddress", artisan.Address);
            // The artisan's pieces: those whose artisan on chain (each event's artisan column) is theirs — one range of the
            // artisan index — and those they make with another artisan (chain_co_makers, from the registrations' makers on
            // chain; one seek shows whether there are any). The gateway registers a piece with its registrant's address, so
            // the registrant's pieces are among the first.
            const string others = "SELECT piece_id FROM chain_co_makers WHERE address = @artisanAddress";
            var coMaker = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                $"SELECT 1 FROM chain_co_makers WHERE address = @artisanAddress LIMIT 1", sql.Parameters, tx, cancellationToken: ct)) is not null;
            const string own = "SELECT piece_id FROM chain_events WHERE artisan = @artisanAddress AND +kind = 'Registration'";
            terms.Add(coMaker
                ? new FilterTerm($"({x}.artisan = @artisanAddress OR {x}.piece_id IN ({others}))",
                    $"(+{x}.artisan = @artisanAddress OR +{x}.piece_id IN ({others}))", $"{own} UNION {others}", Pieces: true)
                : new FilterTerm($"{x}.artisan = @artisanAddress", $"+{x}.artisan = @artisanAddress", own, Pieces: true, Ordered: true));
        }

        if (f.Handler is { } handlerId)
        {
            var handler = await ActorAsync(handlerId, "handler", ct);
            sql.Parameters.Add("handler", handler.Address);
            const string matches = "SELECT piece_id FROM chain_events WHERE actor = @handler UNION ALL SELECT piece_id FROM chain_events WHERE counterparty = @handler";
            terms.Add(EventTerm(events, (a, plus) => $"({plus}{a}.actor = @handler OR {plus}{a}.counterparty = @handler)", matches));
        }

        if (f.Certifier is { } certifierId)
        {
            var certifier = await ActorAsync(certifierId, "certifier", ct);
            sql.Parameters.Add("certifier", certifier.Address);
            const string matches = "SELECT piece_id FROM chain_events WHERE actor = @certifier";
            terms.Add(EventTerm(events, (a, plus) => $"{plus}{a}.actor = @certifier", matches));
        }

        if (!string.IsNullOrWhiteSpace(f.Craft))
        {
            // A catalogue key or variant matches every stored spelling of that craft (free text from before the catalogue);
            // each event carries its piece's stored spelling (craft column). One spelling is one range of the craft index.
            var crafts = await CraftSpellings.OfAsync(c, tx, f.Craft, ct);
            sql.Parameters.Add("crafts", crafts);
            const string matches = "SELECT piece_id FROM chain_events WHERE craft IN @crafts AND +kind = 'Registration'";
            terms.Add(new FilterTerm($"{x}.craft IN @crafts", $"+{x}.craft IN @crafts", matches, Pieces: true, Ordered: crafts.Count == 1));
        }

        if (!string.IsNullOrWhiteSpace(f.Cluster))
        {
            sql.Parameters.Add("cluster", f.Cluster.Trim());
            const string matches = "SELECT piece_id FROM chain_events WHERE cluster = @cluster AND +kind = 'Registration'";
            terms.Add(new FilterTerm($"{x}.cluster = @cluster", $"+{x}.cluster = @cluster", matches, Pieces: true, Ordered: true));
        }

        if (FilterSql.Kinds(f.Type) is { Count: > 0 } kinds)
        {
            sql.Parameters.Add("kinds", kinds);
            const string matches = "SELECT piece_id FROM chain_events WHERE kind IN @kinds";
            // One kind on the events listing is one range of the kind index (kind, block_number, log_index).
            terms.Add(EventTerm(events, (a, plus) => $"{plus}{a}.kind IN @kinds", matches) with { Ordered = events && kinds.Count == 1 });
        }

        if (FilterSql.StatusName(f.Status) is { } status)
        {
            sql.Parameters.Add("status", status);
            const string set = "SELECT piece_id FROM piece_state WHERE status = @status";
            terms.Add(new FilterTerm($"{x}.piece_id IN ({set})",
                $"EXISTS (SELECT 1 FROM piece_state st WHERE st.piece_id = {x}.piece_id AND +st.status = @status)", set, Pieces: true));
        }

        if (f.From is { } from && f.To is { } to && from > to)
        {
            throw ApiProblemException.BadRequest($"from ({from:O}) is after to ({to:O}).");
        }

        // Block times only grow with block numbers, so a time range is a block range: its ends are one seek each in the
        // (block_time, block_number) index (MIN/MAX of block_number would read every entry on the far side of the time).
        if (f.From is { } start)
        {
            var block = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT block_number FROM chain_events WHERE block_time >= @ts ORDER BY block_time, block_number LIMIT 1", new { ts = start.ToUnixTimeSeconds() }, tx, cancellationToken: ct));
            sql.Empty |= block is null;
            sql.FromBlock = block;
            sql.Where.Add($"{x}.block_number >= @fromBlock");
            sql.Parameters.Add("fromBlock", block ?? long.MaxValue);
        }

        if (f.To is { } end)
        {
            var block = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT block_number FROM chain_events WHERE block_time <= @ts ORDER BY block_time DESC, block_number DESC LIMIT 1", new { ts = end.ToUnixTimeSeconds() }, tx, cancellationToken: ct));
            sql.Empty |= block is null;
            sql.Where.Add($"{x}.block_number <= @toBlock");
            sql.Parameters.Add("toBlock", block ?? -1);
        }

        var driver = terms.Count == 0 || sql.Empty ? null : await DriverAsync(c, tx, terms, sql.Parameters, events, limit, options.Value.IndexedLookupFactor, ct);
        sql.Driven = driver is not null;
        sql.Where.AddRange(terms.Select(t => t == driver ? t.Indexed : t.Scanned));
        return sql;
    }

    /// <summary>
    /// A filter on an event's own columns: <paramref name="condition"/>(alias, prefix) is the condition on the event with
    /// that alias, prefix "+" in the scanned forms (it keeps the column's index out of a per-row check). On the events
    /// listing the event itself must match; on the pieces listing a piece matches when any of its events does (looked
    /// up through <paramref name="matches"/>, the matching events' piece ids, or checked per piece). Its matches are events.
    /// </summary>
    private static FilterTerm EventTerm(bool events, Func<string, string, string> condition, string matches) => events
        ? new FilterTerm(condition("e", ""), condition("e", "+"), matches, Pieces: false)
        : new FilterTerm($"r.piece_id IN ({matches})",
            $"EXISTS (SELECT 1 FROM chain_events h WHERE h.piece_id = r.piece_id AND {condition("h", "+")})", matches, Pieces: false);

    /// <summary>
    /// The term that should drive the query: the one matching the fewest listing rows, if that is under √(page × rows)
    /// (counted by bounded queries, so a count costs at most that many index entries); otherwise null (chain order).
    /// Row counts come from the tables' largest rowid: approximate, and only the plan depends on them.
    /// </summary>
    private static async Task<FilterTerm?> DriverAsync(
        SqliteConnection c, System.Data.Common.DbTransaction tx, List<FilterTerm> terms, DynamicParameters parameters, bool events, int limit,
        double factor, CancellationToken ct)
    {
        if (terms.FirstOrDefault(t => t.Count is null) is { } exact)
        {
            return exact; // one piece
        }

        // A term read in chain order through its own index (Ordered) costs about a page of rows (more when other terms
        // reject rows in its range); it drives unless a term matching fewer than √(page × rows) rows does.
        var ordered = factor > 0 ? terms.FirstOrDefault(t => t.Ordered) : null;

        var sizes = await c.QuerySingleAsync<(long Events, long Pieces)>(new CommandDefinition(
            "SELECT COALESCE((SELECT MAX(rowid) FROM chain_events), 0), COALESCE((SELECT MAX(rowid) FROM piece_state), 0)",
            transaction: tx, cancellationToken: ct));
        var rows = events ? sizes.Events : sizes.Pieces; // rows of the listing
        var perPiece = Math.Max(1.0, (double)sizes.Events / Math.Max(1, sizes.Pieces));
        var threshold = factor * Math.Sqrt((limit + 1.0) * Math.Max(1, rows));
        (FilterTerm Term, double Rows)? best = null;
        foreach (var term in terms.Where(t => !t.Ordered))
        {
            // In listing rows: a piece set of k pieces is k·perPiece events or k pieces; an event-level term of n events is
            // n events, or at most n pieces.
            var scale = term.Pieces && events ? perPiece : 1.0;
            var bound = (long)Math.Ceiling(threshold / scale) + 1;
            var p = new DynamicParameters(parameters);
            p.Add("bound", bound);
            var n = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT COUNT(*) FROM ({term.Count} LIMIT @bound)", p, tx, cancellationToken: ct));
            var estimate = n * scale;
            if (n < bound && estimate < threshold && (best is null || estimate < best.Value.Rows))
            {
                best = (term, estimate);
            }
        }

        return best?.Term ?? ordered;
    }

    private async Task<ActorRow> ActorAsync(string id, string filter, CancellationToken ct) =>
        await actors.FindAsync(id, ct) ?? throw ApiProblemException.NotFound($"{filter}: no actor '{id}'.", "UnknownActor");
}
