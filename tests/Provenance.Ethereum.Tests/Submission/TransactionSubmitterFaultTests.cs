using System.Collections.Concurrent;
using System.Numerics;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.JsonRpc;
using Provenance.Ethereum.Submission;
using Provenance.Ethereum.Transactions;

namespace Provenance.Ethereum.Tests.Submission;

/// <summary>Submitter behaviour under faults a real node will not produce on demand, against <see cref="FakeChain"/>.</summary>
public sealed class TransactionSubmitterFaultTests
{
    private static readonly Address Target = Address.Parse("0x2000000000000000000000000000000000000002");

    private static TransactionRequest Call(int i) => new() { To = Target, Data = BitConverter.GetBytes(i) };

    private static async Task<(FakeChain Chain, FakeSigner Signer, TransactionSubmitter Submitter)> StartAsync(
        TransactionSubmitterOptions? options = null, FakeChain? chain = null, FakeSigner? signer = null)
    {
        chain ??= new FakeChain();
        signer ??= new FakeSigner();
        var submitter = new TransactionSubmitter(chain.CreateEth(), signer, options);
        await submitter.StartAsync(CancellationToken.None);
        return (chain, signer, submitter);
    }

    [Fact]
    public async Task SubmitAsync_ManyConcurrentCallers_NoncesContiguousAndAllMined()
    {
        var (chain, _, submitter) = await StartAsync(signer: new FakeSigner(fixedSignature: true));
        await using var _ = submitter;

        var pending = await Task.WhenAll(Enumerable.Range(0, 64).Select(c => Task.Run(async () =>
        {
            var mine = new List<PendingTransaction>();
            for (var i = 0; i < 20; i++)
            {
                mine.Add(await submitter.SubmitAsync(Call((c * 100) + i), CancellationToken.None));
            }

            return mine;
        })));

        var all = pending.SelectMany(p => p).ToList();
        all.Select(p => p.Nonce).Order().Should().Equal(Enumerable.Range(0, 1280).Select(i => (ulong)i));
        chain.MinedNonces().Should().HaveCount(1280);
        submitter.NextNonce.Should().Be(1280UL);
    }

    [Fact]
    public async Task SubmitAsync_SendNeverReachesNode_FailsWithoutBurningNonce()
    {
        var (chain, _, submitter) = await StartAsync();
        await using var _ = submitter;
        chain.OnSend = (_, n) => n == 1 ? (new HttpRequestException(HttpRequestError.ConnectionError, "refused"), null, false) : default;

        var act = () => submitter.SubmitAsync(Call(1), CancellationToken.None);
        (await act.Should().ThrowAsync<RpcTransportException>()).Which.CertainlyNotDelivered.Should().BeTrue();
        var next = await submitter.SubmitAsync(Call(2), CancellationToken.None);

        next.Nonce.Should().Be(0UL);
        chain.MinedNonces().Should().Equal(0UL);
    }

    [Fact]
    public async Task SubmitAsync_AnswerLostAfterNodeTookIt_KeepsNonceAndCountsAsSent()
    {
        var (chain, signer, submitter) = await StartAsync();
        await using var _ = submitter;
        chain.OnSend = (_, n) => n == 1 ? (new HttpRequestException(HttpRequestError.ResponseEnded, "reset"), null, true) : default;

        var first = await submitter.SubmitAsync(Call(1), CancellationToken.None);
        var second = await submitter.SubmitAsync(Call(2), CancellationToken.None);

        first.Nonce.Should().Be(0UL);
        first.ConfirmedByNode.Should().BeTrue("the submitter asked the node for its hash");
        second.Nonce.Should().Be(1UL);
        signer.Signed.Should().Be(2);
        chain.MinedNonces().Should().Equal(0UL, 1UL);
    }

    [Fact]
    public async Task SubmitAsync_AnswerLostAndNodeDoesNotHaveIt_ResendsSameBytes()
    {
        var (chain, signer, submitter) = await StartAsync();
        await using var _ = submitter;
        chain.OnSend = (_, n) => n == 1 ? (new HttpRequestException(HttpRequestError.ResponseEnded, "reset"), null, false) : default;

        var first = await submitter.SubmitAsync(Call(1), CancellationToken.None);

        first.Nonce.Should().Be(0UL);
        signer.Signed.Should().Be(1, "the same signed bytes are sent again, not re-signed");
        chain.Sends.Should().Be(2);
        chain.MinedNonces().Should().Equal(0UL);
    }

