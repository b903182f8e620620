using System.Net;
using System.Numerics;
using System.Text.Json;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.JsonRpc;
using Provenance.Ethereum.Tests.JsonRpc;

namespace Provenance.Ethereum.Tests.Eth;

/// <summary>EthClient behaviour that a real dev node cannot show: provider limits, missing methods, flaky links.</summary>
public sealed class EthClientFakeNodeTests
{
    private const string Emitter = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

    private static string LogJson(ulong block) =>
        $$"""{"address":"{{Emitter}}","topics":["{{TinyContracts.Topic(block)}}"],"data":"0x","blockNumber":"0x{{block:x}}","blockHash":"{{TinyContracts.Topic(block + 1000)}}","transactionHash":"{{TinyContracts.Topic(block + 2000)}}","transactionIndex":"0x0","logIndex":"0x0","removed":false}""";

    /// <summary>A provider that refuses ranges wider than <paramref name="maxRange"/> and answers one log per block.</summary>
    private static ScriptedRpcHandler RangeLimitedProvider(ulong maxRange, List<(ulong From, ulong To)> asked, string refusal = "query exceeds max block range")
    {
        return new ScriptedRpcHandler
        {
            Answer = (method, parameters, id) =>
            {
                method.Should().Be("eth_getLogs");
                var filter = parameters[0];
                var from = HexConvert.ParseQuantityUInt64(filter.GetProperty("fromBlock").GetString()!);
                var to = HexConvert.ParseQuantityUInt64(filter.GetProperty("toBlock").GetString()!);
                lock (asked)
                {
                    asked.Add((From: from, To: to));
                }

                if (to - from + 1 > maxRange)
                {
                    return ScriptedRpcHandler.Error(id, -32000, refusal);
                }

                var logs = string.Join(",", Enumerable.Range((int)from, (int)(to - from + 1)).Select(b => LogJson((ulong)b)));
                return ScriptedRpcHandler.Result(id, "[" + logs + "]");
            },
        };
    }

    [Theory]
    [InlineData("query exceeds max block range 5")]
    [InlineData("Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range")]
    [InlineData("query returned more than 10000 results")]
    [InlineData("block range too large")]
    public async Task GetLogsPagedAsync_ProviderRefusesWideRanges_SplitsAndCoversEveryBlockOnce(string refusal)
    {
        var asked = new List<(ulong From, ulong To)>();
        var eth = new EthClient(RangeLimitedProvider(5, asked, refusal).CreateClient());

        var pages = await eth.GetLogsPagedAsync(new LogFilter(), 10, 109, new LogPagingOptions { MaxBlockRange = 40 }, CancellationToken.None).ToListAsync();

        pages.Should().OnlyContain(p => p.ToBlock - p.FromBlock + 1 <= 5);
        pages.SelectMany(p => p.Logs).Select(l => l.BlockNumber).Should().Equal(Enumerable.Range(10, 100).Select(i => (ulong)i));
        asked.Should().Contain(r => r.To - r.From + 1 == 40, "the first page asks for the configured maximum");
    }

    [Fact]
    public async Task GetLogsPagedAsync_SingleBlockRefused_Throws()
    {
        var eth = new EthClient(RangeLimitedProvider(0, []).CreateClient());

        var act = async () => await eth.GetLogsPagedAsync(new LogFilter(), 1, 4, null, CancellationToken.None).ToListAsync();

        (await act.Should().ThrowAsync<JsonRpcException>()).Which.RpcMessage.Should().Contain("max block range");
    }

    [Fact]
    public async Task GetLogsPagedAsync_OtherError_ThrowsWithoutSplitting()
    {
        var fake = new ScriptedRpcHandler { Answer = (_, _, id) => ScriptedRpcHandler.Error(id, -32602, "invalid address") };
        var eth = new EthClient(fake.CreateClient());

        var act = async () => await eth.GetLogsPagedAsync(new LogFilter(), 1, 1000, null, CancellationToken.None).ToListAsync();

        await act.Should().ThrowAsync<JsonRpcException>();
        fake.Posts.Should().Be(1);
    }

