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
}