    [Theory]
    [InlineData("already known")]
    [InlineData("nonce too low")]
    [InlineData("Known transaction: 0x1234")]
    public async Task SubmitAsync_ConflictErrorButOurHashKnown_CountsAsSentWithoutResigning(string message)
    {
        var (chain, signer, submitter) = await StartAsync();
        await using var _ = submitter;
        chain.OnSend = (_, n) => n == 1 ? (null, message, true) : default;

        var first = await submitter.SubmitAsync(Call(1), CancellationToken.None);
        var second = await submitter.SubmitAsync(Call(2), CancellationToken.None);

        first.Nonce.Should().Be(0UL);
        second.Nonce.Should().Be(1UL);
        signer.Signed.Should().Be(2);
        chain.MinedNonces().Should().Equal(0UL, 1UL);
    }

    [Fact]
    public async Task SubmitAsync_NonceTakenByAnotherSender_ResyncsAndResignsThroughHook()
    {
        var hooked = new ConcurrentQueue<BeforeSendContext>();
        var (chain, signer, submitter) = await StartAsync(new TransactionSubmitterOptions
        {
            BeforeSend = SentForms.Record(hooked),
        });
        await using var _ = submitter;
        chain.MineForeign(0);

        var sent = await submitter.SubmitAsync(Call(1), CancellationToken.None);

        sent.Nonce.Should().Be(1UL);
        signer.Signed.Should().Be(2);
        hooked.Select(h => h.Nonce).Should().Equal(0UL, 1UL);
        hooked.Last().Replaces.Should().Be(hooked.First().Hash);
        hooked.Last().Hash.Should().Be(sent.Hash);
    }

    [Fact]
    public async Task SubmitAsync_BeforeSendFails_NothingSentAndNonceKept()
    {
        var fail = true;
        var (chain, _, submitter) = await StartAsync(new TransactionSubmitterOptions
        {
            BeforeSend = (_, _) => fail ? throw new IOException("disk full") : Task.CompletedTask,
        });
        await using var _ = submitter;

        var act = () => submitter.SubmitAsync(Call(1), CancellationToken.None);
        await act.Should().ThrowAsync<IOException>();
        fail = false;
        var next = await submitter.SubmitAsync(Call(2), CancellationToken.None);

        chain.Sends.Should().Be(1);
        next.Nonce.Should().Be(0UL);
    }

    [Fact]
    public async Task SubmitAsync_NodeRejects_FailsAndNextGetsSameNonce()
    {
        var (chain, _, submitter) = await StartAsync();
        await using var _ = submitter;
        chain.OnSend = (_, n) => n == 1 ? (null, "insufficient funds for gas * price + value", false) : default;

        var act = () => submitter.SubmitAsync(Call(1), CancellationToken.None);
        (await act.Should().ThrowAsync<JsonRpcException>()).Which.RpcMessage.Should().Contain("insufficient funds");
        var next = await submitter.SubmitAsync(Call(2), CancellationToken.None);

        next.Nonce.Should().Be(0UL);
    }

    [Fact]
    public async Task SubmitAsync_BaseFeeJumped_RaisesFeesAndResends()
    {
        var (chain, _, submitter) = await StartAsync(new TransactionSubmitterOptions { FeeRefreshInterval = TimeSpan.FromHours(1) });
        await using var _ = submitter;
        await submitter.SubmitAsync(Call(0), CancellationToken.None); // caches fees at base fee 1,000
        chain.BaseFee = 5_000;

        var sent = await submitter.SubmitAsync(Call(1), CancellationToken.None);

        ((Eip1559Fees)sent.Transaction!.Fees).MaxFeePerGas.Should().BeGreaterThanOrEqualTo(new BigInteger(5_000));
        chain.MinedNonces().Should().Equal(0UL, 1UL);
    }

