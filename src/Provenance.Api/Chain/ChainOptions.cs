using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Provenance.Api.Chain;

/// <summary>The chain the gateway writes to (section <c>Chain</c>).</summary>
public sealed class ChainOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Chain";

    /// <summary>JSON-RPC endpoint. Env <c>PROVENANCE_RPC_URL</c>.</summary>
    public string RpcUrl { get; set; } = "http://127.0.0.1:8545";

    /// <summary>Deployment file written by scripts/deploy.js. Env <c>PROVENANCE_DEPLOYMENT</c>.</summary>
    public string DeploymentFile { get; set; } = "deployments/localhost.json";

    /// <summary>How long the relayer waits to gather more actions into one batch transaction.</summary>
    public int BatchWindowMs { get; set; } = 5;

    /// <summary>Most actions in one batch transaction.</summary>
    public int MaxBatchSize { get; set; } = 50;

    /// <summary>Blocks on top of an operation's block before it counts as confirmed.</summary>
    public int Confirmations { get; set; } = 1;

    /// <summary>How often the indexer polls for new blocks.</summary>
    public int IndexerPollMs { get; set; } = 250;

    /// <summary>
    /// On dev chains only (chain id 31337 or 1337): fund the relayer and grant it the registrar role from this key —
    /// by default Hardhat/Anvil's publicly known account #0, the deployer. Ignored on any other chain.
    /// </summary>
    public string? DevAdminPrivateKey { get; set; } = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
}

/// <summary>The deployment file (<c>deployments/&lt;network&gt;.json</c>) written by scripts/deploy.js.</summary>
public sealed record Deployment(
    [property: JsonPropertyName("chainId")] long ChainId,
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("deployBlock")] long DeployBlock,
    [property: JsonPropertyName("deployTx")] string? DeployTx,
    [property: JsonPropertyName("abi")] string Abi,
    [property: JsonPropertyName("admin")] string? Admin)
{
    /// <summary>Where the file was read from.</summary>
    [JsonIgnore]
    public string FilePath { get; init; } = "";

    /// <summary>The artifact path, resolved against the ancestors of the deployment file, the working directory and the app.</summary>
    public string ResolveAbiPath()
    {
        if (Path.IsPathRooted(Abi))
        {
            return Abi;
        }

        // Relative to the repository root, which is an ancestor of the deployment file (data/, deployments/), of the
        // working directory, or of the application's folder (bin/…).
        string[] starts = [Path.GetDirectoryName(Path.GetFullPath(FilePath))!, Directory.GetCurrentDirectory(), AppContext.BaseDirectory];
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, Abi);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return Path.GetFullPath(Abi);
    }

    /// <summary>Reads and checks a deployment file.</summary>
    public static Deployment Load(string path)
    {
        var deployment = JsonSerializer.Deserialize<Deployment>(File.ReadAllText(path))
                         ?? throw new InvalidDataException($"{path} is empty.");
        return deployment with { FilePath = path };
    }
}

/// <summary>Checks the chain options and the deployment file at start, with a clear message for each mistake.</summary>
public sealed class ChainOptionsValidator : IValidateOptions<ChainOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ChainOptions o)
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(o.RpcUrl, UriKind.Absolute, out var rpc) || (rpc.Scheme != "http" && rpc.Scheme != "https"))
        {
            errors.Add($"Chain:RpcUrl '{o.RpcUrl}' must be an absolute http(s) URL (env PROVENANCE_RPC_URL).");
        }

        if (!File.Exists(o.DeploymentFile))
        {
            errors.Add($"Chain:DeploymentFile '{Path.GetFullPath(o.DeploymentFile)}' not found: deploy the registry with " +
                       "`npx hardhat run scripts/deploy.js --network localhost` or set PROVENANCE_DEPLOYMENT.");
        }
        else
        {
            try
            {
                var d = Deployment.Load(o.DeploymentFile);
                if (!Provenance.Ethereum.Hex.HexConvert.IsHexData(d.Address, 20))
                {
                    errors.Add($"Deployment file {o.DeploymentFile}: 'address' is not a 20-byte hex address.");
                }

                if (!File.Exists(d.ResolveAbiPath()))
                {
                    errors.Add($"Deployment file {o.DeploymentFile}: artifact '{d.Abi}' not found; run `npx hardhat compile`.");
                }
            }
            catch (Exception e) when (e is JsonException or InvalidDataException)
            {
                errors.Add($"Deployment file {o.DeploymentFile} is not valid: {e.Message}");
            }
        }

        if (o.BatchWindowMs is < 0 or > 10_000)
        {
            errors.Add("Chain:BatchWindowMs must be between 0 and 10000.");
        }

        if (o.MaxBatchSize is < 1 or > 500)
        {
            errors.Add("Chain:MaxBatchSize must be between 1 and 500.");
        }

        if (o.Confirmations is < 0 or > 1000)
        {
            errors.Add("Chain:Confirmations must be between 0 and 1000.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
