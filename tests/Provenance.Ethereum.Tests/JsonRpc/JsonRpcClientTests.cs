using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Provenance.Ethereum.JsonRpc;

namespace Provenance.Ethereum.Tests.JsonRpc;

[Collection(HardhatCollection.Name)]
public sealed class JsonRpcClientTests(HardhatFixture node)
{
    [Fact]
    public async Task SendAsync_EthChainIdOnHardhat_ReturnsChainId()
    {
        var rpc = node.CreateRpc();

        var result = await rpc.SendAsync(new JsonRpcRequest("eth_chainId"), CancellationToken.None);

        result.GetString().Should().Be("0x7a69");
    }

    [Fact]
    public async Task SendBatchAsync_ManyCallsOnHardhat_AnswersInRequestOrder()
    {
        var rpc = node.CreateRpc();
        var account = Provenance.Testing.DevChainProcess.DevAccounts[1].Address;
        JsonRpcRequest[] requests =
        [
            new("eth_chainId"),
            new("eth_getBalance", account, "latest"),
            new("net_version"),
            new("eth_noSuchMethod"),
            new("eth_getBlockByNumber", "0x0", false),
        ];

        var answers = await rpc.SendBatchAsync(requests, CancellationToken.None);

        answers.Select(a => a.Request.Method).Should().Equal(requests.Select(r => r.Method));
        answers[0].GetResultOrThrow().GetString().Should().Be("0x7a69");
        answers[1].GetResultOrThrow().GetString().Should().StartWith("0x");
        answers[2].GetResultOrThrow().GetString().Should().Be("31337");
        answers[3].IsSuccess.Should().BeFalse();
        answers[3].Error!.IsMethodUnavailable.Should().BeTrue();
        answers[4].GetResultOrThrow().GetProperty("number").GetString().Should().Be("0x0");
    }

    [Fact]
    public async Task SendAsync_UnknownMethodOnHardhat_ThrowsJsonRpcExceptionWithCodeAndMessage()
    {
        var rpc = node.CreateRpc();

        var act = () => rpc.SendAsync(new JsonRpcRequest("eth_noSuchMethod"), CancellationToken.None);

        var error = (await act.Should().ThrowAsync<JsonRpcException>()).Which;
        error.Error.IsMethodUnavailable.Should().BeTrue();
        error.RpcMessage.Should().Contain("eth_noSuchMethod");
        error.Method.Should().Be("eth_noSuchMethod");
    }

    [Fact]
    public async Task SendAsync_InvalidParamsOnHardhat_ThrowsJsonRpcExceptionWithInvalidParams()
    {
        var rpc = node.CreateRpc();

        var act = () => rpc.SendAsync(new JsonRpcRequest("eth_getBalance", "not-an-address", "latest"), CancellationToken.None);

        (await act.Should().ThrowAsync<JsonRpcException>()).Which.Code.Should().Be(JsonRpcError.InvalidParams);
    }

    [Fact]
    public async Task SendAsync_ErrorWithData_KeepsRawData()
    {
        var fake = new ScriptedRpcHandler
        {
            Answer = (_, _, id) => ScriptedRpcHandler.Error(id, 3, "execution reverted", """{"data":"0x08c379a0","extra":[1,2]}"""),
        };

        var act = () => fake.CreateClient().SendAsync(new JsonRpcRequest("eth_call"), CancellationToken.None);

        var error = (await act.Should().ThrowAsync<JsonRpcException>()).Which;
        error.Code.Should().Be(3);
        error.RpcMessage.Should().Be("execution reverted");
        error.ErrorData!.Value.GetProperty("data").GetString().Should().Be("0x08c379a0");
        error.ErrorData!.Value.GetProperty("extra").GetArrayLength().Should().Be(2);
    }

    [Fact]
    public async Task SendBatchAsync_AnswersOutOfOrder_MatchesByIdInOnePost()
    {
        var fake = new ScriptedRpcHandler
        {
            RawAnswer = body =>
            {
                var calls = JsonNode.Parse(body)!.AsArray();
                var answers = calls.Reverse().Select(c => ScriptedRpcHandler.Result(
                    c!["id"]!.ToJsonString(), $"\"{c["method"]!.GetValue<string>()}\""));
                return (HttpStatusCode.OK, "[" + string.Join(",", answers) + "]");
            },
        };
        var rpc = fake.CreateClient();

        var answers = await rpc.SendBatchAsync([new("a"), new("b"), new("c")], CancellationToken.None);

        answers.Select(a => a.GetResultOrThrow().GetString()).Should().Equal("a", "b", "c");
        fake.Posts.Should().Be(1);
    }

    [Fact]
    public async Task SendBatchAsync_MoreThanMaxBatchSize_SplitsIntoSeveralPosts()
    {
        var fake = new ScriptedRpcHandler { Answer = (m, _, id) => ScriptedRpcHandler.Result(id, $"\"{m}\"") };
        var rpc = fake.CreateClient(new JsonRpcClientOptions { MaxBatchSize = 2 });

        var answers = await rpc.SendBatchAsync([new("a"), new("b"), new("c"), new("d"), new("e")], CancellationToken.None);

        answers.Select(a => a.GetResultOrThrow().GetString()).Should().Equal("a", "b", "c", "d", "e");
        fake.Posts.Should().Be(3);
    }

