using Microsoft.Extensions.Options;
using Provenance.Api.Actors;
using Provenance.Api.Indexing;
using Provenance.Ethereum.Eth;
using Provenance.Api.Health;
using Provenance.Ethereum.JsonRpc;

namespace Provenance.Api.Chain;

/// <summary>Registers the chain connection, the deployment and the health probe.</summary>
public static class ChainExtensions
{
    /// <summary>Adds the Chain feature.</summary>
    public static IHostApplicationBuilder AddChain(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChainOptions>().BindConfiguration(ChainOptions.Section)
            .Configure(o =>
            {
                if (Environment.GetEnvironmentVariable("PROVENANCE_RPC_URL") is { Length: > 0 } url &&
                    builder.Configuration[$"{ChainOptions.Section}:RpcUrl"] is null)
                {
                    o.RpcUrl = url;
                }

                if (Environment.GetEnvironmentVariable("PROVENANCE_DEPLOYMENT") is { Length: > 0 } file &&
                    builder.Configuration[$"{ChainOptions.Section}:DeploymentFile"] is null)
                {
                    o.DeploymentFile = file;
                }
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ChainOptions>, ChainOptionsValidator>();
        builder.Services.AddSingleton(sp => Deployment.Load(sp.GetRequiredService<IOptions<ChainOptions>>().Value.DeploymentFile));
        builder.Services.AddSingleton<IJsonRpcClient>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ChainOptions>>().Value;
            var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
            return new JsonRpcClient(http, new JsonRpcClientOptions
            {
                Endpoint = new Uri(options.RpcUrl), RequestTimeout = TimeSpan.FromSeconds(15),
            });
        });
        builder.Services.AddSingleton(sp => new EthClient(sp.GetRequiredService<IJsonRpcClient>()));
        builder.Services.AddSingleton<IChainHealthProbe, ChainHealthProbe>();
        builder.Services.AddSingleton<RegistryAbi>();
        builder.Services.AddSingleton<IRegistryCodec, RegistryCodec>();
        builder.Services.AddSingleton<IRegistryChain, RegistryChain>();
        builder.Services.AddSingleton<ISignerFactory, EthSignerFactory>();
        builder.Services.AddSingleton<IActorOnboardingHook, RoleGrantHook>();
        builder.Services.AddSingleton<RelayerSignal>();
        builder.Services.AddSingleton<RelayerAccount>();
        builder.Services.AddHostedService<Relayer>();
        builder.Services.AddSingleton<IndexerStatus>();
        builder.Services.AddSingleton<Indexer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Indexer>());
        return builder;
    }
}
