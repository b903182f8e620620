namespace Provenance.Ethereum.JsonRpc;

/// <summary>
/// Typed calls collected to be sent as one JSON-RPC batch (one HTTP POST). Each <see cref="Add{T}"/> returns a
/// task that completes when the batch has been sent: with the parsed result, or the node's error for that call
/// as <see cref="JsonRpcException"/>, or the transport failure of the whole batch.
/// </summary>
public sealed class JsonRpcBatch
{
    private readonly List<(JsonRpcRequest Request, Action<JsonRpcResponse> Complete, Action<Exception> Fail)> _items = [];
    private bool _sent;

    /// <summary>The number of calls in the batch.</summary>
    public int Count => _items.Count;

    /// <summary>Adds a typed call; the returned task completes after <see cref="JsonRpcClientExtensions.SendBatchAsync(IJsonRpcClient, JsonRpcBatch, CancellationToken)"/>.</summary>
    public Task<T> Add<T>(RpcCall<T> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (_sent)
        {
            throw new InvalidOperationException("This batch was already sent.");
        }

        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _items.Add((
            call.Request,
            response =>
            {
                try
                {
                    tcs.TrySetResult(call.Parse(response.GetResultOrThrow()));
                }
                catch (Exception e) when (e is JsonRpcException or FormatException or InvalidOperationException
                                              or System.Text.Json.JsonException or OverflowException or KeyNotFoundException)
                {
                    tcs.TrySetException(e);
                }
            },
            e => tcs.TrySetException(e)));
        return tcs.Task;
    }

    internal async Task SendAsync(IJsonRpcClient client, CancellationToken cancellationToken)
    {
        if (_sent)
        {
            throw new InvalidOperationException("This batch was already sent.");
        }

        _sent = true;
        if (_items.Count == 0)
        {
            return;
        }

        IReadOnlyList<JsonRpcResponse> responses;
        try
        {
            responses = await client.SendBatchAsync(_items.Select(i => i.Request).ToArray(), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException)
        {
            foreach (var item in _items)
            {
                item.Fail(e);
            }

            throw;
        }

        for (var i = 0; i < _items.Count; i++)
        {
            _items[i].Complete(responses[i]);
        }
    }
}
