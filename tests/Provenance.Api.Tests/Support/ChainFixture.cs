using System.Diagnostics;
using Provenance.Testing;

namespace Provenance.Api.Tests.Support;

/// <summary>One Hardhat node with the registry deployed, shared by the tests of the "chain" collection.</summary>
public sealed class ChainFixture : IAsyncLifetime
{
    private static readonly SemaphoreSlim CompileLock = new(1, 1);
    private static bool _compiled;

    /// <summary>The running node.</summary>
    public DevChainProcess Chain { get; private set; } = null!;

    /// <summary>The deployment file written by scripts/deploy.js.</summary>
    public string DeploymentFile { get; private set; } = null!;

    /// <summary>A gateway over this chain with a fresh data directory.</summary>
    public GatewayFactory CreateGateway(IReadOnlyDictionary<string, string?>? settings = null) =>
        new(Chain.RpcUrl, DeploymentFile, settings);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await CompileContractsAsync();
        Chain = await DevChainProcess.StartHardhatAsync();
        var dir = Directory.CreateTempSubdirectory("provenance-chain-").FullName;
        DeploymentFile = await Chain.DeployRegistryAsync(Path.Combine(dir, "deployment.json"));
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await Chain.DisposeAsync();

    /// <summary>The chain's current block number.</summary>
    public async Task<long> BlockNumberAsync() =>
        Convert.ToInt64((await Chain.RpcAsync("eth_blockNumber")).GetString(), 16);

    private static async Task CompileContractsAsync()
    {
        await CompileLock.WaitAsync();
        try
        {
            if (_compiled)
            {
                return;
            }

            var cli = Path.Combine(RepoPaths.Root, "node_modules", "hardhat", "internal", "cli", "cli.js");
            using var compile = Process.Start(new ProcessStartInfo("node", $"\"{cli}\" compile --quiet")
            {
                WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            var output = compile.StandardError.ReadToEndAsync();
            await compile.WaitForExitAsync();
            if (compile.ExitCode != 0)
            {
                throw new InvalidOperationException($"hardhat compile failed: {await output}");
            }

            _compiled = true;
        }
        finally
        {
            CompileLock.Release();
        }
    }
}

/// <summary>Tests sharing one Hardhat node (run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class ChainCollection : ICollectionFixture<ChainFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "chain";
}
