using System.CommandLine;
using Provenance.Ethereum;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.JsonRpc;
using Provenance.Verify.Chain;
using Provenance.Verify.Checks;
using Provenance.Verify.Reporting;
using Provenance.Verify.Sources;

namespace Provenance.Verify;

/// <summary>Exit codes of <c>provenance-verify</c>.</summary>
public static class ExitCodes
{
    /// <summary>Everything matches the chain.</summary>
    public const int Clean = 0;

    /// <summary>At least one difference.</summary>
    public const int Differences = 1;

    /// <summary>The run could not be completed (bad arguments, chain or gateway unreachable, unreadable store).</summary>
    public const int Error = 2;
}

/// <summary>The <c>provenance-verify</c> command line.</summary>
public static class VerifyCommand
{
    /// <summary>Builds the root command writing to the given outputs.</summary>
    public static RootCommand Create(TextWriter output, TextWriter error, Func<Stream> stdout)
    {
        var rpc = new Option<string>("--rpc") { Description = "JSON-RPC URL of an EVM node", Required = true };
        var contract = new Option<string>("--contract") { Description = "address of the registry contract (0x…)", Required = true };
        var fromBlock = new Option<ulong>("--from-block") { Description = "first block to read logs from (the deployment block; default 0)" };
        var gateway = new Option<string?>("--gateway") { Description = "base URL of a Provenance gateway to check against the chain" };
        var apiKey = new Option<string?>("--api-key") { Description = "the gateway's auditor API key (or env PROVENANCE_API_KEY)" };
        var store = new Option<FileInfo?>("--store") { Description = "a gateway's SQLite store (provenance.db) to check against the chain, read-only" };
        var json = new Option<bool>("--json") { Description = "write the report as JSON on standard output" };
        var pageBlocks = new Option<ulong>("--page-blocks") { Description = "blocks per eth_getLogs request", DefaultValueFactory = _ => 2_000 };

        var command = new RootCommand(
            "Rebuilds every piece's history from the registry's logs alone, checks it against the contract's storage and, " +
            "optionally, against a gateway's API and store. Exit code 0 only when nothing differs (1: differences, 2: error).")
        {
            rpc, contract, fromBlock, gateway, apiKey, store, json, pageBlocks,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (!Address.TryParse(parse.GetValue(contract), out var registry))
            {
                await error.WriteLineAsync($"--contract '{parse.GetValue(contract)}' is not a 20-byte hex address");
                return ExitCodes.Error;
            }

            if (HttpUrl(parse.GetValue(rpc)) is not { } rpcUrl)
            {
                await error.WriteLineAsync($"--rpc '{parse.GetValue(rpc)}' is not an absolute http(s) URL");
                return ExitCodes.Error;
            }

            Uri? gatewayUrl = null;
            if (parse.GetValue(gateway) is { } g && (gatewayUrl = HttpUrl(g)) is null)
            {
                await error.WriteLineAsync($"--gateway '{g}' is not an absolute http(s) URL");
                return ExitCodes.Error;
            }

            var options = new VerifyOptions(rpcUrl, registry, parse.GetValue(fromBlock), gatewayUrl,
                parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("PROVENANCE_API_KEY"), parse.GetValue(store)?.FullName,
                parse.GetValue(pageBlocks));
            try
            {
                var report = await RunAsync(options, ct);
                if (parse.GetValue(json))
                {
                    await using var stream = stdout();
                    ReportWriter.WriteJson(stream, report);
                }
                else
                {
                    ReportWriter.WriteText(output, report);
                }

                return report.Clean ? ExitCodes.Clean : ExitCodes.Differences;
            }
            catch (Exception e) when (e is RpcException or GatewayException or HttpRequestException or FileNotFoundException
                                          or Microsoft.Data.Sqlite.SqliteException or TaskCanceledException
                                      && !ct.IsCancellationRequested)
            {
                await error.WriteLineAsync($"provenance-verify: {e.Message}");
                return ExitCodes.Error;
            }
        });
        return command;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>: a parse error prints its messages and exits with
    /// <see cref="ExitCodes.Error"/> (never 1, which means "differences").
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, Func<Stream> stdout)
    {
        var parse = Create(output, error, stdout).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                await error.WriteLineAsync($"provenance-verify: {e.Message}");
            }

            await error.WriteLineAsync("Try 'provenance-verify --help'.");
            return ExitCodes.Error;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    private static Uri? HttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps) ? u : null;

    /// <summary>Reads the chain (and the sources asked for) and compares them.</summary>
    /// <param name="options">what to verify</param>
    /// <param name="ct">cancellation</param>
    /// <param name="gatewayClient">a ready client for the gateway (e.g. an in-process test server); overrides
    /// <see cref="VerifyOptions.Gateway"/></param>
    public static async Task<VerificationReport> RunAsync(VerifyOptions options, CancellationToken ct, HttpClient? gatewayClient = null)
    {
        using var http = new HttpClient();
        var eth = new EthClient(new JsonRpcClient(http, new JsonRpcClientOptions { Endpoint = options.Rpc, RequestTimeout = TimeSpan.FromSeconds(30) }));
        var reader = new ChainReader(eth, options.Registry, new LogPagingOptions { MaxBlockRange = Math.Max(1, options.PageBlocks) });
        var chainId = (long)await eth.GetChainIdAsync(ct);

        // Sources first, so the chain read covers everything they can have seen.
        var views = new List<IndexedView>();
        if (gatewayClient is not null)
        {
            views.Add(await new GatewayReader(gatewayClient).ReadAsync(chainId, options.Registry, ct));
        }
        else if (options.Gateway is { } gatewayUrl)
        {
            using var client = GatewayReader.CreateClient(gatewayUrl, options.ApiKey, TimeSpan.FromSeconds(60));
            views.Add(await new GatewayReader(client).ReadAsync(chainId, options.Registry, ct));
        }

        if (options.StorePath is { } path)
        {
            views.Add(await StoreReader.ReadAsync(path, ct));
        }

        var head = await eth.GetBlockNumberAsync(ct);
        var snapshot = await reader.ReadHistoryAsync(options.FromBlock, head, ct);
        return await new Verifier(reader).VerifyAsync(snapshot, options.Registry.ToString(), options.FromBlock, views, ct);
    }
}

/// <summary>What to verify.</summary>
/// <param name="Rpc">JSON-RPC URL</param>
/// <param name="Registry">registry address</param>
/// <param name="FromBlock">first block of logs</param>
/// <param name="Gateway">gateway base URL, if any</param>
/// <param name="ApiKey">the gateway's auditor key</param>
/// <param name="StorePath">a gateway store to check, if any</param>
/// <param name="PageBlocks">blocks per eth_getLogs page</param>
public sealed record VerifyOptions(
    Uri Rpc, Address Registry, ulong FromBlock, Uri? Gateway, string? ApiKey, string? StorePath, ulong PageBlocks = 2_000);