    [Fact]
    public async Task SendBatchAsync_AnswerMissing_ThrowsInvalidResponse()
    {
        var fake = new ScriptedRpcHandler
        {
            RawAnswer = body =>
            {
                var first = JsonNode.Parse(body)!.AsArray()[0]!;
                return (HttpStatusCode.OK, "[" + ScriptedRpcHandler.Result(first["id"]!.ToJsonString(), "1") + "]");
            },
        };

        var act = () => fake.CreateClient().SendBatchAsync([new("a"), new("b")], CancellationToken.None);

        (await act.Should().ThrowAsync<RpcTransportException>()).Which.Failure.Should().Be(RpcTransportFailure.InvalidResponse);
    }

    [Fact]
    public async Task SendBatchAsync_WholeBatchRefused_ThrowsJsonRpcException()
    {
        var fake = new ScriptedRpcHandler
        {
            RawAnswer = _ => (HttpStatusCode.OK, ScriptedRpcHandler.Error("null", -32005, "batch too large")),
        };

        var act = () => fake.CreateClient().SendBatchAsync([new("a"), new("b")], CancellationToken.None);

        (await act.Should().ThrowAsync<JsonRpcException>()).Which.Code.Should().Be(-32005);
    }

    [Fact]
    public async Task SendBatchAsync_TypedBatchWithOneFailingCall_CompletesEachTaskSeparately()
    {
        var rpc = node.CreateRpc();
        var batch = new JsonRpcBatch();
        var chainId = batch.Add(new RpcCall<string>(new JsonRpcRequest("eth_chainId"), r => r.GetString()!));
        var broken = batch.Add(new RpcCall<string>(new JsonRpcRequest("eth_noSuchMethod"), r => r.GetString()!));

        await rpc.SendBatchAsync(batch, CancellationToken.None);

        (await chainId).Should().Be("0x7a69");
        await broken.Invoking(t => t).Should().ThrowAsync<JsonRpcException>();
    }

    [Fact]
    public async Task SendAsync_NodeNeverAnswers_ThrowsRpcTimeoutAfterTimeout()
    {
        using var silent = new SilentTcpServer();
        using var http = new HttpClient();
        var rpc = new JsonRpcClient(http, new JsonRpcClientOptions { Endpoint = silent.Url, RequestTimeout = TimeSpan.FromSeconds(10) });
        var watch = Stopwatch.StartNew();

        var act = () => rpc.SendAsync(new JsonRpcRequest("eth_chainId") { Timeout = TimeSpan.FromMilliseconds(300) }, CancellationToken.None);

        var error = (await act.Should().ThrowAsync<RpcTimeoutException>()).Which;
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        error.Timeout.Should().Be(TimeSpan.FromMilliseconds(300));
        error.CertainlyNotDelivered.Should().BeFalse();
    }

    [Fact]
    public async Task SendAsync_HttpClientTimeoutFires_ThrowsRpcTimeout()
    {
        using var silent = new SilentTcpServer();
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(200) };
        var rpc = new JsonRpcClient(http, new JsonRpcClientOptions { Endpoint = silent.Url });

        var act = () => rpc.SendAsync(new JsonRpcRequest("eth_chainId"), CancellationToken.None);