    [Fact]
    public async Task WaitForReceiptAsync_StuckTransaction_BumpsBothFeesByAtLeastTenPercent()
    {
        var hooked = new ConcurrentQueue<BeforeSendContext>();
        var chain = new FakeChain { Automine = false };
        var (_, _, submitter) = await StartAsync(
            StuckOptions(hooked),
            chain);
        await using var _ = submitter;
        var pending = await submitter.SubmitAsync(Call(1), CancellationToken.None);
        var original = (Eip1559Fees)pending.Transaction!.Fees;

        var wait = submitter.WaitForReceiptAsync(pending, CancellationToken.None);
        await Until.TrueAsync(() => pending.Hashes.Count >= 2);
        chain.MineAll();
        var receipt = await wait;

        var bumped = (Eip1559Fees)pending.Transaction!.Fees;
        (bumped.MaxFeePerGas * 100).Should().BeGreaterThanOrEqualTo(original.MaxFeePerGas * 110);
        (bumped.MaxPriorityFeePerGas * 100).Should().BeGreaterThanOrEqualTo(original.MaxPriorityFeePerGas * 110);
        receipt.TransactionHash.Should().Be(pending.Hash).And.NotBe(pending.Hashes[0]);
        hooked.Should().Contain(c => c.Replaces == pending.Hashes[0] && c.Nonce == pending.Nonce);
    }

    [Fact]
    public async Task WaitForReceiptAsync_NodeDroppedTransaction_RebroadcastsSameBytes()
    {
        var chain = new FakeChain { Automine = false };
        var (_, signer, submitter) = await StartAsync(
            new TransactionSubmitterOptions { RebroadcastAfter = TimeSpan.FromMilliseconds(100), ReceiptPollInterval = TimeSpan.FromMilliseconds(20) },
            chain);
        await using var _ = submitter;
        var pending = await submitter.SubmitAsync(Call(1), CancellationToken.None);
        chain.DropPool(); // the node forgets its pool (same chain)

        var wait = submitter.WaitForReceiptAsync(pending, CancellationToken.None);
        await Until.TrueAsync(() => chain.Sends >= 2);
        chain.MineAll();

        (await wait).TransactionHash.Should().Be(pending.Hash);
        signer.Signed.Should().Be(1);
    }

    [Fact]
    public async Task WaitForReceiptAsync_NonceMinedByOtherTransaction_ThrowsReplaced()
    {
        var chain = new FakeChain { Automine = false };
        var (_, _, submitter) = await StartAsync(new TransactionSubmitterOptions { ReceiptPollInterval = TimeSpan.FromMilliseconds(10) }, chain);
        await using var _ = submitter;
        var pending = await submitter.SubmitAsync(Call(1), CancellationToken.None);

        chain.MineForeign(pending.Nonce);

        (await submitter.Invoking(s => s.WaitForReceiptAsync(pending, CancellationToken.None)).Should().ThrowAsync<TransactionReplacedException>())
            .Which.Nonce.Should().Be(pending.Nonce);
    }

    [Fact]
    public async Task CheckChainAsync_NodeRestartedEmpty_DetectsResetResyncsAndFailsOldWaits()
    {
        var resets = new ConcurrentQueue<ChainResetInfo>();
        var (chain, _, submitter) = await StartAsync(new TransactionSubmitterOptions
        {
            OnChainReset = (r, _) => { resets.Enqueue(r); return Task.CompletedTask; },
            ChainCheckInterval = TimeSpan.FromHours(1),
        });
        await using var _ = submitter;
        for (var i = 0; i < 3; i++)
        {
            await submitter.SubmitAsync(Call(i), CancellationToken.None);
        }

        chain.Automine = false;
        var stuck = await submitter.SubmitAsync(Call(3), CancellationToken.None);
        chain.Reset(newGenesis: "0x" + new string('b', 64));
        chain.Automine = true;

        var reset = await submitter.CheckChainAsync(force: true, CancellationToken.None);
        var wait = () => submitter.WaitForReceiptAsync(stuck, CancellationToken.None);
        var after = await submitter.SubmitAsync(Call(4), CancellationToken.None);

        reset.Should().NotBeNull();
        reset!.Reason.Should().Contain("genesis");
        resets.Should().ContainSingle();
        await wait.Should().ThrowAsync<ChainResetException>();
        after.Nonce.Should().Be(0UL);
    }

    [Fact]
    public async Task CheckChainAsync_HeadWentBackSameGenesis_DetectsReset()
    {
        var (chain, _, submitter) = await StartAsync(new TransactionSubmitterOptions { ChainCheckInterval = TimeSpan.FromHours(1) });
        await using var _ = submitter;
        chain.Head = 3;

        var reset = await submitter.CheckChainAsync(force: true, CancellationToken.None);

        reset!.Reason.Should().Contain("head went back from block 10 to 3");
    }

