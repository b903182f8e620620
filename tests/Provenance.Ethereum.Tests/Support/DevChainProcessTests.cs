using Provenance.Ethereum.Tests.JsonRpc;
using Provenance.Testing;

namespace Provenance.Ethereum.Tests.Support;

/// <summary>The dev-chain helper itself; the Hardhat check uses the "hardhat" collection's node (started by the helper).</summary>
[Collection(HardhatCollection.Name)]
public sealed class DevChainProcessTests(HardhatFixture node)
{
    [Fact]
    public async Task StartHardhatAsync_FreshNode_ServesWellKnownDevAccounts()
    {
        var chain = node.Chain;

        var chainId = await chain.RpcAsync("eth_chainId");
        var accounts = (await chain.RpcAsync("eth_accounts")).EnumerateArray().Select(a => a.GetString()!).ToList();

        chainId.GetString().Should().Be("0x7a69");
        accounts.Should().Contain(DevChainProcess.DevAccounts.Select(a => a.Address.ToLowerInvariant()));
    }

    [Fact]
    public async Task Kill_RunningAnvil_StopsAnswering()
    {
        var chain = await DevChainProcess.StartAnvilAsync();
        (await chain.RpcAsync("eth_chainId")).GetString().Should().Be("0x7a69");

        chain.Kill();

        var act = () => chain.RpcAsync("eth_chainId");
        await act.Should().ThrowAsync<HttpRequestException>();
        await chain.DisposeAsync();
    }
}
