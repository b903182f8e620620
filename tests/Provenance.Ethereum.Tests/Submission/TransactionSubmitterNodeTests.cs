using System.Collections.Concurrent;
using System.Diagnostics;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.JsonRpc;
using Provenance.Ethereum.Submission;
using Provenance.Ethereum.Tests.Eth;
using Provenance.Testing;
using Xunit.Abstractions;

namespace Provenance.Ethereum.Tests.Submission;

/// <summary>The submitter against a real node (Anvil: it signs for its dev accounts, see <see cref="NodeSigner"/>).</summary>
public sealed class TransactionSubmitterNodeTests(ITestOutputHelper output)
{
    private static readonly bool Full = Environment.GetEnvironmentVariable("PROVENANCE_PROFILE") == "full";
    private static readonly Address Dev1 = Address.Parse(DevChainProcess.DevAccounts[1].Address);
    private static readonly Address Sink = Address.Parse("0x000000000000000000000000000000000000dEaD");

    private static EthClient Eth(string url, HttpMessageHandler? handler = null) =>
        new(new JsonRpcClient(handler is null ? new HttpClient() : new HttpClient(handler), new JsonRpcClientOptions { Endpoint = new Uri(url) }));

    private static async Task<TransactionSubmitter> StartAsync(
        DevChainProcess node, TransactionSubmitterOptions? options = null, HttpMessageHandler? handler = null)
    {
        var submitter = new TransactionSubmitter(Eth(node.RpcUrl, handler), new NodeSigner(node.RpcUrl, Dev1), options ?? new() { ExpectedChainId = 31337 });
        await submitter.StartAsync(CancellationToken.None);
        return submitter;
    }

    [Fact]
    public async Task SubmitAsync_64ConcurrentCallers_AllMinedWithContiguousNonces()
    {
        await using var node = await DevChainProcess.StartAnvilAsync();
        var eth = Eth(node.RpcUrl);
        var start = await eth.GetTransactionCountAsync(Dev1, BlockParameter.Latest, CancellationToken.None);
        await using var submitter = await StartAsync(node);
        var perCaller = Full ? 50 : 20;
        var errors = new ConcurrentBag<Exception>();
        var watch = Stopwatch.StartNew();

        var receipts = await Task.WhenAll(Enumerable.Range(0, 64).Select(c => Task.Run(async () =>
        {
            var mine = new List<TransactionReceipt>();
            for (var i = 0; i < perCaller; i++)
            {
                try
                {
                    // Half estimate their gas, half bring it: both paths share the queue.
                    var request = new TransactionRequest { To = Sink, Value = 1, GasLimit = i % 2 == 0 ? 21_000 : null };
                    mine.Add(await submitter.SubmitAndWaitAsync(request, CancellationToken.None));
                }
                catch (Exception e)
                {
                    errors.Add(e);
                }
            }

            return mine;
        })));

        output.WriteLine($"{64 * perCaller} transactions in {watch.Elapsed.TotalSeconds:0.0} s");
        errors.Should().BeEmpty();
        var all = receipts.SelectMany(r => r).ToList();
        all.Should().HaveCount(64 * perCaller).And.OnlyContain(r => r.Succeeded && r.From == Dev1);
        var nonces = await Task.WhenAll(all.Select(async r => (await eth.GetTransactionByHashAsync(r.TransactionHash, CancellationToken.None))!.Nonce));
        nonces.Order().Should().Equal(Enumerable.Range(0, 64 * perCaller).Select(i => start + (ulong)i));
        (await eth.GetTransactionCountAsync(Dev1, BlockParameter.Latest, CancellationToken.None)).Should().Be(start + (ulong)(64 * perCaller));
    }

    [Fact]
    public async Task SubmitAsync_EstimateReverts_ThrowsDecodedRevertAndKeepsNonce()
    {
        await using var node = await DevChainProcess.StartAnvilAsync();
        var reverter = await DeployAsync(node, TinyContracts.RevertEcho);
        await using var submitter = await StartAsync(node);
        var before = submitter.NextNonce;

        var act = () => submitter.SubmitAsync(new TransactionRequest { To = reverter, Data = [0xde, 0xad] }, CancellationToken.None);

        var error = (await act.Should().ThrowAsync<ContractRevertedException>()).Which;
        error.Code.Should().Be(JsonRpcError.ExecutionReverted, "Anvil answers code 3 with the data as a hex string");
        error.RevertData.Should().Equal(0xde, 0xad);
        submitter.NextNonce.Should().Be(before);
    }

