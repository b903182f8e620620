using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Provenance.Testing;

/// <summary>
/// A local EVM dev chain run as a child process for tests: a Hardhat node (in memory) or Anvil (optionally with a
/// state file, for persistence drills). Started on a free loopback port; killed with its process tree on dispose.
/// Anvil writes the states of older blocks to disk (by default under ~/.foundry/anvil/tmp, left behind when it is
/// killed — tens of GB after a few busy runs); here they go to a directory of the process's own, deleted when it stops.
/// </summary>
public sealed class DevChainProcess : IAsyncDisposable
{
    /// <summary>Hardhat's and Anvil's well-known development accounts (mnemonic "test test … junk"), #0..#4.</summary>
    public static readonly IReadOnlyList<(string PrivateKey, string Address)> DevAccounts =
    [
        ("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),
        ("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
        ("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"),
        ("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6", "0x90F79bf6EB2c4f870365E785982E1f101E93b906"),
        ("0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a", "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"),
    ];

    // Generous: on a loaded 2-core CI machine a Hardhat node can take seconds to mine under parallel test projects.
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string? _cacheDir;

    private DevChainProcess(Process process, int port, string kind, string? cacheDir)
    {
        _process = process;
        _cacheDir = cacheDir;
        Port = port;
        Kind = kind;
        RpcUrl = $"http://127.0.0.1:{port}";
    }

    /// <summary>The loopback port the chain listens on.</summary>
    public int Port { get; }

    /// <summary>"hardhat" or "anvil".</summary>
    public string Kind { get; }

    /// <summary>The JSON-RPC URL.</summary>
    public string RpcUrl { get; }

    /// <summary>What the process printed so far (for failure messages).</summary>
    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    /// <summary>Starts a Hardhat node (chain id 31337, automine) from the repository's node_modules.</summary>
    public static Task<DevChainProcess> StartHardhatAsync(CancellationToken ct = default)
    {
        var port = LoopbackPorts.Free();
        return StartAsync("hardhat", "node", $"\"{RepoPaths.HardhatCli}\" node --hostname 127.0.0.1 --port {port}", port, ct, null);
    }

    /// <summary>
    /// Starts Anvil (chain id 31337) from the npm package <c>@foundry-rs/anvil</c>; with <paramref name="stateFile"/>
    /// it loads and persists its state there every <paramref name="stateIntervalSeconds"/>.
    /// </summary>
    public static Task<DevChainProcess> StartAnvilAsync(
        string? stateFile = null, int stateIntervalSeconds = 1, int? port = null, string? extraArgs = null,
        CancellationToken ct = default)
    {
        var p = port ?? LoopbackPorts.Free();
        var anvil = Path.Combine(RepoPaths.Root, "node_modules", ".bin", "anvil");
        var cacheDir = Directory.CreateTempSubdirectory("provenance-anvil-").FullName;
        var args = new StringBuilder($"--host 127.0.0.1 --port {p} --silent --cache-path \"{cacheDir}\"");
        if (stateFile is not null)
        {
            args.Append($" --state \"{stateFile}\" --state-interval {stateIntervalSeconds}");
        }

        if (extraArgs is not null)
        {
            args.Append(' ').Append(extraArgs);
        }

        return StartAsync("anvil", anvil, args.ToString(), p, ct, cacheDir);
    }

    /// <summary>
    /// Deploys the registry with <c>scripts/deploy.js</c> and returns the deployment file's path (written to
    /// <paramref name="deploymentFile"/>).
    /// </summary>
    public async Task<string> DeployRegistryAsync(string deploymentFile, CancellationToken ct = default)
    {
        var psi = new ProcessStartInfo("node", $"\"{RepoPaths.HardhatCli}\" run scripts/deploy.js --network localhost")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["PROVENANCE_RPC_URL"] = RpcUrl;
        psi.Environment["PROVENANCE_DEPLOYMENT"] = deploymentFile;
        using var deploy = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        var stdout = deploy.StandardOutput.ReadToEndAsync(ct);
        var stderr = deploy.StandardError.ReadToEndAsync(ct);
        await deploy.WaitForExitAsync(ct);
        if (deploy.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"deploy failed ({deploy.ExitCode}):\n{await stdout}\n{await stderr}");
        }

        return deploymentFile;
    }

    /// <summary>Sends one JSON-RPC request and returns its <c>result</c> (throws on an error answer).</summary>
    public async Task<JsonElement> RpcAsync(string method, object[]? parameters = null, CancellationToken ct = default)
    {
        var body = JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, method, @params = parameters ?? [] });
        using var response = await Http.PostAsync(
            RpcUrl, new StringContent(body, Encoding.UTF8, "application/json"), ct);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        if (doc.RootElement.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"{method}: {error}");
        }

        return doc.RootElement.GetProperty("result").Clone();
    }

    /// <summary>Kills the chain abruptly (SIGKILL), as a crash would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        if (_cacheDir is not null && _process.HasExited)
        {
            try
            {
                Directory.Delete(_cacheDir, recursive: true);
            }
            catch (IOException)
            {
                // already gone, or a file still held: the temp directory is cleaned later
            }
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task<DevChainProcess> StartAsync(
        string kind, string fileName, string arguments, int port, CancellationToken ct, string? cacheDir)
    {
        var psi = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {kind}");
        var chain = new DevChainProcess(process, port, kind, cacheDir);
        process.OutputDataReceived += (_, e) => chain.Append(e.Data);
        process.ErrorDataReceived += (_, e) => chain.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{kind} exited with {process.ExitCode}:\n{chain.Output}");
            }

            try
            {
                await chain.RpcAsync("eth_chainId", ct: ct);
                return chain;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200, ct);
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                await Task.Delay(200, ct);
            }
        }

        await chain.DisposeAsync();
        throw new TimeoutException($"{kind} did not answer on port {port} within 60 s:\n{chain.Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 200_000)
            {
                _output.AppendLine(line);
            }
        }
    }
}
