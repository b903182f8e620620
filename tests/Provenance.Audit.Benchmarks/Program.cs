using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Provenance.Api.Data;
using Provenance.Ethereum.Eth;

namespace Provenance.Audit.Benchmarks;

// provenance-audit-bench: the tool behind scripts/bench-audit.sh.
//   seed    --rpc URL --deployment FILE --data DIR --gateway URL --admin-key K [--pieces N] [--events N] [--batch N]
//   logs    --rpc URL --deployment FILE [--page-blocks N]  (raw eth_getLogs of the registry's history; default: paged as the indexer pages)
//   query   --gateway URL --key K --db FILE [--samples N] --out FILE.md
/// <summary>Entry point (a named class: test projects reference this tool next to the gateway, whose Program is public).</summary>
internal static class AuditBench
{
    public static async Task<int> Main(string[] args)
    {
        var command = args.FirstOrDefault() ?? "";
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        string Required(string name) => options.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");
        int Int(string name, int fallback) => options.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        var ct = cts.Token;

        switch (command)
        {
            case "seed":
            {
                var chain = new Chain(Required("rpc"), Required("deployment"));
                var db = new Db(Options.Create(new StorageOptions { DataDirectory = Required("data"), BusyTimeoutMs = 30_000 }));
                using var gateway = new HttpClient { BaseAddress = new Uri(Required("gateway")) };
                gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Required("admin-key"));
                var seed = new SeedOptions(Int("pieces", 10_000), Int("events", 100_000), Int("batch", 200),
                    Int("artisans", 40), Int("handlers", 12), Int("certifiers", 3), Int("span-days", 180));
                var result = await new Seeder(chain, db, gateway, seed, Console.Error).RunAsync(ct);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"pieces={result.Pieces} events={result.Events} transactions={result.Transactions} firstBlock={result.FirstBlock} lastBlock={result.LastBlock} seconds={result.Seconds:F1}"));
                return 0;
            }

            case "logs":
            {
                var chain = new Chain(Required("rpc"), Required("deployment"));
                var head = await chain.Eth.GetBlockNumberAsync(ct);
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                long logs = 0;
                var paging = options.ContainsKey("page-blocks") ? new LogPagingOptions { MaxBlockRange = (ulong)Int("page-blocks", 250) } : Provenance.Api.Indexing.Indexer.LogPaging;
                await foreach (var page in chain.Eth.GetLogsPagedAsync(chain.HistoryFilter, (ulong)Math.Max(0, chain.Deployment.DeployBlock), head, paging, ct))
                {
                    logs += page.Logs.Count;
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"logs={logs} toBlock={head} seconds={watch.Elapsed.TotalSeconds:F2} cpu={(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2}"));
                return 0;
            }

            case "query":
            {
                using var api = new HttpClient { BaseAddress = new Uri(Required("gateway")) };
                api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Required("key"));
                var figures = await new QueryBench(api, Required("db"), Int("samples", 100), Console.Error).RunAsync(ct);
                await File.WriteAllTextAsync(Required("out"), QueryBench.Table(figures), ct);
                var worst = figures.MaxBy(f => f.P99)!;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worstP99={worst.P99:F1} worst=\"{worst.Endpoint} by {worst.Filter}\""));
                return 0;
            }

            default:
                Console.Error.WriteLine("usage: provenance-audit-bench seed|logs|query [--option value]...");
                return 2;
        }
    }
}
