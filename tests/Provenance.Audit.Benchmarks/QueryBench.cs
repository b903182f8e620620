using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Provenance.Audit.Benchmarks;

/// <summary>Latency of one kind of audit query, in milliseconds.</summary>
public sealed record QueryFigure(string Endpoint, string Filter, int Requests, double ItemsPerPage, double P50, double P99, double Max);

/// <summary>
/// Times the audit API's filtered queries over HTTP (the real gateway, an auditor key): each row is one filter with a
/// value drawn at random from the store per request (a piece, an artisan, a handler, a craft, …), first pages of 100,
/// and cursor pages reached by following <c>nextCursor</c>. Requests run one at a time; the time is the whole request
/// (headers to the last byte of the body).
/// </summary>
public sealed class QueryBench(HttpClient api, string databasePath, int samples, TextWriter log)
{
    private sealed record Values(string[] Codes, string[] Artisans, string[] Handlers, string[] Certifiers, string[] Crafts, string[] Clusters, long MinTime, long MaxTime);

    /// <summary>Runs every row; returns the figures in order.</summary>
    public async Task<IReadOnlyList<QueryFigure>> RunAsync(CancellationToken ct)
    {
        var v = await ValuesAsync(ct);
        var random = new Random(7);
        string Pick(string[] values) => Uri.EscapeDataString(values[random.Next(values.Length)]);
        string Window()
        {
            var from = v.MinTime + (long)(random.NextDouble() * Math.Max(1, v.MaxTime - v.MinTime - (7 * 86_400)));
            static string Iso(long t) => DateTimeOffset.FromUnixTimeSeconds(t).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            return $"from={Iso(from)}&to={Iso(from + (7 * 86_400))}";
        }

        // Every kind and status, including ones no seeded piece has (Claim, Revoked, Active): a filter matching nothing must be fast too.
        string[] kinds = ["Registration", "Processing", "Certification", "Handoff", "Shipping", "Export", "Sale", "PaymentConfirmed", "Flag", "Claim"];
        string[] statuses = ["Active", "Sold", "Flagged", "Revoked"];
        var rows = new List<(string Endpoint, string Filter, Func<string> Query)>
        {
            ("events", "piece", () => $"piece={Pick(v.Codes)}"),
            ("events", "artisan", () => $"artisan={Pick(v.Artisans)}"),
            ("events", "handler", () => $"handler={Pick(v.Handlers)}"),
            ("events", "certifier", () => $"certifier={Pick(v.Certifiers)}"),
            ("events", "craft", () => $"craft={Pick(v.Crafts)}"),
            ("events", "cluster", () => $"cluster={Pick(v.Clusters)}"),
            ("events", "type (one kind)", () => $"type={Pick(kinds)}"),
            ("events", "status", () => $"status={Pick(statuses)}"),
            ("events", "time range (7 days)", Window),
            ("events", "cluster + type + time range", () => $"cluster={Pick(v.Clusters)}&type={Pick(kinds)}&{Window()}"),
            ("events", "none", () => ""),
            ("pieces", "piece", () => $"piece={Pick(v.Codes)}"),
            ("pieces", "artisan", () => $"artisan={Pick(v.Artisans)}"),
            ("pieces", "handler", () => $"handler={Pick(v.Handlers)}"),
            ("pieces", "craft", () => $"craft={Pick(v.Crafts)}"),
            ("pieces", "cluster", () => $"cluster={Pick(v.Clusters)}"),
            ("pieces", "type (one kind)", () => $"type={Pick(kinds)}"),
            ("pieces", "status", () => $"status={Pick(statuses)}"),
            ("pieces", "time range (7 days)", Window),
        };

        var figures = new List<QueryFigure>();
        foreach (var (endpoint, filter, query) in rows)
        {
            var times = new List<double>();
            long items = 0;
            for (var i = -3; i < samples; i++)
            {
                var (ms, count, _) = await GetAsync(endpoint, query(), null, ct);
                if (i >= 0)
                {
                    times.Add(ms);
                    items += count;
                }
            }

            figures.Add(Figure(endpoint, filter, times, items));
            log.WriteLine($"query: {figures[^1]}");
        }

        // Cursor pages: follow nextCursor from a first page (pages 2..11 of a craft's events; of all events).
        foreach (var (filter, query) in new (string, Func<string>)[] { ("craft, pages 2–11 by cursor", () => $"craft={Pick(v.Crafts)}"), ("none, pages 2–11 by cursor", () => "") })
        {
            var times = new List<double>();
            long items = 0;
            while (times.Count < samples)
            {
                var q = query();
                var (_, _, cursor) = await GetAsync("events", q, null, ct);
                for (var page = 0; page < 10 && cursor is not null && times.Count < samples; page++)
                {
                    (var ms, var count, cursor) = await GetAsync("events", q, cursor, ct);
                    times.Add(ms);
                    items += count;
                }
            }

            figures.Add(Figure("events", filter, times, items));
            log.WriteLine($"query: {figures[^1]}");
        }

        return figures;
    }

