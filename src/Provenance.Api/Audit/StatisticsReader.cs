using Dapper;
using Provenance.Api.Data;
using Provenance.Api.Verification;

namespace Provenance.Api.Audit;

/// <summary>
/// Audit statistics over the pieces registered on chain: per craft, cluster and month of registration (block time,
/// UTC); handoffs per party; the share of pieces whose artisan confirmed payment; verification-page scans and
/// suspected-copy marks (from the pages' <see cref="IScanStatistics"/>).
/// </summary>
public sealed class StatisticsReader(Db db, IScanStatistics scans)
{
    private const string Registrations =
        "FROM chain_events r LEFT JOIN pieces p ON p.piece_id = r.piece_id " +
        "LEFT JOIN records pr ON pr.piece_code = p.code AND pr.kind = 'piece' LEFT JOIN actors ra ON ra.id = p.registrant_id " +
        "WHERE r.kind = 'Registration'";

    /// <summary>Reads the statistics.</summary>
    public async Task<AuditStatistics> ReadAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: true); // a read snapshot (WAL): no write lock
        async Task<CountBy[]> Counts(string key) => (await c.QueryAsync<CountBy>(new CommandDefinition(
            $"SELECT COALESCE({key}, '(unknown)') AS Key, COUNT(*) AS Count {Registrations} GROUP BY 1 ORDER BY 2 DESC, 1",
            transaction: tx, cancellationToken: ct))).ToArray();

        var indexed = await AuditStore.IndexedBlockAsync(c, tx, ct);
        var pieces = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM chain_events WHERE kind = 'Registration'", transaction: tx, cancellationToken: ct));
        var perCraft = (await Counts("json_extract(pr.json, '$.craft')")) // stored spellings, counted under their catalogue key
            .GroupBy(x => Products.Crafts.Label(x.Key)!, StringComparer.Ordinal).Select(g => new CountBy(g.Key, g.Sum(x => x.Count)))
            .OrderByDescending(x => x.Count).ThenBy(x => x.Key, StringComparer.Ordinal).ToArray();
        var perCluster = await Counts("json_extract(ra.profile_json, '$.cluster')");
        var perMonth = (await Counts("strftime('%Y-%m', r.block_time, 'unixepoch')")).OrderBy(x => x.Key, StringComparer.Ordinal).ToArray();
        var handoffs = (await c.QueryAsync<HandoffRow>(new CommandDefinition(
            "SELECT x.address AS Address, a.id AS ActorId, a.name AS Name, SUM(x.received) AS Received, SUM(x.handed) AS Handed FROM (" +
            "SELECT counterparty AS address, 1 AS received, 0 AS handed FROM chain_events WHERE kind = 'Handoff' " +
            "UNION ALL SELECT actor, 0, 1 FROM chain_events WHERE kind = 'Handoff') x LEFT JOIN actors a ON a.address = x.address " +
            "GROUP BY x.address ORDER BY Received + Handed DESC, x.address", transaction: tx, cancellationToken: ct)))
            .Select(h => new HandlerHandoffs(h.Address, h.ActorId, h.Name, h.Received, h.Handed)).ToArray();
        var paid = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(DISTINCT piece_id) FROM chain_events WHERE kind = 'PaymentConfirmed'", transaction: tx, cancellationToken: ct));
        var codes = (await c.QueryAsync<string>(new CommandDefinition(
            "SELECT p.code FROM chain_events r JOIN pieces p ON p.piece_id = r.piece_id WHERE r.kind = 'Registration'",
            transaction: tx, cancellationToken: ct))).ToList();

        long scanned = 0, total = 0;
        foreach (var code in codes)
        {
            var s = await scans.GetAsync(code, ct);
            total += s.TotalScans;
            scanned += s.TotalScans > 0 ? 1 : 0;
        }

        var suspected = (await scans.ListSuspectedAsync(1000, ct))
            .Select(m => new SuspectedPiece(m.Code, m.Since, m.Reason.ToString(), m.Detail)).ToArray();
        return new AuditStatistics(indexed, pieces, perCraft, perCluster, perMonth, handoffs,
            new PaymentShare(pieces, paid, pieces == 0 ? 0 : Math.Round((double)paid / pieces, 4)),
            new ScanTotals(scanned, total, suspected.Length, suspected));
    }

    // A class, not the positional record: with no handoff at all Dapper builds the mapper from the declared column types,
    // and the SUMs have none (they read as BLOBs), which only properties tolerate (the record made such statistics a 500).
    private sealed class HandoffRow
    {
        public required string Address { get; init; }
        public string? ActorId { get; init; }
        public string? Name { get; init; }
        public long Received { get; init; }
        public long Handed { get; init; }
    }
}
