using System.Numerics;

namespace Provenance.Ethereum.Eth;

/// <summary>Settings of an <see cref="EthClient"/>: receipt polling, log paging, fee fallback, revert decoding.</summary>
public sealed class EthClientOptions
{
    /// <summary>Receipt polling defaults for <see cref="EthClient.WaitForReceiptAsync"/>.</summary>
    public ReceiptWaitOptions ReceiptWait { get; set; } = new();

    /// <summary>Log paging defaults for <see cref="EthClient.GetLogsPagedAsync"/>.</summary>
    public LogPagingOptions LogPaging { get; set; } = new();

    /// <summary>The tip used when the node lacks <c>eth_maxPriorityFeePerGas</c> (default 1 gwei).</summary>
    public BigInteger FallbackPriorityFee { get; set; } = 1_000_000_000;

    /// <summary>Decodes revert data of failed calls (standard errors plus the custom errors of the ABIs it knows).</summary>
    public RevertDecoder RevertDecoder { get; set; } = RevertDecoder.Standard;

    /// <summary>Throws when the settings cannot work.</summary>
    public void Validate()
    {
        ReceiptWait.Validate();
        LogPaging.Validate();
        if (FallbackPriorityFee.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(FallbackPriorityFee), "must not be negative");
        }

        ArgumentNullException.ThrowIfNull(RevertDecoder);
    }
}

/// <summary>How to poll <c>eth_getTransactionReceipt</c>: exponential backoff and an overall timeout.</summary>
public sealed record ReceiptWaitOptions
{
    /// <summary>Give up after this long with <see cref="ReceiptTimeoutException"/>. Default 2 minutes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>First pause between polls. Default 50 ms (a local automining node answers at once).</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest pause between polls. Default 2 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Factor applied to the pause after each poll. Default 1.5.</summary>
    public double Multiplier { get; init; } = 1.5;

    internal void Validate()
    {
        if (Timeout <= TimeSpan.Zero || InitialDelay <= TimeSpan.Zero || MaxDelay < InitialDelay || Multiplier < 1)
        {
            throw new ArgumentException($"Invalid receipt wait options: {this}");
        }
    }
}

/// <summary>
/// How to page <c>eth_getLogs</c> by block range: providers cap the range and the result count, so a refused
/// page is split in halves until it passes (rule 10 of our Ethereum notes); the page size grows back after successes.
/// </summary>
public sealed record LogPagingOptions
{
    /// <summary>The largest block range asked in one call. Default 2,000 blocks.</summary>
    public ulong MaxBlockRange { get; init; } = 2_000;

    /// <summary>Also split a page whose call timed out (providers time out on heavy ranges). Default true.</summary>
    public bool SplitOnTimeout { get; init; } = true;

    /// <summary>
    /// Tells a refusal of the range or the result count from other errors; the default recognises the usual
    /// messages (range too large, too many results, query returned more than, limit exceeded, -32005).
    /// </summary>
    public Func<JsonRpc.JsonRpcException, bool> IsRangeRefusal { get; init; } = LogRangeRefusal.IsRefusal;

    internal void Validate()
    {
        if (MaxBlockRange < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBlockRange), "must be at least 1");
        }

        ArgumentNullException.ThrowIfNull(IsRangeRefusal);
    }
}

/// <summary>Recognises a provider's refusal of an <c>eth_getLogs</c> range or result count.</summary>
public static class LogRangeRefusal
{
    private static readonly string[] Phrases =
    [
        "range too large", "block range", "too many results", "query returned more than", "more than 10000 results",
        "limit exceeded", "response size", "exceed maximum block range", "too large", "max results", "range is too",
        "logs matched by query exceeds", "query timeout",
    ];

    /// <summary>True for code -32005 (EIP-1474 limit exceeded) or a message naming a range or result limit.</summary>
    public static bool IsRefusal(JsonRpc.JsonRpcException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Code == JsonRpc.JsonRpcError.LimitExceeded
            || Phrases.Any(p => error.RpcMessage.Contains(p, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>No receipt with a block hash appeared within the wait's timeout; the transaction may still be mined later.</summary>
public sealed class ReceiptTimeoutException(string transactionHash, TimeSpan timeout)
    : TimeoutException($"No receipt for {transactionHash} within {timeout.TotalSeconds:0.###} s")
{
    /// <summary>The transaction waited for.</summary>
    public string TransactionHash { get; } = transactionHash;

    /// <summary>The overall timeout that expired.</summary>
    public TimeSpan Timeout { get; } = timeout;
}