    /// <summary>The figures as a Markdown table.</summary>
    public static string Table(IReadOnlyList<QueryFigure> figures)
    {
        var s = new StringBuilder();
        s.AppendLine("| endpoint | filter | requests | items per page | p50 ms | p99 ms | max ms |");
        s.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var f in figures)
        {
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| /api/audit/{f.Endpoint} | {f.Filter} | {f.Requests} | {f.ItemsPerPage:F0} | {f.P50:F1} | {f.P99:F1} | {f.Max:F1} |");
        }

        return s.ToString();
    }

    private static QueryFigure Figure(string endpoint, string filter, List<double> times, long items)
    {
        times.Sort();
        double Rank(double p) => times[Math.Clamp((int)Math.Ceiling(p * times.Count) - 1, 0, times.Count - 1)];
        return new QueryFigure(endpoint, filter, times.Count, (double)items / times.Count, Rank(0.50), Rank(0.99), times[^1]);
    }

    private async Task<(double Ms, int Items, string? Cursor)> GetAsync(string endpoint, string query, string? cursor, CancellationToken ct)
    {
        var url = $"/api/audit/{endpoint}?limit=100" + (query.Length > 0 ? "&" + query : "") + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
        var watch = Stopwatch.StartNew();
        using var response = await api.GetAsync(url, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        var ms = watch.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {url}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
        }

        using var doc = JsonDocument.Parse(body);
        var next = doc.RootElement.GetProperty("nextCursor");
        return (ms, doc.RootElement.GetProperty("items").GetArrayLength(), next.ValueKind == JsonValueKind.String ? next.GetString() : null);
    }

    private async Task<Values> ValuesAsync(CancellationToken ct)
    {
        await using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await c.OpenAsync(ct);
        async Task<string[]> Strings(string sql) => (await c.QueryAsync<string>(new CommandDefinition(sql, cancellationToken: ct))).ToArray();
        var times = await c.QuerySingleAsync<(long, long)>(new CommandDefinition(
            "SELECT MIN(block_time), MAX(block_time) FROM chain_events WHERE block_time IS NOT NULL", cancellationToken: ct));
        return new Values(
            await Strings("SELECT code FROM pieces ORDER BY random() LIMIT 1000"),
            await Strings("SELECT id FROM actors WHERE kind = 'artisan'"),
            await Strings("SELECT id FROM actors WHERE kind = 'handler'"),
            await Strings("SELECT id FROM actors WHERE kind = 'certifier'"),
            await Strings("SELECT DISTINCT json_extract(profile_json, '$.craft') FROM actors WHERE kind = 'artisan'"),
            await Strings("SELECT DISTINCT json_extract(profile_json, '$.cluster') FROM actors WHERE kind = 'artisan'"),
            times.Item1, times.Item2);
    }
}