    [Fact]
    public async Task GetFeeDataAsync_NodeWithoutMaxPriorityFee_FallsBackToGasPriceMinusBaseFee()
    {
        var fake = new ScriptedRpcHandler
        {
            Answer = (method, _, id) => method switch
            {
                "eth_getBlockByNumber" => ScriptedRpcHandler.Result(id, BlockJson(baseFee: "0x64")),
                "eth_maxPriorityFeePerGas" => ScriptedRpcHandler.Error(id, -32601, "the method eth_maxPriorityFeePerGas does not exist"),
                "eth_gasPrice" => ScriptedRpcHandler.Result(id, "\"0x96\""),
                _ => throw new InvalidOperationException(method),
            },
        };

        var fees = await new EthClient(fake.CreateClient()).GetFeeDataAsync(CancellationToken.None);

        fees.BaseFeePerGas.Should().Be(new BigInteger(100));
        fees.MaxPriorityFeePerGas.Should().Be(new BigInteger(50));
        fees.MaxFeePerGas.Should().Be(new BigInteger(250));
        fake.Posts.Should().Be(1, "the three calls go in one batch");
    }

    [Fact]
    public async Task GetFeeDataAsync_PreLondonNode_HasNoBaseFee()
    {
        var fake = new ScriptedRpcHandler
        {
            Answer = (method, _, id) => method switch
            {
                "eth_getBlockByNumber" => ScriptedRpcHandler.Result(id, BlockJson(baseFee: null)),
                "eth_maxPriorityFeePerGas" => ScriptedRpcHandler.Error(id, -32601, "not found"),
                _ => ScriptedRpcHandler.Result(id, "\"0x3b9aca00\""),
            },
        };

        var fees = await new EthClient(fake.CreateClient()).GetFeeDataAsync(CancellationToken.None);

        fees.SupportsEip1559.Should().BeFalse();
        fees.MaxFeePerGas.Should().BeNull();
        fees.GasPrice.Should().Be(new BigInteger(1_000_000_000));
    }

    [Fact]
    public async Task WaitForReceiptAsync_ReceiptWithoutBlockHashThenFlakyThenMined_ReturnsMinedReceipt()
    {
        var hash = TinyContracts.Topic(77);
        var polls = 0;
        var fake = new ScriptedRpcHandler();
        fake.RawAnswer = body =>
        {
            var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetRawText();
            return Interlocked.Increment(ref polls) switch
            {
                1 => (HttpStatusCode.OK, ScriptedRpcHandler.Result(id, "null")),
                2 => (HttpStatusCode.OK, ScriptedRpcHandler.Result(id, ReceiptJson(hash, blockHash: null))),
                3 => (HttpStatusCode.ServiceUnavailable, "upstream down"),
                _ => (HttpStatusCode.OK, ScriptedRpcHandler.Result(id, ReceiptJson(hash, blockHash: TinyContracts.Topic(5)))),
            };
        };
        var eth = new EthClient(fake.CreateClient());

        var receipt = await eth.WaitForReceiptAsync(hash, new ReceiptWaitOptions { InitialDelay = TimeSpan.FromMilliseconds(5) }, CancellationToken.None);

        receipt.BlockHash.Should().Be(TinyContracts.Topic(5));
        polls.Should().Be(4);
    }

    [Fact]
    public async Task WaitForReceiptAsync_Cancelled_ThrowsOperationCanceled()
    {
        var fake = new ScriptedRpcHandler { Answer = (_, _, id) => ScriptedRpcHandler.Result(id, "null") };
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));

        var act = () => new EthClient(fake.CreateClient()).WaitForReceiptAsync(TinyContracts.Topic(1), null, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    private static string BlockJson(string? baseFee) =>
        $$"""{"number":"0x10","hash":"{{TinyContracts.Topic(16)}}","parentHash":"{{TinyContracts.Topic(15)}}","timestamp":"0x5","gasLimit":"0x1c9c380","gasUsed":"0x0","transactions":[]{{(baseFee is null ? "" : $",\"baseFeePerGas\":\"{baseFee}\"")}}}""";

    private static string ReceiptJson(string hash, string? blockHash) =>
        $$"""{"transactionHash":"{{hash}}","transactionIndex":"0x0","blockHash":{{(blockHash is null ? "null" : $"\"{blockHash}\"")}},"blockNumber":{{(blockHash is null ? "null" : "\"0x5\"")}},"from":"{{Emitter}}","to":null,"contractAddress":null,"gasUsed":"0x5208","cumulativeGasUsed":"0x5208","effectiveGasPrice":"0x1","status":"0x1","type":"0x2","logs":[]}""";
}
