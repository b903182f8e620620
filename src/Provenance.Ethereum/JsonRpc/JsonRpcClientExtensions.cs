namespace Provenance.Ethereum.JsonRpc;

/// <summary>Typed sending of <see cref="RpcCall{T}"/> and <see cref="JsonRpcBatch"/> over any <see cref="IJsonRpcClient"/>.</summary>
public static class JsonRpcClientExtensions
{
    /// <summary>Sends one typed call and parses its result.</summary>
    public static async Task<T> SendAsync<T>(this IJsonRpcClient client, RpcCall<T> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(call);
        var result = await client.SendAsync(call.Request, cancellationToken).ConfigureAwait(false);
        return call.Parse(result);
    }

    /// <summary>Sends every call of <paramref name="batch"/> in one HTTP POST and completes their tasks.</summary>
    /// <exception cref="RpcException">The whole batch failed (each call's task fails with the same exception).</exception>
    public static Task SendBatchAsync(this IJsonRpcClient client, JsonRpcBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(batch);
        return batch.SendAsync(client, cancellationToken);
    }
}
