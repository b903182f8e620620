namespace Provenance.Api.Audit;

/// <summary>The audit feature's schema step (run by <see cref="Data.Migrations"/> as step 100).</summary>
public static class AuditSchema
{
    /// <summary>
    /// Adds the <c>auditor</c> actor kind (rebuilding <c>actors</c>, whose CHECK lists the kinds), the indexes the
    /// audit queries filter on, and <c>audit_block_times</c>: the timestamp of every block holding a history event
    /// (keyed by block hash, so a re-mined block never lends its time to another). Step 101 drops that table again.
    /// </summary>
    public const string Migration = """
        CREATE TABLE actors_with_auditors (
            id            TEXT PRIMARY KEY,
            kind          TEXT NOT NULL CHECK (kind IN ('admin','artisan','handler','certifier','owner','auditor')),
            name          TEXT NOT NULL,
            address       TEXT NOT NULL UNIQUE,
            custodial     INTEGER NOT NULL,
            profile_json  TEXT NOT NULL,
            created_at    TEXT NOT NULL
        );
        INSERT INTO actors_with_auditors(id, kind, name, address, custodial, profile_json, created_at)
            SELECT id, kind, name, address, custodial, profile_json, created_at FROM actors;
        DROP TABLE actors;
        ALTER TABLE actors_with_auditors RENAME TO actors;

        CREATE INDEX chain_events_kind ON chain_events(kind, block_number, log_index);
        CREATE INDEX chain_events_actor ON chain_events(actor);
        CREATE INDEX chain_events_counterparty ON chain_events(counterparty);
        CREATE INDEX records_piece_craft ON records(json_extract(json, '$.craft')) WHERE kind = 'piece';
        CREATE INDEX pieces_registrant ON pieces(registrant_id);

        CREATE TABLE audit_block_times (
            hash          TEXT PRIMARY KEY,
            number        INTEGER NOT NULL,
            timestamp     INTEGER NOT NULL
        );
        CREATE INDEX audit_block_times_number ON audit_block_times(number);
        CREATE INDEX audit_block_times_time ON audit_block_times(timestamp, number);
        """;

    /// <summary>
    /// Step 101: block times come from the indexer's <c>chain_events.block_time</c> (filled as each event is indexed),
    /// so <c>audit_block_times</c> goes; times it had learnt for rows indexed before step 2 are copied across first.
    /// The index serves time filters (a time range becomes a block range).
    /// </summary>
    public const string BlockTimesFromIndexer = """
        UPDATE chain_events SET block_time = (SELECT t.timestamp FROM audit_block_times t WHERE t.hash = chain_events.block_hash)
            WHERE block_time IS NULL;
        DROP TABLE audit_block_times;
        CREATE INDEX chain_events_time ON chain_events(block_time, block_number);
        """;

    /// <summary>
    /// Step 102: the piece projection's status and artisan are filters of the audit queries (a status or an artisan's
    /// pieces are counted and looked up through these instead of reading every piece).
    /// </summary>
    public const string ProjectionIndexes = """
        CREATE INDEX piece_state_status ON piece_state(status);
        CREATE INDEX piece_state_artisan ON piece_state(artisan);
        """;

    /// <summary>
    /// Step 103: no query looks chain events up by transaction hash (the audit, the piece pages and provenance-verify
    /// read a transaction's hash only as a column of rows found by piece, party, kind, time or chain position), so the
    /// index on it went: it was one of seven B-trees every indexed log is inserted into, and the only one keyed by a
    /// random 66-character text besides the piece's.
    /// </summary>
    public const string LeanerChainEvents = """
        DROP INDEX IF EXISTS chain_events_tx;
        """;

    /// <summary>
    /// The piece attributes the audit filters select on, as the indexer writes them on each <c>chain_events</c> row of the
    /// piece (each an expression on <c>chain_events.piece_id</c>, so the indexer and step 104's backfill compute the same
    /// values): the artisan on chain (the registration's actor, the projection's <c>artisan</c>), the craft as stored in
    /// the piece's registration record, and the cluster of the registering actor's profile. Off-chain values are read
    /// when the event is indexed (the gateway stores a piece's record before it sends the registration); a piece
    /// registered outside the gateway has none.
    /// </summary>
    public const string ArtisanOfPiece = "(SELECT s.artisan FROM piece_state s WHERE s.piece_id = chain_events.piece_id)";

    /// <inheritdoc cref="ArtisanOfPiece"/>
    public const string CraftOfPiece =
        "(SELECT json_extract(r.json, '$.craft') FROM pieces p JOIN records r ON r.piece_code = p.code AND r.kind = 'piece' " +
        "WHERE p.piece_id = chain_events.piece_id ORDER BY r.seq LIMIT 1)";

    /// <inheritdoc cref="ArtisanOfPiece"/>
    public const string ClusterOfPiece =
        "(SELECT json_extract(a.profile_json, '$.cluster') FROM pieces p JOIN actors a ON a.id = p.registrant_id " +
        "WHERE p.piece_id = chain_events.piece_id)";

    /// <summary>
    /// Step 104: the filters that match many rows (artisan, craft, cluster) read a page as one range of an index whose key
    /// is the filter's value followed by the chain position, instead of reading the history in chain order and looking
    /// each row's piece up (about √(page × rows) rows per page: 10,000 at a million events). The piece's artisan, craft
    /// and cluster go on each of its events (backfilled here; the indexer writes them from now on) and each gets an
    /// index <c>(value, block_number, log_index)</c> — the pieces listing reads the same indexes, checking the kind on the
    /// way. An artisan's pieces also include those they make with another artisan: <c>chain_co_makers</c> holds, from
    /// each registration on chain, its makers other than the registering artisan (usually none, so the artisan filter
    /// is one seek there and one range of the artisan index). The projection's artisan index is no longer read (dropped).
    /// </summary>
    public const string FilterColumns = $"""
        ALTER TABLE chain_events ADD COLUMN artisan TEXT;
        ALTER TABLE chain_events ADD COLUMN craft TEXT;
        ALTER TABLE chain_events ADD COLUMN cluster TEXT;
        CREATE TABLE chain_co_makers (
            address       TEXT NOT NULL,
            piece_id      TEXT NOT NULL,
            block_number  INTEGER NOT NULL,
            PRIMARY KEY (address, piece_id)
        ) WITHOUT ROWID;
        {FilterColumnsBackfill}
        CREATE INDEX chain_events_artisan ON chain_events(artisan, block_number, log_index);
        CREATE INDEX chain_events_craft ON chain_events(craft, block_number, log_index);
        CREATE INDEX chain_events_cluster ON chain_events(cluster, block_number, log_index);
        DROP INDEX IF EXISTS piece_state_artisan;
        """;

    /// <summary>
    /// Step 104's backfill of the filter columns and co-makers from the rows indexed before it (the same values the
    /// indexer writes: a test compares them).
    /// </summary>
    public const string FilterColumnsBackfill = $"""
        UPDATE chain_events SET artisan = {ArtisanOfPiece}, craft = {CraftOfPiece}, cluster = {ClusterOfPiece}
            WHERE piece_id IS NOT NULL;
        INSERT OR IGNORE INTO chain_co_makers(address, piece_id, block_number)
            SELECT j.value, e.piece_id, e.block_number FROM chain_events e, json_each(e.args_json, '$.makers') j
            WHERE e.kind = 'Registration' AND j.value <> e.actor;
        """;
}
