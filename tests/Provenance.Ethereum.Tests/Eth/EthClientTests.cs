using System.Numerics;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.JsonRpc;
using Provenance.Ethereum.Tests.JsonRpc;
using Provenance.Testing;

namespace Provenance.Ethereum.Tests.Eth;

[Collection(HardhatCollection.Name)]
public sealed class EthClientTests(HardhatFixture node)
{
    private static readonly Address Dev0 = Address.Parse(DevChainProcess.DevAccounts[0].Address);

    private EthClient Eth => new(node.CreateRpc());

    [Fact]
    public async Task GetChainIdAsync_Hardhat_Returns31337()
    {
        (await Eth.GetChainIdAsync(CancellationToken.None)).Should().Be(31337UL);
    }

    [Fact]
    public async Task GetBlockByNumberAsync_Latest_HasLinkedHeaderFields()
    {
        await TinyContracts.SendAsync(node.Chain, Dev0, "0x");
        var number = await Eth.GetBlockNumberAsync(CancellationToken.None);

        var latest = await Eth.GetBlockByNumberAsync(BlockParameter.Latest, CancellationToken.None);
        var parent = await Eth.GetBlockByNumberAsync(number - 1, CancellationToken.None);
        var byHash = await Eth.GetBlockByHashAsync(latest!.Hash, CancellationToken.None);

        latest.Number.Should().Be(number);
        latest.ParentHash.Should().Be(parent!.Hash);
        latest.BaseFeePerGas.Should().NotBeNull();
        latest.Timestamp.Should().BeGreaterThanOrEqualTo(parent.Timestamp);
        latest.TransactionHashes.Should().ContainSingle();
        byHash.Should().BeEquivalentTo(latest);
    }

