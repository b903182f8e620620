namespace Provenance.Ethereum.JsonRpc;

/// <summary>A JSON-RPC 2.0 client (single calls and batches), the seam for fakes and for another transport.</summary>
public interface IJsonRpcClient
{
    /// <summary>Sends one call and returns its <c>result</c> (a detached element; JSON <c>null</c> stays a Null element).</summary>
    /// <exception cref="JsonRpcException">The node answered with an error object.</exception>
    /// <exception cref="RpcTransportException">HTTP or network failure, including <see cref="RpcTimeoutException"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<System.Text.Json.JsonElement> SendAsync(JsonRpcRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Sends many calls in one HTTP POST (a JSON-RPC batch) and returns the answers in request order, matched by id.
    /// Per-call errors are in the answers; a failure of the whole exchange throws.
    /// </summary>
    /// <exception cref="JsonRpcException">The node rejected the whole batch with one error object.</exception>
    /// <exception cref="RpcTransportException">HTTP or network failure, or answers that do not match the ids.</exception>
    Task<IReadOnlyList<JsonRpcResponse>> SendBatchAsync(
        IReadOnlyList<JsonRpcRequest> requests, CancellationToken cancellationToken);
}
