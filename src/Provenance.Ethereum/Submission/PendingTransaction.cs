using Provenance.Ethereum.Eth;

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
        _hashes = [signed.Hash];
        Generation = generation;
        ConfirmedByNode = confirmedByNode;
        FirstSentAt = LastSentAt = LastFeeChangeAt = DateTimeOffset.UtcNow;
    }

    /// <summary>The nonce this transaction holds.</summary>
    public ulong Nonce { get; }

    /// <summary>The latest signed form (the one rebroadcast).</summary>
    public SignedTransaction Current { get; private set; }

    /// <summary>The current hash.</summary>
    public string Hash => Current.Hash;

    /// <summary>Every hash sent for this nonce, oldest first.</summary>
    public IReadOnlyList<string> Hashes
    {
        get { lock (_gate) { return [.. _hashes]; } }
    }

    /// <summary>The fields it was signed with; null for a re-sent persisted transaction (which cannot be fee-bumped).</summary>
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

    /// <summary>When its fees were last set.</summary>
    public DateTimeOffset LastFeeChangeAt { get; private set; }

    /// <summary>The receipt, once <see cref="TransactionSubmitter.WaitForReceiptAsync"/> saw it.</summary>
    public TransactionReceipt? Receipt { get; internal set; }

    internal long Generation { get; }

    internal DateTimeOffset? NonceUsedSince { get; set; }

    internal void Replace(UnsignedTransaction transaction, SignedTransaction signed)
    {
        lock (_gate)
        {
            Transaction = transaction;
            Current = signed;
            if (!_hashes.Contains(signed.Hash))
            {
                _hashes.Add(signed.Hash);
            }

            LastSentAt = LastFeeChangeAt = DateTimeOffset.UtcNow;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"nonce {Nonce} {Hash}";
}
