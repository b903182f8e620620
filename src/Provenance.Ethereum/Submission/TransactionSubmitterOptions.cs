namespace Provenance.Ethereum.Submission;

/// <summary>Settings of a <see cref="TransactionSubmitter"/>; validated when it is created.</summary>
public sealed class TransactionSubmitterOptions
{
    /// <summary>The chain id the submitter must find at start (e.g. from the deployment file); null accepts the node's.</summary>
    public ulong? ExpectedChainId { get; set; }

    /// <summary>Percent added to <c>eth_estimateGas</c>. Default 20.</summary>
    public int GasMarginPercent { get; set; } = 20;

    /// <summary>How long fee data is reused between sends. Default 1 s.</summary>
    public TimeSpan FeeRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often chain id, genesis hash and head are checked for a reset. Default 2 s.</summary>
    public TimeSpan ChainCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How deep a reorg may be (the head going back, or a block replaced) before it counts as a reset. Default 0: any
    /// block the submitter has seen that goes away is a reset (dev chains, which do not reorg).
    /// </summary>
    public ulong ReorgTolerance { get; set; }

    /// <summary>Resend an unmined transaction's bytes after this long. Default 30 s.</summary>
    public TimeSpan RebroadcastAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Re-sign an unmined transaction with higher fees after this long. Default 2 minutes.</summary>
    public TimeSpan FeeBumpAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Percent each fee field rises on a bump; nodes require at least 10. Default 12.</summary>
    public int FeeBumpPercent { get; set; } = 12;

    /// <summary>How long <see cref="TransactionSubmitter.WaitForReceiptAsync"/> waits in all. Default 10 minutes.</summary>
    public TimeSpan ReceiptTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Pause between receipt polls (grows ×1.5 up to 2 s). Default 50 ms.</summary>
    public TimeSpan ReceiptPollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How many times one request is re-signed after nonce conflicts or low fees. Default 4.</summary>
    public int MaxSendAttempts { get; set; } = 4;

    /// <summary>
    /// Called with the signed bytes BEFORE each send (first send, fee bump, re-sign): persist them here so a
    /// crash between signing and the node's answer loses nothing. If it throws, nothing is sent.
    /// </summary>
    public Func<BeforeSendContext, CancellationToken, Task>? BeforeSend { get; set; }

    /// <summary>Called once per detected chain reset, after the nonce was resynchronised.</summary>
    public Func<ChainResetInfo, CancellationToken, Task>? OnChainReset { get; set; }

    /// <summary>Throws when the settings cannot work.</summary>
    public void Validate()
    {
        if (GasMarginPercent is < 0 or > 500)
        {
            throw new ArgumentOutOfRangeException(nameof(GasMarginPercent), GasMarginPercent, "0..500");
        }

        if (FeeBumpPercent is < 10 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(FeeBumpPercent), FeeBumpPercent, "nodes accept a replacement only at +10% or more");
        }

        if (MaxSendAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSendAttempts), MaxSendAttempts, "at least 1");
        }

        foreach (var (name, value) in new[]
                 {
                     (nameof(FeeRefreshInterval), FeeRefreshInterval), (nameof(ChainCheckInterval), ChainCheckInterval),
                     (nameof(RebroadcastAfter), RebroadcastAfter), (nameof(FeeBumpAfter), FeeBumpAfter),
                     (nameof(ReceiptTimeout), ReceiptTimeout), (nameof(ReceiptPollInterval), ReceiptPollInterval),
                 })
        {
            if (value < TimeSpan.Zero || (value == TimeSpan.Zero && name is nameof(ReceiptTimeout) or nameof(ReceiptPollInterval)))
            {
                throw new ArgumentOutOfRangeException(name, value, "must be positive");
            }
        }
    }
}