        await act.Should().ThrowAsync<RpcTimeoutException>();
    }

    [Fact]
    public async Task SendAsync_CallerCancels_ThrowsOperationCanceledNotTimeout()
    {
        using var silent = new SilentTcpServer();
        using var http = new HttpClient();
        var rpc = new JsonRpcClient(http, new JsonRpcClientOptions { Endpoint = silent.Url });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var act = () => rpc.SendAsync(new JsonRpcRequest("eth_chainId"), cts.Token);

        var thrown = (await act.Should().ThrowAsync<OperationCanceledException>()).Which;
        thrown.Should().NotBeAssignableTo<RpcException>();
    }

    [Fact]
    public async Task SendAsync_NothingListening_ThrowsUnreachableTransportException()
    {
        using var http = new HttpClient();
        var rpc = new JsonRpcClient(http, new JsonRpcClientOptions { Endpoint = new Uri($"http://127.0.0.1:{Ports.Closed()}/") });

        var act = () => rpc.SendAsync(new JsonRpcRequest("eth_chainId"), CancellationToken.None);

        var error = (await act.Should().ThrowAsync<RpcTransportException>()).Which;
        error.IsUnreachable.Should().BeTrue();
        error.CertainlyNotDelivered.Should().BeTrue();
        error.Should().NotBeOfType<RpcTimeoutException>();
    }

    [Fact]
    public async Task SendAsync_BareSocketExceptionWhileConnecting_ThrowsUnreachableNeverDelivered()
    {
        // What SocketsHttpHandler throws, unwrapped, when a killed node's socket goes away during connect.
        using var http = new HttpClient(new ThrowingHandler(new System.Net.Sockets.SocketException(107)));
        var rpc = new JsonRpcClient(http, new JsonRpcClientOptions { Endpoint = new Uri("http://127.0.0.1:1/") });

        var act = () => rpc.SendAsync(new JsonRpcRequest("eth_chainId"), CancellationToken.None);

        var error = (await act.Should().ThrowAsync<RpcTransportException>()).Which;
        error.IsUnreachable.Should().BeTrue();
        error.CertainlyNotDelivered.Should().BeTrue();
        error.InnerException.Should().BeOfType<System.Net.Sockets.SocketException>();
    }

    [Fact]
    public async Task SendAsync_KilledNode_ThrowsUnreachable()
    {
        await using var anvil = await Provenance.Testing.DevChainProcess.StartAnvilAsync();
        using var http = new HttpClient();
        var rpc = new JsonRpcClient(http, new JsonRpcClientOptions { Endpoint = new Uri(anvil.RpcUrl) });
        (await rpc.SendAsync(new JsonRpcRequest("eth_chainId"), CancellationToken.None)).GetString().Should().Be("0x7a69");

        anvil.Kill();
        await Ports.WaitUntilClosedAsync(anvil.Port); // until then a dying node may still accept and reset
        var act = () => rpc.SendAsync(new JsonRpcRequest("eth_chainId"), CancellationToken.None);

        var error = (await act.Should().ThrowAsync<RpcTransportException>()).Which;
        error.IsUnreachable.Should().BeTrue(error.ToString());
    }

    [Fact]
    public async Task SendAsync_KilledNodeWithoutRetry_ReportsConnectionLostOrUnreachableNeverDelivered()
    {
        await using var anvil = await Provenance.Testing.DevChainProcess.StartAnvilAsync();
        using var http = new HttpClient();
        var rpc = new JsonRpcClient(http, new JsonRpcClientOptions { Endpoint = new Uri(anvil.RpcUrl), RetryOnConnectionLost = false });
        await rpc.SendAsync(new JsonRpcRequest("eth_chainId"), CancellationToken.None);

        anvil.Kill();
        var act = () => rpc.SendAsync(new JsonRpcRequest("eth_chainId"), CancellationToken.None);

        var error = (await act.Should().ThrowAsync<RpcTransportException>()).Which;
        error.Failure.Should().BeOneOf(RpcTransportFailure.Unreachable, RpcTransportFailure.ConnectionLost);
        error.CertainlyNotDelivered.Should().Be(error.Failure == RpcTransportFailure.Unreachable);
    }

    [Fact]
    public async Task SendAsync_HttpErrorWithoutJsonRpcBody_ThrowsHttpStatus()
    {
        var fake = new ScriptedRpcHandler { RawAnswer = _ => (HttpStatusCode.BadGateway, "<html>bad gateway</html>") };

        var act = () => fake.CreateClient().SendAsync(new JsonRpcRequest("eth_chainId"), CancellationToken.None);

        var error = (await act.Should().ThrowAsync<RpcTransportException>()).Which;
        error.Failure.Should().Be(RpcTransportFailure.HttpStatus);
        error.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        error.IsUnreachable.Should().BeFalse();
    }

    [Fact]
    public async Task SendAsync_HttpErrorWithJsonRpcError_ThrowsJsonRpcException()
    {
        var fake = new ScriptedRpcHandler
        {
            RawAnswer = body => (HttpStatusCode.TooManyRequests,
                ScriptedRpcHandler.Error(JsonNode.Parse(body)!["id"]!.ToJsonString(), -32005, "rate limited")),
        };

        var act = () => fake.CreateClient().SendAsync(new JsonRpcRequest("eth_chainId"), CancellationToken.None);

        (await act.Should().ThrowAsync<JsonRpcException>()).Which.Code.Should().Be(-32005);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"jsonrpc":"2.0","id":999,"result":"0x1"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1}""")]
    [InlineData("[]")]
    public async Task SendAsync_MalformedAnswer_ThrowsInvalidResponse(string answer)
    {
        var fake = new ScriptedRpcHandler { RawAnswer = _ => (HttpStatusCode.OK, answer) };

        var act = () => fake.CreateClient().SendAsync(new JsonRpcRequest("eth_chainId"), CancellationToken.None);

        (await act.Should().ThrowAsync<RpcTransportException>()).Which.Failure.Should().Be(RpcTransportFailure.InvalidResponse);
    }

    [Fact]
    public async Task SendAsync_ConcurrentCalls_UseDistinctIds()
    {
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        var fake = new ScriptedRpcHandler { Answer = (_, _, id) => { ids.Add(id); return ScriptedRpcHandler.Result(id, "true"); } };
        var rpc = fake.CreateClient();

        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => rpc.SendAsync(new JsonRpcRequest("x"), CancellationToken.None))));

        ids.Should().HaveCount(200).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public void Constructor_NoEndpoint_Throws()
    {
        var act = () => new JsonRpcClient(new HttpClient(), new JsonRpcClientOptions());

        act.Should().Throw<ArgumentException>();
    }
}