    [Fact]
    public async Task CheckChainAsync_ChainIdChanged_RefusesFurtherSubmissions()
    {
        var (chain, _, submitter) = await StartAsync(new TransactionSubmitterOptions { ChainCheckInterval = TimeSpan.FromHours(1) });
        await using var _ = submitter;
        chain.ChainId = 1;

        (await submitter.CheckChainAsync(force: true, CancellationToken.None))!.ChainId.Should().Be(1UL);
        var act = () => submitter.SubmitAsync(Call(1), CancellationToken.None);

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("chain id 1");
    }

    [Fact]
    public async Task StartAsync_UnexpectedChainId_Throws()
    {
        var submitter = new TransactionSubmitter(new FakeChain().CreateEth(), new FakeSigner(), new TransactionSubmitterOptions { ExpectedChainId = 1 });

        var act = () => submitter.StartAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("31337");
    }

    [Fact]
    public async Task ResubmitAsync_PersistedAfterNodeLostPool_AllKnownAgainAndForeignNonceReported()
    {
        var persisted = new ConcurrentQueue<BeforeSendContext>();
        var chain = new FakeChain { Automine = false };
        var (_, _, first) = await StartAsync(new TransactionSubmitterOptions { BeforeSend = SentForms.Record(persisted) }, chain);
        for (var i = 0; i < 4; i++)
        {
            await first.SubmitAsync(Call(i), CancellationToken.None);
        }

        await first.DisposeAsync();
        chain.DropPool(); // crash: the pool is gone, the chain is unchanged
        chain.MineForeign(0); // meanwhile someone else used nonce 0
        var (_, _, second) = await StartAsync(chain: chain);
        await using var _ = second;

        var results = await second.ResubmitAsync(SentForms.AsPersisted(persisted).Reverse(), CancellationToken.None);
        chain.MineAll();

        results.Select(r => r.Transaction.Nonce).Should().Equal(0UL, 1UL, 2UL, 3UL);
        results[0].Outcome.Should().Be(ResubmitOutcome.NonceUsedByOther);
        results.Skip(1).Should().OnlyContain(r => r.Outcome == ResubmitOutcome.Known);
        foreach (var r in results.Skip(1))
        {
            (await second.WaitForReceiptAsync(r.Pending!, CancellationToken.None)).TransactionHash.Should().Be(r.Transaction.Hash);
        }

        (await second.SubmitAsync(Call(9), CancellationToken.None)).Nonce.Should().Be(4UL);
    }

    [Fact]
    public async Task CheckChainAsync_RestartedSameGenesisAfterReceipts_DetectsHeadBelowSeenBlocks()
    {
        var (chain, submitter) = await StartForChainChecksAsync(mined: 3);
        await using var _ = submitter;

        chain.Reset(); // same genesis hash: a dev chain restarted within the same second

        var reset = await submitter.CheckChainAsync(force: true, CancellationToken.None);

        reset!.Reason.Should().Be("head went back from block 3 to 0");
        reset.GenesisHash.Should().Be(reset.PreviousGenesisHash);
        (await submitter.SubmitAsync(Call(3), CancellationToken.None)).Nonce.Should().Be(0UL);
    }

    [Fact]
    public async Task CheckChainAsync_RolledBackAndRegrownToSameHeight_DetectsReplacedBlock()
    {
        var (chain, submitter) = await StartForChainChecksAsync(mined: 3);
        await using var _ = submitter;

        chain.Reset();
        chain.MineEmpty(3); // same genesis, same height: only the blocks' hashes differ

        var reset = await submitter.CheckChainAsync(force: true, CancellationToken.None);

        reset!.Reason.Should().StartWith("block 3 was replaced");
        (await submitter.SubmitAsync(Call(3), CancellationToken.None)).Nonce.Should().Be(0UL);
    }