    [Fact]
    public async Task GetBlockByNumberAsync_FutureBlock_ReturnsNull()
    {
        (await Eth.GetBlockByNumberAsync(1_000_000_000UL, CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task GetTransactionCountAsync_AfterSend_LatestAndPendingAgreeWithAutomine()
    {
        var before = await Eth.GetTransactionCountAsync(Dev0, BlockParameter.Pending, CancellationToken.None);

        await TinyContracts.SendAsync(node.Chain, Dev0, "0x");

        (await Eth.GetTransactionCountAsync(Dev0, BlockParameter.Latest, CancellationToken.None)).Should().Be(before + 1);
        (await Eth.GetTransactionCountAsync(Dev0, BlockParameter.Pending, CancellationToken.None)).Should().Be(before + 1);
    }

    [Fact]
    public async Task GetBalanceAsync_DevAccount_IsPositiveAndZeroForFreshAddress()
    {
        (await Eth.GetBalanceAsync(Address.Parse(DevChainProcess.DevAccounts[4].Address), default, CancellationToken.None))
            .Should().BeGreaterThan(BigInteger.Zero);
        (await Eth.GetBalanceAsync(Address.Parse("0x000000000000000000000000000000000000dEaD"), default, CancellationToken.None))
            .Should().Be(BigInteger.Zero);
    }

    [Fact]
    public async Task CallAsync_EchoContract_ReturnsCalldata()
    {
        var echo = await TinyContracts.DeployAsync(node.Chain, TinyContracts.ReturnEcho);
        var data = HexConvert.FromHex("0x0102030405060708090a");

        var result = await Eth.CallAsync(new CallRequest { To = echo, Data = data }, BlockParameter.Latest, CancellationToken.None);

        result.Should().Equal(data);
        (await Eth.GetCodeAsync(echo, default, CancellationToken.None)).Should().Equal(HexConvert.FromHex(TinyContracts.ReturnEcho));
    }

    [Theory]
    [InlineData("0x")]
    [InlineData("0xdeadbeef")]
    [InlineData("0x08c379a0000000000000000000000000000000000000000000000000000000000000002000000000000000000000000000000000000000000000000000000000000000036f6f700000000000000000000000000000000000000000000000000000000000")]
    public async Task CallAsync_RevertingCall_ThrowsContractRevertedWithExactData(string revertData)
    {
        var reverter = await TinyContracts.DeployAsync(node.Chain, TinyContracts.RevertEcho);

        var act = () => Eth.CallAsync(
            new CallRequest { To = reverter, Data = HexConvert.FromHex(revertData) }, BlockParameter.Latest, CancellationToken.None);

        var error = (await act.Should().ThrowAsync<ContractRevertedException>()).Which;
        error.RevertData.Should().Equal(HexConvert.FromHex(revertData));
        error.ErrorData.Should().NotBeNull();
        error.Reason.Kind.Should().Be(revertData.Length switch { 2 => RevertKind.Empty, 10 => RevertKind.Unknown, _ => RevertKind.ErrorString });
        error.Method.Should().Be("eth_call");
    }

    [Fact]
    public async Task EstimateGasAsync_RevertingCall_ThrowsContractReverted()
    {
        var reverter = await TinyContracts.DeployAsync(node.Chain, TinyContracts.RevertEcho);

        var act = () => Eth.EstimateGasAsync(new CallRequest { From = Dev0, To = reverter, Data = [0xca, 0xfe] }, CancellationToken.None);

        (await act.Should().ThrowAsync<ContractRevertedException>()).Which.RevertData.Should().Equal(0xca, 0xfe);
    }

    [Fact]
    public async Task EstimateGasAsync_PlainCall_IsAtLeastIntrinsicGas()
    {
        var echo = await TinyContracts.DeployAsync(node.Chain, TinyContracts.ReturnEcho);

        var gas = await Eth.EstimateGasAsync(new CallRequest { From = Dev0, To = echo, Data = [1, 2, 3] }, CancellationToken.None);

        gas.Should().BeGreaterThan(21_000UL).And.BeLessThan(100_000UL);
    }

    [Fact]
    public async Task GetFeeDataAsync_Hardhat_UsesLatestBaseFeeAndNodeTip()
    {
        var fees = await Eth.GetFeeDataAsync(CancellationToken.None);
        var latest = await Eth.GetBlockByNumberAsync(BlockParameter.Latest, CancellationToken.None);

        fees.SupportsEip1559.Should().BeTrue();
        fees.BaseFeePerGas.Should().Be(latest!.BaseFeePerGas);
        fees.MaxPriorityFeePerGas.Should().Be(new BigInteger(1_000_000_000));
        fees.MaxFeePerGas.Should().Be((2 * fees.BaseFeePerGas!.Value) + fees.MaxPriorityFeePerGas);
    }

    [Fact]
    public async Task GetTransactionReceiptAsync_LogEmitterTx_ReturnsTypedReceiptWithLogs()
    {
        var emitter = await TinyContracts.DeployAsync(node.Chain, TinyContracts.LogEmitter);
        var topic = TinyContracts.Topic(0xabcdef);

        var hash = await TinyContracts.SendAsync(node.Chain, emitter, topic);
        var receipt = await Eth.GetTransactionReceiptAsync(hash, CancellationToken.None);
        var tx = await Eth.GetTransactionByHashAsync(hash, CancellationToken.None);

        receipt!.Succeeded.Should().BeTrue();
        receipt.TransactionHash.Should().Be(hash);
        receipt.From.Should().Be(Dev0);
        receipt.To.Should().Be(emitter);
        receipt.Type.Should().Be(2);
        receipt.Logs.Should().ContainSingle().Which.Should().Match<EthLog>(l =>
            l.Address == emitter && l.Topics.Single() == topic && l.Data.Length == 0
            && l.BlockHash == receipt.BlockHash && l.TransactionHash == hash);
        tx!.IsMined.Should().BeTrue();
        tx.From.Should().Be(Dev0);
        tx.Input.Should().Equal(HexConvert.FromHex(topic));
        tx.BlockNumber.Should().Be(receipt.BlockNumber);
        tx.ChainId.Should().Be(31337UL);
    }

    [Fact]
    public async Task GetTransactionReceiptAsync_UnknownHash_ReturnsNull()
    {
        var unknown = "0x" + new string('1', 64);

        (await Eth.GetTransactionReceiptAsync(unknown, CancellationToken.None)).Should().BeNull();
        (await Eth.GetTransactionByHashAsync(unknown, CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task WaitForReceiptAsync_MinedTx_ReturnsReceipt()
    {
        var hash = await TinyContracts.SendAsync(node.Chain, Dev0, "0x");

        var receipt = await Eth.WaitForReceiptAsync(hash, null, CancellationToken.None);

        receipt.TransactionHash.Should().Be(hash);
    }

    [Fact]
    public async Task WaitForReceiptAsync_NeverMined_ThrowsReceiptTimeoutAfterTimeout()
    {
        var unknown = "0x" + new string('2', 64);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var act = () => Eth.WaitForReceiptAsync(unknown, new ReceiptWaitOptions { Timeout = TimeSpan.FromMilliseconds(600) }, CancellationToken.None);

        (await act.Should().ThrowAsync<ReceiptTimeoutException>()).Which.TransactionHash.Should().Be(unknown);
        watch.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(550)).And.BeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task GetLogsPagedAsync_LogsInManyBlocks_ReturnsAllInOrderWithContiguousPages()
    {
        var emitter = await TinyContracts.DeployAsync(node.Chain, TinyContracts.LogEmitter);
        var first = await Eth.GetBlockNumberAsync(CancellationToken.None) + 1;
        var hashes = new List<string>();
        for (ulong i = 0; i < 7; i++)
        {
            hashes.Add(await TinyContracts.SendAsync(node.Chain, emitter, TinyContracts.Topic(i)));
        }

        var last = await Eth.GetBlockNumberAsync(CancellationToken.None);
        var filter = new LogFilter { Addresses = [emitter] };

        var pages = await Eth.GetLogsPagedAsync(filter, first, last, new LogPagingOptions { MaxBlockRange = 3 }, CancellationToken.None).ToListAsync();

        pages.Select(p => p.ToBlock - p.FromBlock + 1).Should().OnlyContain(n => n <= 3);
        pages.First().FromBlock.Should().Be(first);
        pages.Last().ToBlock.Should().Be(last);
        pages.Zip(pages.Skip(1)).Should().OnlyContain(p => p.Second.FromBlock == p.First.ToBlock + 1);
        var logs = pages.SelectMany(p => p.Logs).ToList();
        logs.Select(l => l.TransactionHash).Should().Equal(hashes);
        logs.Select(l => l.Topics[0]).Should().Equal(Enumerable.Range(0, 7).Select(i => TinyContracts.Topic((ulong)i)));
    }

    [Fact]
    public async Task GetLogsAsync_TopicFilterWithAlternatives_ReturnsOnlyMatching()
    {
        var emitter = await TinyContracts.DeployAsync(node.Chain, TinyContracts.LogEmitter);
        for (ulong i = 100; i < 104; i++)
        {
            await TinyContracts.SendAsync(node.Chain, emitter, TinyContracts.Topic(i));
        }

        var logs = await Eth.GetLogsAsync(
            new LogFilter
            {
                FromBlock = BlockParameter.Earliest,
                ToBlock = BlockParameter.Latest,
                Addresses = [emitter],
                Topics = [[TinyContracts.Topic(101), TinyContracts.Topic(103)]],
            },
            CancellationToken.None);

        logs.Select(l => l.Topics[0]).Should().Equal(TinyContracts.Topic(101), TinyContracts.Topic(103));
    }
}
