using Dapper;
using Microsoft.Data.Sqlite;

namespace Provenance.Api.Data;

/// <summary>
/// Forward-only schema migrations: each step runs once, in order, in its own transaction, and is recorded in
/// <c>schema_migrations</c>. Never edit a shipped step; add a new one.
/// </summary>
public static class Migrations
{
    /// <summary>The steps, oldest first.</summary>
    public static readonly IReadOnlyList<(int Version, string Name, string Sql)> Steps =
    [
        (1, "actors, keys, records, pieces, operations", """
            CREATE TABLE actors (
                id            TEXT PRIMARY KEY,
                kind          TEXT NOT NULL CHECK (kind IN ('admin','artisan','handler','certifier','owner')),
                name          TEXT NOT NULL,
                address       TEXT NOT NULL UNIQUE,
                custodial     INTEGER NOT NULL,
                profile_json  TEXT NOT NULL,
                created_at    TEXT NOT NULL
            );
            CREATE TABLE api_keys (
                prefix        TEXT PRIMARY KEY,
                actor_id      TEXT NOT NULL REFERENCES actors(id),
                hash          BLOB NOT NULL,
                created_at    TEXT NOT NULL,
                revoked_at    TEXT
            );
            CREATE INDEX api_keys_actor ON api_keys(actor_id);
            CREATE TABLE custodial_keys (
                actor_id      TEXT PRIMARY KEY REFERENCES actors(id),
                address       TEXT NOT NULL UNIQUE,
                nonce         BLOB NOT NULL,
                ciphertext    BLOB NOT NULL,
                tag           BLOB NOT NULL
            );
            CREATE TABLE gateway_keys (
                name          TEXT PRIMARY KEY,
                address       TEXT NOT NULL,
                nonce         BLOB NOT NULL,
                ciphertext    BLOB NOT NULL,
                tag           BLOB NOT NULL
            );
            CREATE TABLE photos (
                sha256        TEXT PRIMARY KEY,
                content_type  TEXT NOT NULL,
                size          INTEGER NOT NULL,
                uploaded_by   TEXT NOT NULL REFERENCES actors(id),
                created_at    TEXT NOT NULL
            );
            CREATE TABLE pieces (
                code          TEXT PRIMARY KEY,
                piece_id      TEXT NOT NULL UNIQUE,
                registrant_id TEXT NOT NULL REFERENCES actors(id),
                claim_signer  TEXT NOT NULL,
                created_at    TEXT NOT NULL
            );
            CREATE TABLE piece_makers (
                piece_code    TEXT NOT NULL REFERENCES pieces(code),
                actor_id      TEXT NOT NULL REFERENCES actors(id),
                part          TEXT NOT NULL,
                PRIMARY KEY (piece_code, actor_id)
            );
            CREATE INDEX piece_makers_actor ON piece_makers(actor_id);
            CREATE TABLE operations (
                id            TEXT PRIMARY KEY,
                kind          TEXT NOT NULL,
                actor_id      TEXT REFERENCES actors(id),
                piece_code    TEXT,
                status        TEXT NOT NULL CHECK (status IN ('pending','submitted','confirmed','failed')),
                signer        TEXT,
                receiver      TEXT,
                action_json   TEXT NOT NULL,
                chain_tx_id   INTEGER REFERENCES chain_txs(id),
                batch_index   INTEGER,
                tx_hash       TEXT,
                block_number  INTEGER,
                block_hash    TEXT,
                error_code    TEXT,
                error_detail  TEXT,
                created_at    TEXT NOT NULL,
                updated_at    TEXT NOT NULL
            );
            CREATE INDEX operations_pending ON operations(status, created_at);
            CREATE INDEX operations_piece ON operations(piece_code);
            CREATE INDEX operations_signer ON operations(signer);
            CREATE INDEX operations_receiver ON operations(receiver);
            CREATE TABLE records (
                hash          TEXT NOT NULL,
                piece_code    TEXT NOT NULL REFERENCES pieces(code),
                seq           INTEGER NOT NULL,
                kind          TEXT NOT NULL,
                actor_id      TEXT NOT NULL REFERENCES actors(id),
                json          TEXT NOT NULL,
                operation_id  TEXT NOT NULL REFERENCES operations(id),
                created_at    TEXT NOT NULL,
                PRIMARY KEY (piece_code, seq)
            );
            CREATE INDEX records_hash ON records(hash);
            CREATE TABLE handoffs (
                id            TEXT PRIMARY KEY,
                piece_code    TEXT NOT NULL REFERENCES pieces(code),
                from_actor    TEXT NOT NULL REFERENCES actors(id),
                to_actor      TEXT NOT NULL REFERENCES actors(id),
                record_json   TEXT NOT NULL,
                record_hash   TEXT NOT NULL,
                status        TEXT NOT NULL CHECK (status IN ('proposed','accepted','cancelled')),
                operation_id  TEXT REFERENCES operations(id),
                created_at    TEXT NOT NULL
            );
            CREATE INDEX handoffs_to ON handoffs(to_actor, status);
            CREATE TABLE signer_nonces (
                address       TEXT PRIMARY KEY,
                next_nonce    INTEGER NOT NULL
            );
            CREATE TABLE chain_txs (
                id            INTEGER PRIMARY KEY AUTOINCREMENT,
                sender        TEXT NOT NULL,
                nonce         INTEGER NOT NULL,
                tx_hash       TEXT NOT NULL,
                raw_tx        BLOB NOT NULL,
                status        TEXT NOT NULL CHECK (status IN ('signed','sent','mined','failed','replaced')),
                block_number  INTEGER,
                created_at    TEXT NOT NULL
            );
            CREATE TABLE idempotency (
                key           TEXT NOT NULL,
                actor_id      TEXT NOT NULL,
                request_hash  TEXT NOT NULL,
                status_code   INTEGER NOT NULL,
                response_json TEXT NOT NULL,
                created_at    TEXT NOT NULL,
                PRIMARY KEY (actor_id, key)
            );
            CREATE TABLE index_cursor (
                id            INTEGER PRIMARY KEY CHECK (id = 1),
                block_number  INTEGER NOT NULL,
                block_hash    TEXT
            );
            CREATE TABLE index_blocks (
                number        INTEGER PRIMARY KEY,
                hash          TEXT NOT NULL
            );
            CREATE TABLE chain_events (
                block_number  INTEGER NOT NULL,
                log_index     INTEGER NOT NULL,
                block_hash    TEXT NOT NULL,
                tx_hash       TEXT NOT NULL,
                piece_id      TEXT,
                name          TEXT NOT NULL,
                kind          TEXT,
                seq           INTEGER,
                actor         TEXT,
                counterparty  TEXT,
                record_hash   TEXT,
                args_json     TEXT NOT NULL,
                PRIMARY KEY (block_number, log_index)
            );
            CREATE INDEX chain_events_piece ON chain_events(piece_id);
            CREATE INDEX chain_events_tx ON chain_events(tx_hash);
            CREATE TABLE piece_state (
                piece_id      TEXT PRIMARY KEY,
                status        TEXT NOT NULL,
                custodian     TEXT NOT NULL,
                artisan       TEXT NOT NULL,
                owner         TEXT,
                claimed_at    INTEGER,
                event_count   INTEGER NOT NULL,
                head          TEXT NOT NULL,
                block_number  INTEGER NOT NULL
            );
            CREATE INDEX piece_state_custodian ON piece_state(lower(custodian));
            """),
        (2, "block time of indexed events", """
            ALTER TABLE chain_events ADD COLUMN block_time INTEGER;
            """),
        // 3 was the dropped Idempotency-Key version's step on branch gateway (stores made then have it recorded).
        (4, "idempotency: the status lives in the sealed response", """
            ALTER TABLE idempotency DROP COLUMN status_code;
            ALTER TABLE idempotency RENAME COLUMN response_json TO sealed_response;
            """),
        (100, "audit: auditor actors, query indexes, block times", Audit.AuditSchema.Migration),
        (101, "audit: block times from the indexer's chain_events.block_time", Audit.AuditSchema.BlockTimesFromIndexer),
        (102, "audit: piece projection indexes (status, artisan)", Audit.AuditSchema.ProjectionIndexes),
        (200, "durability: every transaction that carried an operation", """
            CREATE TABLE operation_attempts (
                operation_id  TEXT NOT NULL REFERENCES operations(id),
                tx_hash       TEXT NOT NULL,
                batch_index   INTEGER,
                PRIMARY KEY (operation_id, tx_hash)
            );
            CREATE INDEX operation_attempts_tx ON operation_attempts(tx_hash);
            """),
        (300, "verification: scan counts and suspected-copy marks", Verification.Scans.ScanSchema.Sql),
        (103, "audit: chain_events without the unused transaction-hash index", Audit.AuditSchema.LeanerChainEvents),
        (104, "audit: the piece's artisan, craft and cluster on its chain events, indexed in chain order", Audit.AuditSchema.FilterColumns),
        (105, "index: the indexes a rebuild sets aside while it refills the index tables", Indexing.Indexer.DeferredIndexesTable),
    ];