    [Fact]
    public async Task CheckChainAsync_ChainGrowsBetweenChecks_NoReset()
    {
        var resets = new ConcurrentQueue<ChainResetInfo>();
        var (chain, submitter) = await StartForChainChecksAsync(new() { OnChainReset = (r, _) => { resets.Enqueue(r); return Task.CompletedTask; } });
        await using var _ = submitter;

        for (var round = 0; round < 3; round++)
        {
            await submitter.SubmitAndWaitAsync(Call(round), CancellationToken.None);
            chain.MineEmpty(2);
            (await submitter.CheckChainAsync(force: true, CancellationToken.None)).Should().BeNull();
        }

        resets.Should().BeEmpty();
        submitter.NextNonce.Should().Be(3UL);
    }

    [Fact]
    public async Task CheckChainAsync_ReorgTolerance2_ShallowReorgIgnoredDeeperOneIsReset()
    {
        var (chain, submitter) = await StartForChainChecksAsync(new() { ReorgTolerance = 2 });
        await using var _ = submitter;
        async Task<ChainResetInfo?> Check() => await submitter.CheckChainAsync(force: true, CancellationToken.None);
        chain.MineEmpty(5);
        (await Check()).Should().BeNull();
        (await Check()).Should().BeNull(); // holds block 3 final (two below the head seen)

        chain.Reorg(2); // blocks 4 and 5 replaced: an ordinary reorg
        chain.MineEmpty(3);
        (await Check()).Should().BeNull();
        (await Check()).Should().BeNull(); // now holds block 6 final

        chain.Reorg(3); // blocks 6, 7, 8 replaced: deeper than tolerated
        var reset = await Check();

        reset!.Reason.Should().StartWith("block 6 was replaced");
    }

