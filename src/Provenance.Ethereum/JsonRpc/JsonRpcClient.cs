using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Provenance.Ethereum.JsonRpc;

/// <summary>
/// JSON-RPC 2.0 over HTTP POST (the transport of the Ethereum execution API): request ids, batches in one POST
/// matched by id, cancellation, a timeout per call, and typed failures — <see cref="JsonRpcException"/> for a
/// node's error object, <see cref="RpcTransportException"/> for HTTP/network failures (unreachable told apart),
/// <see cref="RpcTimeoutException"/>. Works with an <see cref="HttpClient"/> from <c>IHttpClientFactory</c>
/// (a typed client); it never disposes the HttpClient it is given.
/// </summary>
public sealed class JsonRpcClient : IJsonRpcClient
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");
    private readonly HttpClient _http;
    private readonly JsonRpcClientOptions _options;
    private long _nextId;

    /// <summary>Creates a client over <paramref name="http"/>; the options are validated here.</summary>
    public JsonRpcClient(HttpClient http, JsonRpcClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Endpoint is null && http.BaseAddress is null)
        {
            throw new ArgumentException("Set JsonRpcClientOptions.Endpoint or the HttpClient's BaseAddress.", nameof(options));
        }

        _http = http;
        _options = options;
    }

    /// <summary>The endpoint calls are posted to.</summary>
    public Uri Endpoint => _options.Endpoint ?? _http.BaseAddress!;

    /// <inheritdoc />
    public async Task<JsonElement> SendAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = Interlocked.Increment(ref _nextId);
        var timeout = request.Timeout ?? _options.RequestTimeout;
        using var document = await PostAsync(request.Method, w => request.WriteTo(w, id), timeout, cancellationToken)
            .ConfigureAwait(false);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(request.Method, $"expected a response object, got {root.ValueKind}");
        }

        var (result, error) = ReadResponse(request.Method, root);
        if (error is not null)
        {
            throw new JsonRpcException(request.Method, error);
        }

        if (!root.TryGetProperty("id"u8, out var answeredId) || !IdEquals(answeredId, id))
        {
            throw Invalid(request.Method, $"response id {(root.TryGetProperty("id"u8, out var a) ? a.GetRawText() : "missing")} does not match request id {id}");
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JsonRpcResponse>> SendBatchAsync(
        IReadOnlyList<JsonRpcRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var responses = new List<JsonRpcResponse>(requests.Count);
        for (var start = 0; start < requests.Count; start += _options.MaxBatchSize)
        {
            var chunk = requests.Skip(start).Take(_options.MaxBatchSize).ToArray();
            responses.AddRange(await SendChunkAsync(chunk, cancellationToken).ConfigureAwait(false));
        }

        return responses;
    }

    private async Task<IReadOnlyList<JsonRpcResponse>> SendChunkAsync(JsonRpcRequest[] requests, CancellationToken ct)
    {
        const string method = "batch";
        var firstId = Interlocked.Add(ref _nextId, requests.Length) - requests.Length + 1;
        var timeout = requests.Select(r => r.Timeout ?? _options.RequestTimeout).Max();
        using var document = await PostAsync(
            method,
            w =>
            {
                w.WriteStartArray();
                for (var i = 0; i < requests.Length; i++)
                {
                    requests[i].WriteTo(w, firstId + i);
                }

                w.WriteEndArray();
            },
            timeout,
            ct).ConfigureAwait(false);

        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object)
        {
            // A node that refuses the batch as a whole answers with one error object.
            var (_, error) = ReadResponse(method, root);
            throw error is not null
                ? new JsonRpcException(method, error)
                : Invalid(method, "a batch was answered with a single result");
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(method, $"expected a response array, got {root.ValueKind}");
        }

        var answers = new JsonRpcResponse?[requests.Length];
        foreach (var item in root.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("id"u8, out var idElement)
                || idElement.ValueKind != JsonValueKind.Number || !idElement.TryGetInt64(out var id)
                || id < firstId || id >= firstId + requests.Length)
            {
                throw Invalid(method, $"batch answer with an unknown id: {Abbreviate(item.GetRawText())}");
            }

            var index = (int)(id - firstId);
            if (answers[index] is not null)
            {
                throw Invalid(method, $"batch answered id {id} twice");
            }

            var (result, error) = ReadResponse(requests[index].Method, item);
            answers[index] = new JsonRpcResponse(requests[index], result, error);
        }

        var missing = Array.FindIndex(answers, a => a is null);
        if (missing >= 0)
        {
            throw Invalid(method, $"batch answer lacks {requests[missing].Method} (id {firstId + missing})");
        }

        return answers!;
    }

    private async Task<JsonDocument> PostAsync(
        string method, Action<Utf8JsonWriter> writeBody, TimeSpan timeout, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writeBody(writer);
        }

        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeoutCts.CancelAfter(timeout);
        var attempts = _options.RetryOnConnectionLost ? 2 : 1;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await PostOnceAsync(method, buffer.WrittenMemory, timeoutCts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                // Our timeout, or HttpClient.Timeout (a TaskCanceledException wrapping TimeoutException).
                throw new RpcTimeoutException(method, timeout, e);
            }
            catch (HttpRequestException e)
            {
                var unreachable = e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError;
                if (!unreachable && attempt < attempts)
                {
                    continue;
                }

                throw new RpcTransportException(
                    method,
                    unreachable ? RpcTransportFailure.Unreachable : RpcTransportFailure.ConnectionLost,
                    unreachable
                        ? $"{method}: JSON-RPC node unreachable at {Endpoint}: {e.Message}"
                        : $"{method}: connection to {Endpoint} failed: {e.Message}",
                    e.StatusCode,
                    e,
                    certainlyNotDelivered: unreachable && attempt == 1);
            }
            catch (IOException e)
            {
                if (attempt < attempts)
                {
                    continue;
                }

                throw new RpcTransportException(
                    method, RpcTransportFailure.ConnectionLost, $"{method}: connection to {Endpoint} broke: {e.Message}", null, e);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                // SocketsHttpHandler lets a bare SocketException out of its connect step when the peer vanishes while
                // the connection is set up (ENOTCONN reading the remote end point of a node just killed); errors while
                // sending or reading come wrapped in HttpRequestException/IOException. So nothing of this attempt was
                // written: as unreachable as a refused connection.
                throw new RpcTransportException(
                    method, RpcTransportFailure.Unreachable, $"{method}: JSON-RPC node unreachable at {Endpoint}: {e.Message}", null, e,
                    certainlyNotDelivered: attempt == 1);
            }
        }
    }

    private async Task<JsonDocument> PostOnceAsync(string method, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        using var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = JsonMediaType;
        using var message = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = content };
        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException e) when (response.IsSuccessStatusCode)
        {
            throw Invalid(method, $"not JSON: {e.Message}", e);
        }
        catch (JsonException)
        {
            // An HTTP error with a non-JSON body: reported below as an HTTP status failure.
        }

        if (!response.IsSuccessStatusCode && !LooksLikeJsonRpc(document))
        {
            document?.Dispose();
            throw new RpcTransportException(
                method,
                RpcTransportFailure.HttpStatus,
                $"{method}: HTTP {(int)response.StatusCode} {response.ReasonPhrase} from {Endpoint}",
                response.StatusCode);
        }

        return document!;
    }

    private static bool LooksLikeJsonRpc(JsonDocument? document) =>
        document is not null && document.RootElement.ValueKind switch
        {
            JsonValueKind.Object => document.RootElement.TryGetProperty("jsonrpc"u8, out _),
            JsonValueKind.Array => true,
            _ => false,
        };

    private static (JsonElement Result, JsonRpcError? Error) ReadResponse(string method, JsonElement item)
    {
        if (item.TryGetProperty("error"u8, out var error) && error.ValueKind != JsonValueKind.Null)
        {
            if (error.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(method, $"error member is not an object: {Abbreviate(error.GetRawText())}");
            }

            var code = error.TryGetProperty("code"u8, out var c) && c.TryGetInt64(out var n) ? n : 0;
            var text = error.TryGetProperty("message"u8, out var m) && m.ValueKind == JsonValueKind.String
                ? m.GetString() ?? string.Empty
                : string.Empty;
            JsonElement? data = error.TryGetProperty("data"u8, out var d) ? d.Clone() : null;
            return (default, new JsonRpcError(code, text, data));
        }

        if (!item.TryGetProperty("result"u8, out var result))
        {
            throw Invalid(method, $"response has neither result nor error: {Abbreviate(item.GetRawText())}");
        }

        return (result.Clone(), null);
    }

    private static bool IdEquals(JsonElement id, long expected) =>
        id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var n) && n == expected;

    private static RpcTransportException Invalid(string method, string detail, Exception? inner = null) =>
        new(method, RpcTransportFailure.InvalidResponse, $"{method}: invalid JSON-RPC response: {detail}", null, inner);

    private static string Abbreviate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
