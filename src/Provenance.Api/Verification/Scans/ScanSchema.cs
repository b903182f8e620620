namespace Provenance.Api.Verification.Scans;

/// <summary>
/// The scan-signal tables. Applied with <c>CREATE … IF NOT EXISTS</c> when the store opens; exposed so a migrator that
/// keeps them in the gateway's database can apply the same text.
/// </summary>
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
