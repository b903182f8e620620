using System.Collections.Concurrent;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.JsonRpc;
using Provenance.Ethereum.Submission;
using Provenance.Ethereum.Tests.JsonRpc;
using Provenance.Testing;

namespace Provenance.Ethereum.Tests.Submission;

/// <summary>
/// Chain resets made with Hardhat's own tools, which keep the genesis hash: <c>evm_revert</c> to a snapshot (on the
/// shared node: the test reverts to where it started) and <c>hardhat_reset</c> (on a node of its own, in
/// <see cref="HardhatResetTests"/>, so that it runs beside the shared node's tests).
/// </summary>
[Collection(HardhatCollection.Name)]
public sealed class ChainResetHardhatTests(HardhatFixture node)
{
    private static readonly Address Sink = Address.Parse("0x000000000000000000000000000000000000dEaD");

    [Fact]
    public async Task CheckChainAsync_HardhatEvmRevertThenSameHeight_DetectsReplacedBlockAndResubmits()
    {
        var chain = node.Chain;
        var snapshot = (await chain.RpcAsync("evm_snapshot")).GetString()!;
        try
        {
            var run = await Run.StartAsync(new EthClient(node.CreateRpc()), DevChainProcess.DevAccounts[2].PrivateKey);
            await using var submitter = run.Submitter;
            var start = submitter.NextNonce!.Value;
            var receipts = await run.SendAsync(3);
            var height = receipts[^1].BlockNumber;

            (await chain.RpcAsync("evm_revert", [snapshot])).GetBoolean().Should().BeTrue();
            snapshot = (await chain.RpcAsync("evm_snapshot")).GetString()!; // to leave the shared node as found
            await chain.RpcAsync("hardhat_mine", ["0x3"]); // back at the same height, other blocks
            (await run.Eth.GetBlockNumberAsync(CancellationToken.None)).Should().Be(height);
            var reset = await submitter.CheckChainAsync(force: true, CancellationToken.None);

            reset.Should().NotBeNull("block {0} is not the one the receipt named", height);
            reset!.Reason.Should().StartWith($"block {height} was replaced");
            reset.GenesisHash.Should().Be(reset.PreviousGenesisHash);
            await run.ResubmitAndCheckAsync(receipts);
            (await submitter.SubmitAsync(run.Request, CancellationToken.None)).Nonce.Should().Be(start + 3);
        }
        finally
        {
            await chain.RpcAsync("evm_revert", [snapshot]);
        }
    }

    /// <summary>A submitter with our own signing that records what it persists and the resets it reports.</summary>
    internal sealed class Run
    {
        public required TransactionSubmitter Submitter { get; init; }

        public required EthClient Eth { get; init; }

        public ConcurrentQueue<BeforeSendContext> Persisted { get; } = new();

        public ConcurrentQueue<ChainResetInfo> Resets { get; } = new();

        public TransactionRequest Request { get; } = new() { To = Sink, Value = 1, GasLimit = 21_000 };

        public static async Task<Run> StartAsync(EthClient eth, string privateKey)
        {
            Run? run = null;
            var submitter = new TransactionSubmitter(eth, new EthKeySigner(EthKey.FromPrivateKey(privateKey)), new TransactionSubmitterOptions
            {
                ExpectedChainId = 31337,
                ChainCheckInterval = TimeSpan.FromHours(1),
                BeforeSend = (c, _) => { run!.Persisted.Enqueue(c); return Task.CompletedTask; },
                OnChainReset = (r, _) => { run!.Resets.Enqueue(r); return Task.CompletedTask; },
            });
            run = new Run { Submitter = submitter, Eth = eth };
            await submitter.StartAsync(CancellationToken.None);
            return run;
        }

        public async Task<List<TransactionReceipt>> SendAsync(int count)
        {
            var receipts = new List<TransactionReceipt>();
            for (var i = 0; i < count; i++)
            {
                receipts.Add(await Submitter.SubmitAndWaitAsync(Request, CancellationToken.None));
            }

            return receipts;
        }

        /// <summary>Sends the persisted transactions again: the node takes all of them and mines the same hashes.</summary>
        public async Task ResubmitAndCheckAsync(IReadOnlyList<TransactionReceipt> before)
        {
            var results = await Submitter.ResubmitAsync(SentForms.AsPersisted(Persisted), CancellationToken.None);
            results.Should().HaveCount(before.Count).And.OnlyContain(r => r.Outcome == ResubmitOutcome.Known);
            foreach (var r in results)
            {
                var receipt = await Submitter.WaitForReceiptAsync(r.Pending!, CancellationToken.None);
                receipt.Succeeded.Should().BeTrue();
                receipt.TransactionHash.Should().Be(r.Transaction.Hash);
            }

            results.Select(r => r.Transaction.Hash).Should().Equal(before.Select(r => r.TransactionHash));
        }
    }
}

/// <summary><c>hardhat_reset</c> on a Hardhat node of its own (it would wipe the shared node's deployments).</summary>
public sealed class HardhatResetTests
{
    [Fact]
    public async Task CheckChainAsync_HardhatReset_DetectsHeadBelowSeenBlocksAndResubmits()
    {
        await using var chain = await DevChainProcess.StartHardhatAsync();
        using var http = new HttpClient();
        var run = await ChainResetHardhatTests.Run.StartAsync(
            new EthClient(new JsonRpcClient(http, new JsonRpcClientOptions { Endpoint = new Uri(chain.RpcUrl) })),
            DevChainProcess.DevAccounts[0].PrivateKey);
        await using var submitter = run.Submitter;
        var receipts = await run.SendAsync(3);

        (await chain.RpcAsync("hardhat_reset")).GetBoolean().Should().BeTrue();
        var reset = await submitter.CheckChainAsync(force: true, CancellationToken.None);

        reset!.Reason.Should().Be("head went back from block 3 to 0");
        reset.GenesisHash.Should().Be(reset.PreviousGenesisHash, "hardhat_reset rebuilds the same genesis block");
        run.Resets.Should().ContainSingle();
        await run.ResubmitAndCheckAsync(receipts);
        (await submitter.SubmitAsync(run.Request, CancellationToken.None)).Nonce.Should().Be(3UL);
    }
}
