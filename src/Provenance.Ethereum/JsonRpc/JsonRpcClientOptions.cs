using System.ComponentModel.DataAnnotations;

namespace Provenance.Ethereum.JsonRpc;

/// <summary>Settings of a <see cref="JsonRpcClient"/>.</summary>
public sealed class JsonRpcClientOptions
{
    /// <summary>The node's HTTP(S) JSON-RPC endpoint; when null the HttpClient's <c>BaseAddress</c> is used.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>How long one call (or one batch) may take before <see cref="RpcTimeoutException"/>. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most calls sent in one HTTP POST; larger batches are split. Default 100.</summary>
    [Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>
    /// Retry a call once, at once, when its connection broke (typically a pooled keep-alive connection the node
    /// closed or a node that just died). Safe for Ethereum JSON-RPC: reads are idempotent and re-sending the same
    /// signed transaction is answered "already known". Default true.
    /// </summary>
    public bool RetryOnConnectionLost { get; set; } = true;

    /// <summary>Throws when the settings cannot work.</summary>
    public void Validate()
    {
        if (Endpoint is not null && Endpoint.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"JSON-RPC endpoint must be http(s): {Endpoint}", nameof(Endpoint));
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, "must be positive");
        }

        if (MaxBatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), MaxBatchSize, "must be at least 1");
        }
    }
}
