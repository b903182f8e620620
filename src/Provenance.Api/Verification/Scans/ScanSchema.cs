namespace Provenance.Api.Verification.Scans;

/// <summary>The scan-signal tables in the gateway's store: migration step 300 (<see cref="Data.Migrations"/>).</summary>
public static class ScanSchema
{
    /// <summary>Version 1: aggregated scans (no addresses, only salted hashes) and suspected-copy marks.</summary>
    public const string Sql = """
        CREATE TABLE IF NOT EXISTS verification_scans (
            code    TEXT    NOT NULL,
            minute  INTEGER NOT NULL, -- Unix minutes, UTC
            salt_id INTEGER NOT NULL, -- random id of the salt period; hashes compare only within one
            client  INTEGER NOT NULL, -- HMAC(salt, address + user agent), 64 bits
            place   INTEGER NOT NULL, -- HMAC(salt, network area), 64 bits
            scans   INTEGER NOT NULL,
            PRIMARY KEY (code, minute, salt_id, client, place)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS verification_suspected (
            code   TEXT    NOT NULL PRIMARY KEY,
            since  INTEGER NOT NULL, -- Unix milliseconds
            reason TEXT    NOT NULL,
            detail TEXT    NOT NULL
        );
        CREATE INDEX IF NOT EXISTS verification_suspected_since ON verification_suspected (since DESC);
        """;
}