    [Fact]
    public async Task SubmitAsync_FaultsOnTheWayToTheNode_NoNonceBurntNoNonceErrorSurfaced()
    {
        await using var node = await DevChainProcess.StartAnvilAsync();
        var faults = new[] { SendFault.DropBeforeNode, SendFault.LoseAnswer, SendFault.AnswerAlreadyKnown, SendFault.AnswerNonceTooLow };
        var proxy = new FaultInjectingHandler(n => n <= faults.Length ? faults[n - 1] : SendFault.None);
        var persisted = new ConcurrentQueue<BeforeSendContext>();
        await using var submitter = await StartAsync(
            node,
            new TransactionSubmitterOptions { BeforeSend = SentForms.Record(persisted) },
            proxy);

        var dropped = () => submitter.SubmitAsync(new TransactionRequest { To = Sink, GasLimit = 21_000 }, CancellationToken.None);
        (await dropped.Should().ThrowAsync<RpcTransportException>()).Which.CertainlyNotDelivered.Should().BeTrue();
        var sent = new List<PendingTransaction>();
        for (var i = 0; i < 4; i++)
        {
            sent.Add(await submitter.SubmitAsync(new TransactionRequest { To = Sink, GasLimit = 21_000 }, CancellationToken.None));
        }

        sent.Select(p => p.Nonce).Should().Equal(0UL, 1UL, 2UL, 3UL);
        foreach (var p in sent)
        {
            (await submitter.WaitForReceiptAsync(p, CancellationToken.None)).Succeeded.Should().BeTrue();
        }

        persisted.Select(p => p.Nonce).Should().Equal(0UL, 0UL, 1UL, 2UL, 3UL);
    }

    [Fact]
    public async Task CheckChainAsync_AnvilRestartedEmpty_DetectsResetAndResubmitsPersisted()
    {
        // Both instances get the same genesis timestamp: a restart within the same second yields the same genesis
        // hash (Anvil's genesis depends on nothing else), so only the blocks the submitter has seen can tell.
        const string genesis = "--timestamp 1700000000";
        var node = await DevChainProcess.StartAnvilAsync(extraArgs: genesis);
        var port = node.Port;
        var persisted = new ConcurrentQueue<BeforeSendContext>();
        var resets = new ConcurrentQueue<ChainResetInfo>();
        var submitter = await StartAsync(node, new TransactionSubmitterOptions
        {
            ChainCheckInterval = TimeSpan.FromHours(1),
            BeforeSend = SentForms.Record(persisted),
            OnChainReset = (r, _) => { resets.Enqueue(r); return Task.CompletedTask; },
        });
        await using var _ = submitter;
        for (var i = 0; i < 3; i++)
        {
            await submitter.SubmitAndWaitAsync(new TransactionRequest { To = Sink, GasLimit = 21_000 }, CancellationToken.None);
        }

        await node.DisposeAsync();
        await using var restarted = await DevChainProcess.StartAnvilAsync(port: port, extraArgs: genesis);
        var reset = await submitter.CheckChainAsync(force: true, CancellationToken.None);
        var results = await submitter.ResubmitAsync(SentForms.AsPersisted(persisted), CancellationToken.None);

        reset.Should().NotBeNull();
        resets.Should().ContainSingle();
        results.Should().HaveCount(3).And.OnlyContain(r => r.Outcome == ResubmitOutcome.Known);
        foreach (var r in results)
        {
            (await submitter.WaitForReceiptAsync(r.Pending!, CancellationToken.None)).TransactionHash.Should().Be(r.Transaction.Hash);
        }

        (await submitter.SubmitAsync(new TransactionRequest { To = Sink, GasLimit = 21_000 }, CancellationToken.None)).Nonce.Should().Be(3UL);
    }

