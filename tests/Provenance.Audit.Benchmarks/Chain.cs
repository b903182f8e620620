using Provenance.Api.Chain;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.JsonRpc;

namespace Provenance.Audit.Benchmarks;

/// <summary>The registry on the node, through the gateway's own chain adapters (codec, signing) over the Ethereum layer.</summary>
public sealed class Chain
{
    /// <summary>Connects to <paramref name="rpcUrl"/> for the registry of <paramref name="deploymentFile"/>.</summary>
    public Chain(string rpcUrl, string deploymentFile)
    {
        Deployment = Deployment.Load(deploymentFile);
        Eth = new EthClient(new JsonRpcClient(new HttpClient(), new JsonRpcClientOptions
        {
            Endpoint = new Uri(rpcUrl), RequestTimeout = TimeSpan.FromMinutes(2),
        }));
        Abi = new RegistryAbi(Deployment, Eth);
        Codec = new RegistryCodec(Abi);
        Registry = new RegistryChain(Deployment, Eth, Abi);
    }

    /// <summary>The deployment file.</summary>
    public Deployment Deployment { get; }

    /// <summary>The node.</summary>
    public EthClient Eth { get; }

    /// <summary>The registry's ABI and bindings.</summary>
    public RegistryAbi Abi { get; }

    /// <summary>The gateway's calldata encoder and log decoder.</summary>
    public RegistryCodec Codec { get; }

    /// <summary>The gateway's reads and EIP-712 signing.</summary>
    public RegistryChain Registry { get; }

    /// <summary>The filter the indexer follows: the registry's five history events.</summary>
    public LogFilter HistoryFilter => Provenance.Api.Indexing.Indexer.HistoryFilter(Deployment, Codec);
}
