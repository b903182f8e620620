using Dapper;
using Microsoft.Data.Sqlite;
using Provenance.Api.Data;

namespace Provenance.Api.Verification.Scans;

/// <summary>One aggregated row: scans of a piece in one minute by one client hash from one place hash.</summary>
internal readonly record struct ScanCount(string Code, long Minute, long SaltId, long Client, long Place, long Scans);

/// <summary>
/// The scan-signal tables in the gateway's store (<see cref="Db"/>; created by migration 300 from
/// <see cref="ScanSchema"/>). Writes come in batches from <see cref="ScanSignals"/>' flush, one transaction a second at
/// most on the writer's own thread, so they share the store instead of keeping a second database. Like every writer of
/// the process they take the store's write gate (<see cref="Db"/>), so a flush and the group writer wait for each other
/// in memory instead of sleeping in SQLite's busy handler; the deletes go through <see cref="Db.WriteAsync{T}"/>.
/// </summary>
internal sealed class ScanStore(Db db)
{
    public async Task WriteAsync(
        IReadOnlyCollection<ScanCount> counts, IReadOnlyCollection<SuspectedCopyMark> marks, CancellationToken cancellationToken)
    {
        if (counts.Count == 0 && marks.Count == 0)
        {
            return;
        }

        await using var gate = await db.EnterWriteGateAsync(cancellationToken);
        await using var connection = await db.OpenAsync(cancellationToken);

        // Counts are telemetry: in WAL mode, synchronous=NORMAL keeps a commit through a process crash and skips the
        // fsync per commit (a power cut may lose the last flushes). The next open of this pooled connection sets the
        // store's FULL again.
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=NORMAL";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        if (counts.Count > 0)
        {
            await using var upsert = connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO verification_scans (code, minute, salt_id, client, place, scans)
                VALUES ($code, $minute, $salt, $client, $place, $scans)
                ON CONFLICT (code, minute, salt_id, client, place) DO UPDATE SET scans = scans + excluded.scans
                """;
            var code = upsert.Parameters.Add("$code", SqliteType.Text);
            var minute = upsert.Parameters.Add("$minute", SqliteType.Integer);
            var salt = upsert.Parameters.Add("$salt", SqliteType.Integer);
            var client = upsert.Parameters.Add("$client", SqliteType.Integer);
            var place = upsert.Parameters.Add("$place", SqliteType.Integer);
            var scans = upsert.Parameters.Add("$scans", SqliteType.Integer);
            foreach (var row in counts)
            {
                (code.Value, minute.Value, salt.Value, client.Value, place.Value, scans.Value) =
                    (row.Code, row.Minute, row.SaltId, row.Client, row.Place, row.Scans);
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        foreach (var mark in marks)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO verification_suspected (code, since, reason, detail) VALUES ($code, $since, $reason, $detail)
                ON CONFLICT (code) DO NOTHING
                """;
            insert.Parameters.AddWithValue("$code", mark.Code);
            insert.Parameters.AddWithValue("$since", mark.Since.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$reason", mark.Reason.ToString());
            insert.Parameters.AddWithValue("$detail", mark.Detail);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<SuspectedCopyMark>> ListMarksAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT code, since, reason, detail FROM verification_suspected ORDER BY since DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit);
        var marks = new List<SuspectedCopyMark>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            marks.Add(ReadMark(reader));
        }

        return marks;
    }

    public Task<bool> DeleteMarkAsync(string code, CancellationToken cancellationToken) =>
        db.WriteAsync(async (connection, tx) => await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM verification_suspected WHERE code = @code", new { code }, tx, cancellationToken: cancellationToken)) > 0,
            cancellationToken);

    public async Task<PieceScanStatistics> GetStatisticsAsync(
        string code, SuspectedCopyMark? mark, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var totals = connection.CreateCommand();
        totals.CommandText = "SELECT COALESCE(SUM(scans), 0), MIN(minute), MAX(minute) FROM verification_scans WHERE code = $code";
        totals.Parameters.AddWithValue("$code", code);
        long total;
        DateTimeOffset? first = null, last = null;
        await using (var reader = await totals.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            total = reader.GetInt64(0);
            if (!reader.IsDBNull(1))
            {
                first = DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(1) * 60);
                last = DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(2) * 60);
            }
        }

        // Distinct clients and places are counted within each salt period and summed per day: hashes of different
        // periods cannot be compared (that is the point of rotating the salt).
        await using var daily = connection.CreateCommand();
        daily.CommandText = """
            SELECT day, SUM(scans),
                   (SELECT COUNT(*) FROM (SELECT DISTINCT salt_id, client FROM verification_scans
                                          WHERE code = $code AND minute / 1440 = d.day)),
                   (SELECT COUNT(*) FROM (SELECT DISTINCT salt_id, place FROM verification_scans
                                          WHERE code = $code AND minute / 1440 = d.day))
            FROM (SELECT minute / 1440 AS day, scans FROM verification_scans WHERE code = $code) AS d
            GROUP BY day ORDER BY day DESC LIMIT 30
            """;
        daily.Parameters.AddWithValue("$code", code);
        var days = new List<DailyScanCount>();
        await using (var reader = await daily.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                days.Add(new DailyScanCount(
                    DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)reader.GetInt64(0)),
                    reader.GetInt64(1), reader.GetInt32(2), reader.GetInt32(3)));
            }
        }

        return new PieceScanStatistics(code, total, first, last, days, mark);
    }

    public Task DeleteScansBeforeAsync(long minute, CancellationToken cancellationToken) =>
        db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM verification_scans WHERE minute < @minute", new { minute }, tx, cancellationToken: cancellationToken)),
            cancellationToken);

    private static SuspectedCopyMark ReadMark(SqliteDataReader reader) => new(
        reader.GetString(0),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
        Enum.Parse<SuspicionReason>(reader.GetString(2)),
        reader.GetString(3));
}