    [Theory]
    [InlineData(50_000UL, 50_000UL)] // above the estimate (21,000 + 20% margin): the least limit wins
    [InlineData(10_000UL, 25_200UL)] // below it: the estimate with its margin
    public async Task SubmitAsync_MinGasLimit_SignedGasIsTheLargerOfItAndTheEstimate(ulong minGas, ulong expected)
    {
        await using var node = await DevChainProcess.StartAnvilAsync();
        await using var submitter = await StartAsync(node);

        var receipt = await submitter.SubmitAndWaitAsync(
            new TransactionRequest { To = Sink, Value = 1, MinGasLimit = minGas }, CancellationToken.None);

        var mined = await node.RpcAsync("eth_getTransactionByHash", [receipt.TransactionHash]);
        HexConvert.ParseQuantityUInt64(mined.GetProperty("gas").GetString()!).Should().Be(expected);
    }

    [Fact]
    public async Task ResubmitAsync_PersistedStuckOnAnvil_BumpRefusedThenRaisedFromRefusedFeesAndMined()
    {
        await using var node = await DevChainProcess.StartAnvilAsync(extraArgs: "--no-mining");
        var persisted = new ConcurrentQueue<BeforeSendContext>();
        var first = await StartAsync(node, new TransactionSubmitterOptions { BeforeSend = SentForms.Record(persisted) });
        var sent = await first.SubmitAsync(new TransactionRequest { To = Sink, Value = 7, GasLimit = 21_000 }, CancellationToken.None);
        await first.DisposeAsync();
        await node.RpcAsync("anvil_dropAllTransactions"); // the node lost its pool; the gateway restarts from its store

        // Send 1: the stored bytes; send 2: the first bump, refused as underpriced; send 3: the bump built on it.
        var proxy = new FaultInjectingHandler(n => n == 2 ? SendFault.RefuseUnderpriced : SendFault.None);
        var hooked = new ConcurrentQueue<BeforeSendContext>();
        await using var second = await StartAsync(
            node,
            new TransactionSubmitterOptions
            {
                ExpectedChainId = 31337,
                FeeBumpAfter = TimeSpan.FromMilliseconds(300),
                RebroadcastAfter = TimeSpan.FromHours(1),
                BeforeSend = SentForms.Record(hooked),
            },
            proxy);
        var result = (await second.ResubmitAsync(SentForms.AsPersisted(persisted), CancellationToken.None)).Single();
        result.Outcome.Should().Be(ResubmitOutcome.Known);
        var pending = result.Pending!;

        var wait = second.WaitForReceiptAsync(pending, CancellationToken.None);
        await Until.TrueAsync(() => pending.Hashes.Count >= 2);
        await node.RpcAsync("evm_mine");
        var receipt = await wait;

        // The refused bump, the bump built on it (a slow machine may add a later round before evm_mine).
        var bumps = hooked.ToList();
        bumps.Should().HaveCountGreaterThanOrEqualTo(2);
        bumps[0].Replaces.Should().Be(sent.Hash);
        bumps[1].Replaces.Should().Be(bumps[0].Hash);
        var (original, refused, accepted) = (SentForms.Decode(sent.Current.ToArray()), SentForms.Decode(bumps[0].Raw), SentForms.Decode(bumps[1].Raw));
        accepted.Should().BeEquivalentTo(original, o => o.Excluding(t => t.MaxFeePerGas).Excluding(t => t.MaxPriorityFeePerGas));
        SentForms.AssertRaisedByTenPercent(original, refused);
        SentForms.AssertRaisedByTenPercent(refused, accepted);

        receipt.TransactionHash.Should().Be(pending.Hash).And.BeOneOf(bumps.Skip(1).Select(b => b.Hash));
        receipt.Succeeded.Should().BeTrue();
        receipt.From.Should().Be(Dev1);
        (await Eth(node.RpcUrl).GetTransactionByHashAsync(bumps[0].Hash, CancellationToken.None)).Should().BeNull("it never reached the node");
        proxy.Sends.Should().Be(1 + bumps.Count);
    }

    private static async Task<Address> DeployAsync(DevChainProcess node, string runtime) => await TinyContracts.DeployAsync(node, runtime);
}
