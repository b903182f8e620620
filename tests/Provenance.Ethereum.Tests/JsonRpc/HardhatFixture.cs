using Provenance.Ethereum.JsonRpc;
using Provenance.Testing;

namespace Provenance.Ethereum.Tests.JsonRpc;

/// <summary>One Hardhat node shared by the tests of the "hardhat" collection (they run one after another).</summary>
public sealed class HardhatFixture : IAsyncLifetime
{
    private DevChainProcess? _chain;

    public DevChainProcess Chain => _chain ?? throw new InvalidOperationException("not started");

    public HttpClient Http { get; } = new();

    public JsonRpcClient CreateRpc(JsonRpcClientOptions? options = null)
    {
        options ??= new JsonRpcClientOptions();
        options.Endpoint = new Uri(Chain.RpcUrl);
        return new JsonRpcClient(Http, options);
    }

    public async Task InitializeAsync() => _chain = await DevChainProcess.StartHardhatAsync();

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_chain is not null)
        {
            await _chain.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class HardhatCollection : ICollectionFixture<HardhatFixture>
{
    public const string Name = "hardhat";
}
