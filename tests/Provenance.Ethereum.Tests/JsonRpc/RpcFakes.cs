using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Provenance.Ethereum.JsonRpc;
using Provenance.Testing;

namespace Provenance.Ethereum.Tests.JsonRpc;

/// <summary>
/// An in-process JSON-RPC endpoint for fault injection: each call (single or inside a batch) is answered by
/// <see cref="Answer"/> with the JSON of a whole response object; the default forwards nothing and fails.
/// Counts HTTP posts so tests can assert that a batch was one POST.
/// </summary>
internal sealed class ScriptedRpcHandler : HttpMessageHandler
{
    private int _posts;

    /// <summary>Answers one call: (method, params, id JSON) → response object JSON.</summary>
    public Func<string, JsonElement, string, string> Answer { get; set; } =
        (method, _, id) => Error(id, -32601, $"method {method} not scripted");

    /// <summary>When set, replaces the whole HTTP answer (status, body).</summary>
    public Func<string, (HttpStatusCode Status, string Body)>? RawAnswer { get; set; }

    public int Posts => Volatile.Read(ref _posts);

    public List<string> Methods { get; } = [];

    public static string Result(string id, string resultJson) => $$"""{"jsonrpc":"2.0","id":{{id}},"result":{{resultJson}}}""";

    public static string Error(string id, long code, string message, string? dataJson = null) =>
        dataJson is null
            ? $$$"""{"jsonrpc":"2.0","id":{{{id}}},"error":{"code":{{{code}}},"message":{{{JsonSerializer.Serialize(message)}}}}}"""
            : $$$"""{"jsonrpc":"2.0","id":{{{id}}},"error":{"code":{{{code}}},"message":{{{JsonSerializer.Serialize(message)}}},"data":{{{dataJson}}}}}""";

    public JsonRpcClient CreateClient(JsonRpcClientOptions? options = null)
    {
        options ??= new JsonRpcClientOptions();
        options.Endpoint ??= new Uri("http://fake-node.invalid/");
        return new JsonRpcClient(new HttpClient(this, disposeHandler: false), options);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _posts);
        var body = await request.Content!.ReadAsStringAsync(cancellationToken);
        if (RawAnswer is not null)
        {
            var (status, raw) = RawAnswer(body);
            return new HttpResponseMessage(status) { Content = new StringContent(raw, Encoding.UTF8, "application/json") };
        }

        using var doc = JsonDocument.Parse(body);
        string json;
        if (doc.RootElement.ValueKind == JsonValueKind.Array)
        {
            json = "[" + string.Join(",", doc.RootElement.EnumerateArray().Select(AnswerOne)) + "]";
        }
        else
        {
            json = AnswerOne(doc.RootElement);
        }

        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
    }

    private string AnswerOne(JsonElement call)
    {
        var method = call.GetProperty("method").GetString()!;
        lock (Methods)
        {
            Methods.Add(method);
        }

        return Answer(method, call.GetProperty("params"), call.GetProperty("id").GetRawText());
    }
}

/// <summary>A TCP port that accepts connections and never answers (a hung node).</summary>
internal sealed class SilentTcpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _clients = [];
    private readonly CancellationTokenSource _stop = new();

    public SilentTcpServer()
    {
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
        }
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_clients)
                {
                    _clients.Add(client);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }
    }
}

internal static class Ports
{
    /// <summary>A loopback port with nothing listening on it (taken and released).</summary>
    public static int Closed() => LoopbackPorts.Free();

    /// <summary>
    /// Waits until nothing accepts connections on <paramref name="port"/> any more: a killed node's process tree
    /// (the npm wrapper and the binary) can keep its listening socket for a moment after the wrapper exited.
    /// </summary>
    public static async Task WaitUntilClosedAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
            }
            catch (SocketException)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"port {port} still accepts connections");
            }

            await Task.Delay(50);
        }
    }
}

/// <summary>A handler that fails every request with the given exception, as the socket layer would.</summary>
internal sealed class ThrowingHandler(Exception error) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromException<HttpResponseMessage>(error);
}