    /// <summary>Applies every step not yet applied; returns how many ran.</summary>
    public static async Task<int> ApplyAsync(SqliteConnection connection, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS schema_migrations " +
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);", cancellationToken: ct));
        var applied = (await connection.QueryAsync<int>(new CommandDefinition(
            "SELECT version FROM schema_migrations", cancellationToken: ct))).ToHashSet();
        var ran = 0;
        // Foreign keys off while the schema changes (SQLite's procedure for rebuilding a table), checked before each commit.
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA foreign_keys=OFF", cancellationToken: ct));
        try
        {
            foreach (var (version, name, sql) in Steps.Where(s => !applied.Contains(s.Version)).OrderBy(s => s.Version))
            {
                await using var tx = connection.BeginTransaction(deferred: false);
                await connection.ExecuteAsync(new CommandDefinition(sql, transaction: tx, cancellationToken: ct));
                if ((await connection.QueryAsync(new CommandDefinition("PRAGMA foreign_key_check", transaction: tx, cancellationToken: ct))).Any())
                {
                    throw new InvalidOperationException($"Migration {version} ({name}) leaves rows violating foreign keys.");
                }

                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO schema_migrations(version, name, applied_at) VALUES (@version, @name, @at)",
                    new { version, name, at = DateTimeOffset.UtcNow.ToString("O") }, tx, cancellationToken: ct));
                await tx.CommitAsync(ct);
                ran++;
            }
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA foreign_keys=ON", cancellationToken: CancellationToken.None));
        }

        return ran;
    }
}