    [Fact]
    public async Task ResubmitAsync_PersistedBelowNewBaseFee_ResignedWithBothFeesRaisedAndMined()
    {
        var chain = new FakeChain { Automine = false };
        var (persisted, sent) = await SendAndLoseAsync(chain);
        chain.BaseFee = 5_000; // the persisted maxFeePerGas (2·1,000 + 100) is now below the base fee
        var hooked = new ConcurrentQueue<BeforeSendContext>();
        var (_, _, second) = await StartAsync(new TransactionSubmitterOptions { BeforeSend = SentForms.Record(hooked) }, chain);
        await using var _ = second;

        var result = (await second.ResubmitAsync(persisted, CancellationToken.None)).Single();

        result.Outcome.Should().Be(ResubmitOutcome.Known);
        var pending = result.Pending!;
        pending.Hash.Should().NotBe(sent.Hash);
        pending.Hashes.Should().Contain(sent.Hash);
        hooked.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Replaces = sent.Hash, pending.Hash, Nonce = 0UL });
        var (original, replacement) = (SentForms.Decode(persisted[0].Raw), SentForms.Decode(chain.Raw(pending.Hash)!));
        replacement.Should().BeEquivalentTo(original, o => o.Excluding(t => t.MaxFeePerGas).Excluding(t => t.MaxPriorityFeePerGas));
        SentForms.AssertRaisedByTenPercent(original, replacement);
        replacement.MaxFeePerGas.Should().BeGreaterThan(5_000);
        chain.MineAll();
        (await second.WaitForReceiptAsync(pending, CancellationToken.None)).TransactionHash.Should().Be(pending.Hash);
        (await second.SubmitAsync(Call(2), CancellationToken.None)).Nonce.Should().Be(1UL);
    }

    [Fact]
    public async Task WaitForReceiptAsync_ResubmittedPersistedStuck_BumpsBothFeesAndReplacementMined()
    {
        var chain = new FakeChain { Automine = false };
        var (persisted, sent) = await SendAndLoseAsync(chain);
        var hooked = new ConcurrentQueue<BeforeSendContext>();
        var (_, _, second) = await StartAsync(
            StuckOptions(hooked),
            chain);
        await using var _ = second;
        var pending = (await second.ResubmitAsync(persisted, CancellationToken.None)).Single().Pending!;
        pending.Hash.Should().Be(sent.Hash, "the node took the stored bytes as they were");
        pending.Transaction.Should().NotBeNull("decoded from the stored bytes, so it can be re-signed");

        var wait = second.WaitForReceiptAsync(pending, CancellationToken.None);
        await Until.TrueAsync(() => pending.Hashes.Count >= 2);
        chain.MineAll();
        var receipt = await wait;

        receipt.TransactionHash.Should().Be(pending.Hash).And.NotBe(sent.Hash);
        var (original, replacement) = (SentForms.Decode(persisted[0].Raw), SentForms.Decode(chain.Raw(pending.Hash)!));
        replacement.Should().BeEquivalentTo(original, o => o.Excluding(t => t.MaxFeePerGas).Excluding(t => t.MaxPriorityFeePerGas));
        SentForms.AssertRaisedByTenPercent(original, replacement);
        hooked.First().Should().BeEquivalentTo(new { Replaces = sent.Hash, Nonce = 0UL });
    }

    [Theory]
    [InlineData(1)] // one attempt per round: the second round (after FeeBumpAfter) builds on the refused fees
    [InlineData(4)] // several attempts in one round: each builds on the one refused just before
    public async Task WaitForReceiptAsync_BumpRefusedAsUnderpriced_NextBumpBuildsOnRefusedFees(int attempts)
    {
        // A pool that wants +25% for a replacement: the first +12% bump is refused as underpriced.
        var chain = new FakeChain { Automine = false, MinReplacementPercent = 25 };
        var hooked = new ConcurrentQueue<BeforeSendContext>();
        var (_, _, submitter) = await StartAsync(
            StuckOptions(hooked, feeBumpPercent: 12, maxSendAttempts: attempts),
            chain);
        await using var _ = submitter;
        var pending = await submitter.SubmitAsync(Call(1), CancellationToken.None);

        var wait = submitter.WaitForReceiptAsync(pending, CancellationToken.None);
        await Until.TrueAsync(() => pending.Hashes.Count >= 2);
        chain.MineAll();
        var receipt = await wait;

        // The original, the refused bump, the bump built on it (a slow machine may add later rounds).
        var sends = hooked.ToList();
        sends.Should().HaveCountGreaterThanOrEqualTo(3);
        sends[1].Replaces.Should().Be(sends[0].Hash);
        sends[2].Replaces.Should().Be(sends[1].Hash, "the hook sees every signed form, refused or not");
        var (original, refused, accepted) = (SentForms.Decode(sends[0].Raw), SentForms.Decode(sends[1].Raw), SentForms.Decode(sends[2].Raw));
        SentForms.AssertRaisedByTenPercent(original, refused);
        SentForms.AssertRaisedByTenPercent(refused, accepted);
        chain.Raw(sends[1].Hash).Should().BeNull("the node refused it");
        pending.Hashes.Take(2).Should().Equal(sends[0].Hash, sends[2].Hash);
        pending.Hashes.Should().NotContain(sends[1].Hash);
        receipt.TransactionHash.Should().Be(pending.Hash);
    }

    [Fact]
    public async Task ResubmitAsync_OriginalAndItsFeeBump_SendsOnlyTheHigherAndBothKnown()
    {
        var chain = new FakeChain { Automine = false };
        var hooked = new ConcurrentQueue<BeforeSendContext>();
        var (_, _, first) = await StartAsync(
            new TransactionSubmitterOptions
            {
                FeeBumpAfter = TimeSpan.FromMilliseconds(50),
                ReceiptPollInterval = TimeSpan.FromMilliseconds(20),
                BeforeSend = SentForms.Record(hooked),
            },
            chain);
        var sent = await first.SubmitAsync(Call(1), CancellationToken.None);
        using (var stop = new CancellationTokenSource())
        {
            var wait = first.WaitForReceiptAsync(sent, stop.Token);
            await Until.TrueAsync(() => sent.Hashes.Count >= 2);
            await stop.CancelAsync();
            await wait.Invoking(w => w).Should().ThrowAsync<OperationCanceledException>();
        }

        await first.DisposeAsync();
        chain.DropPool();
        var sendsBefore = chain.Sends;
        var (_, _, second) = await StartAsync(chain: chain);
        await using var _ = second;

        var stored = hooked.ToList(); // the original and one or more fee bumps, each higher than the one before
        var results = await second.ResubmitAsync(SentForms.AsPersisted(stored), CancellationToken.None);

        stored.Should().HaveCountGreaterThanOrEqualTo(2);
        chain.Sends.Should().Be(sendsBefore + 1);
        results.Should().HaveCount(stored.Count).And.OnlyContain(r => r.Outcome == ResubmitOutcome.Known && r.Pending == results[0].Pending);
        results[0].Pending!.Hash.Should().Be(stored[^1].Hash, "the last fee bump has the highest fees: it is the one sent");
        results[0].Pending!.Hashes.Should().BeEquivalentTo(stored.Select(c => c.Hash));
        chain.MineAll();
        (await second.WaitForReceiptAsync(results[^1].Pending!, CancellationToken.None)).TransactionHash.Should().Be(stored[^1].Hash);
    }

    [Fact]
    public async Task ResubmitAsync_NotOursOrNotAsStored_RejectedWithoutSending()
    {
        var (chain, signer, submitter) = await StartAsync();
        await using var _ = submitter;
        UnsignedTransaction Tx(ulong chainId) => new(chainId, 0, Target, 0, [], 21_000, new Eip1559Fees(2_100, 100));
        var ours = signer.Sign(Tx(31337));
        var foreign = new FakeSigner(EthKey.Generate()).Sign(Tx(31337));
        var otherChain = signer.Sign(Tx(1));
        var bytes = ours.ToArray();

        var results = await submitter.ResubmitAsync(
            [
                new PersistedTransaction(foreign.ToArray(), foreign.HashHex, 0),
                new PersistedTransaction(otherChain.ToArray(), otherChain.HashHex, 0),
                new PersistedTransaction(bytes, "0x" + new string('0', 64), 0),
                new PersistedTransaction(bytes[..^3], ours.HashHex, 0),
                new PersistedTransaction(bytes, ours.HashHex, 1),
            ],
            CancellationToken.None);

        chain.Sends.Should().Be(0);
        results.Should().OnlyContain(r => r.Outcome == ResubmitOutcome.Rejected && r.Pending == null);
        results.Select(r => r.Error!.Message).Should().SatisfyRespectively(
            m => m.Should().Contain($"signed by {foreign.RecoverSender()}"),
            m => m.Should().Contain("signed for chain id 1"),
            m => m.Should().Contain($"hash to {ours.HashHex}"),
            m => m.Should().Contain("does not decode"),
            m => m.Should().Contain("nonce 0, the store says 1"));
        (await submitter.SubmitAsync(Call(1), CancellationToken.None)).Nonce.Should().Be(0UL);
    }

    /// <summary>
    /// A submitter on a fresh <see cref="FakeChain"/> (head at genesis) that checks the chain only when forced, after
    /// <paramref name="mined"/> transactions were submitted and mined (blocks 1 to <paramref name="mined"/>).
    /// </summary>
    private static async Task<(FakeChain Chain, TransactionSubmitter Submitter)> StartForChainChecksAsync(
        TransactionSubmitterOptions? options = null, int mined = 0)
    {
        options ??= new TransactionSubmitterOptions();
        options.ChainCheckInterval = TimeSpan.FromHours(1);
        var (chain, _, submitter) = await StartAsync(options, new FakeChain { Head = 0 });
        for (var i = 0; i < mined; i++)
        {
            await submitter.SubmitAndWaitAsync(Call(i), CancellationToken.None);
        }

        return (chain, submitter);
    }

    /// <summary>
    /// Options for a transaction left pooled: a fee bump after 100 ms, no rebroadcast, quick receipt polls; every
    /// signed form goes to <paramref name="hooked"/>.
    /// </summary>
    private static TransactionSubmitterOptions StuckOptions(
        ConcurrentQueue<BeforeSendContext> hooked, int feeBumpPercent = 12, int maxSendAttempts = 4) => new()
    {
        FeeBumpAfter = TimeSpan.FromMilliseconds(100),
        FeeBumpPercent = feeBumpPercent,
        MaxSendAttempts = maxSendAttempts,
        RebroadcastAfter = TimeSpan.FromHours(1),
        ReceiptPollInterval = TimeSpan.FromMilliseconds(20),
        BeforeSend = SentForms.Record(hooked),
    };

    /// <summary>Sends one transaction that stays pooled, then loses the pool and the submitter (a crash).</summary>
    private static async Task<(PersistedTransaction[] Persisted, PendingTransaction Sent)> SendAndLoseAsync(FakeChain chain)
    {
        var persisted = new ConcurrentQueue<BeforeSendContext>();
        var (_, _, first) = await StartAsync(new TransactionSubmitterOptions { BeforeSend = SentForms.Record(persisted) }, chain);
        var sent = await first.SubmitAsync(Call(1), CancellationToken.None);
        await first.DisposeAsync();
        chain.DropPool();
        return ([.. SentForms.AsPersisted(persisted)], sent);
    }
}
