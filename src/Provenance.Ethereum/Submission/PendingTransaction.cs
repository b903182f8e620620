using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Transactions;

namespace Provenance.Ethereum.Submission;

/// <summary>
/// A transaction the submitter has sent (or may have sent) for one nonce. A fee bump or re-sign adds a hash:
/// whichever of <see cref="Hashes"/> is mined settles it. Wait for it with <see cref="TransactionSubmitter.WaitForReceiptAsync"/>.
/// </summary>
public sealed class PendingTransaction
{
    private readonly object _gate = new();
    private readonly List<string> _hashes;

    internal PendingTransaction(ulong nonce, UnsignedTransaction? transaction, SignedTransaction signed, long generation, bool confirmedByNode)
    {
        Nonce = nonce;
        Transaction = transaction;
        Current = signed;
        _hashes = [signed.HashHex];
        LastHandedHash = signed.HashHex;
        LastAttemptedFees = transaction?.Fees;
        Generation = generation;
        ConfirmedByNode = confirmedByNode;
        FirstSentAt = LastSentAt = LastFeeChangeAt = DateTimeOffset.UtcNow;
    }

    /// <summary>The nonce this transaction holds.</summary>
    public ulong Nonce { get; }

    /// <summary>The latest signed form (the one rebroadcast).</summary>
    public SignedTransaction Current { get; private set; }

    /// <summary>The current hash.</summary>
    public string Hash => Current.HashHex;

    /// <summary>Every hash sent for this nonce, oldest first.</summary>
    public IReadOnlyList<string> Hashes
    {
        get { lock (_gate) { return [.. _hashes]; } }
    }

    /// <summary>
    /// The fields it was signed with (for a re-sent persisted transaction: decoded from its bytes); null only for a
    /// persisted type 1 or pre-EIP-155 transaction, which is rebroadcast but not fee-bumped.
    /// </summary>
    public UnsignedTransaction? Transaction { get; private set; }

    /// <summary>
    /// False when the send's answer was lost (timeout, broken connection) and the node could not confirm it since:
    /// the nonce is kept and the raw transaction will be rebroadcast.
    /// </summary>
    public bool ConfirmedByNode { get; internal set; }

    /// <summary>When it was first sent.</summary>
    public DateTimeOffset FirstSentAt { get; }

    /// <summary>When it was last (re)sent.</summary>
    public DateTimeOffset LastSentAt { get; internal set; }

    /// <summary>When its fees were last raised, or a raise the node refused was last tried.</summary>
    public DateTimeOffset LastFeeChangeAt { get; private set; }

    /// <summary>The receipt, once <see cref="TransactionSubmitter.WaitForReceiptAsync"/> saw it.</summary>
    public TransactionReceipt? Receipt { get; internal set; }

    internal long Generation { get; }

    internal DateTimeOffset? NonceUsedSince { get; set; }

    /// <summary>The highest fees signed for this nonce so far, accepted or refused: the next bump builds on them.</summary>
    internal TransactionFees? LastAttemptedFees { get; set; }

    /// <summary>The hash last handed to the BeforeSend hook for this nonce (the next replacement's <c>Replaces</c>).</summary>
    internal string LastHandedHash { get; set; }

    /// <summary>Marks a fee-bump round as done (accepted or not): the next one comes after FeeBumpAfter.</summary>
    internal void FeeRoundDone() => LastFeeChangeAt = DateTimeOffset.UtcNow;

    /// <summary>Adds another hash of ours for this nonce (a persisted sibling that was not sent again).</summary>
    internal void AddHash(string hash)
    {
        lock (_gate)
        {
            if (!_hashes.Contains(hash, StringComparer.OrdinalIgnoreCase))
            {
                _hashes.Add(hash);
            }
        }
    }

    internal void Replace(UnsignedTransaction transaction, SignedTransaction signed)
    {
        lock (_gate)
        {
            Transaction = transaction;
            Current = signed;
            if (!_hashes.Contains(signed.HashHex))
            {
                _hashes.Add(signed.HashHex);
            }

            LastSentAt = LastFeeChangeAt = DateTimeOffset.UtcNow;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"nonce {Nonce} {Hash}";
}
