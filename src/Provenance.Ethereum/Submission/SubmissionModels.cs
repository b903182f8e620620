using System.Numerics;
using Provenance.Ethereum.Transactions;

namespace Provenance.Ethereum.Submission;

/// <summary>What a caller wants sent: a call (or a creation when <see cref="To"/> is null). Nonce, gas and fees are the submitter's.</summary>
public sealed record TransactionRequest
{
    /// <summary>The contract or account called; null deploys <see cref="Data"/> as init code.</summary>
    public Address? To { get; init; }

    /// <summary>Calldata (or init code).</summary>
    public byte[] Data { get; init; } = [];

    /// <summary>Wei sent.</summary>
    public BigInteger Value { get; init; }

    /// <summary>A fixed gas limit; when null the submitter estimates it and adds its margin.</summary>
    public ulong? GasLimit { get; init; }

    /// <summary>
    /// The least gas limit when estimating: an estimate reflects the latest block, so a call whose cost depends on
    /// state that transactions still pending will change (a batch whose actions fail cheaply until an earlier batch is
    /// mined) names its upper bound here. Ignored with <see cref="GasLimit"/>.
    /// </summary>
    public ulong? MinGasLimit { get; init; }
}

/// <summary>Fee fields of a transaction: EIP-1559 (type 2) or legacy (EIP-155) gas price.</summary>
public abstract record TransactionFees
{
    /// <summary>The fees raised by <paramref name="percent"/> (both fields for type 2), rounded up, at least +1 wei.</summary>
    public abstract TransactionFees Bump(int percent);

    /// <summary>The most this transaction can pay per gas.</summary>
    public abstract BigInteger MaxPricePerGas { get; }

    /// <summary>Raises each field by <paramref name="percent"/>, rounding up.</summary>
    protected static BigInteger Raise(BigInteger value, int percent)
    {
        var raised = ((value * (100 + percent)) + 99) / 100;
        return raised > value ? raised : value + 1;
    }
}

/// <summary>EIP-1559 fees: <c>maxFeePerGas</c> and <c>maxPriorityFeePerGas</c>.</summary>
public sealed record Eip1559Fees(BigInteger MaxFeePerGas, BigInteger MaxPriorityFeePerGas) : TransactionFees
{
    /// <inheritdoc />
    public override BigInteger MaxPricePerGas => MaxFeePerGas;

    /// <inheritdoc />
    public override TransactionFees Bump(int percent) => new Eip1559Fees(Raise(MaxFeePerGas, percent), Raise(MaxPriorityFeePerGas, percent));

    /// <summary>Each field the larger of the two (used to keep a bump at least at current network fees).</summary>
    public Eip1559Fees Max(Eip1559Fees other) =>
        new(BigInteger.Max(MaxFeePerGas, other.MaxFeePerGas), BigInteger.Max(MaxPriorityFeePerGas, other.MaxPriorityFeePerGas));
}

/// <summary>Legacy fees: one <c>gasPrice</c> (EIP-155 replay protection comes from the chain id).</summary>
public sealed record LegacyFees(BigInteger GasPrice) : TransactionFees
{
    /// <inheritdoc />
    public override BigInteger MaxPricePerGas => GasPrice;

    /// <inheritdoc />
    public override TransactionFees Bump(int percent) => new LegacyFees(Raise(GasPrice, percent));
}

/// <summary>
/// A transaction ready to sign: every field decided by the submitter. Type 2 (EIP-1559) for <see cref="Eip1559Fees"/>,
/// legacy with EIP-155 replay protection for <see cref="LegacyFees"/>.
/// </summary>
public sealed record UnsignedTransaction(
    ulong ChainId,
    ulong Nonce,
    Address? To,
    BigInteger Value,
    byte[] Data,
    ulong GasLimit,
    TransactionFees Fees)
{
    /// <summary>The eth-core transaction with these fields (<see cref="Eip1559Transaction"/> or EIP-155 <see cref="LegacyTransaction"/>).</summary>
    public Transaction ToTransaction() => Fees switch
    {
        Eip1559Fees f => new Eip1559Transaction
        {
            ChainId = ChainId, Nonce = Nonce, GasLimit = GasLimit, To = To, Value = Value, Data = Data,
            MaxFeePerGas = f.MaxFeePerGas, MaxPriorityFeePerGas = f.MaxPriorityFeePerGas,
        },
        LegacyFees l => new LegacyTransaction
        {
            ChainId = ChainId, Nonce = Nonce, GasLimit = GasLimit, To = To, Value = Value, Data = Data, GasPrice = l.GasPrice,
        },
        _ => throw new NotSupportedException($"Unsupported fees {Fees.GetType().Name}."),
    };

    /// <summary>
    /// The fields of a decoded transaction, so that it can be re-signed with other fees; null for what the submitter
    /// does not produce (type 1, or legacy without a chain id).
    /// </summary>
    public static UnsignedTransaction? FromTransaction(Transaction transaction) => transaction switch
    {
        Eip1559Transaction t => new UnsignedTransaction(
            t.ChainId, t.Nonce, t.To, t.Value, t.Data, t.GasLimit, new Eip1559Fees(t.MaxFeePerGas, t.MaxPriorityFeePerGas)),
        LegacyTransaction { ChainId: { } chainId } t => new UnsignedTransaction(
            chainId, t.Nonce, t.To, t.Value, t.Data, t.GasLimit, new LegacyFees(t.GasPrice)),
        _ => null,
    };
}

/// <summary>
/// Signs transactions for one account (legacy with EIP-155 or type 2 per <see cref="UnsignedTransaction.Fees"/>) and
/// returns eth-core's <see cref="SignedTransaction"/> (raw bytes for <c>eth_sendRawTransaction</c>, hash, signature).
/// The seam between the submitter and a key: an in-memory key (<see cref="EthKeySigner"/>), or later a KMS/HSM that
/// signs <see cref="Transaction.GetSigningHash"/> and attaches the signature with <see cref="Transaction.WithSignature"/>.
/// </summary>
public interface ITransactionSigner
{
    /// <summary>The sending account.</summary>
    Address Address { get; }

    /// <summary>Signs and serialises <paramref name="transaction"/>.</summary>
    SignedTransaction Sign(UnsignedTransaction transaction);
}

/// <summary>What the persistence hook receives before each send: persist <see cref="Raw"/> so it survives a crash.</summary>
/// <param name="Raw">the signed transaction exactly as it will be sent</param>
/// <param name="Hash">its hash</param>
/// <param name="Nonce">its nonce</param>
/// <param name="Replaces">
/// the hash last handed to this hook for the same nonce and request (a fee bump, a re-sign after a nonce conflict or a
/// fee refusal, or a re-signed persisted transaction), else null; the node may have refused that one
/// </param>
public sealed record BeforeSendContext(byte[] Raw, string Hash, ulong Nonce, string? Replaces);

/// <summary>
/// A previously signed transaction to send again (e.g. read back from the store after a restart). It is decoded
/// (eth-core's <see cref="TransactionDecoder"/>) and checked against <see cref="Hash"/>, <see cref="Nonce"/>, the
/// sender and the chain id before it is sent; type 2 and EIP-155 legacy transactions can then be re-signed with
/// higher fees.
/// </summary>
public sealed record PersistedTransaction(byte[] Raw, string Hash, ulong Nonce);

/// <summary>Outcome of re-sending one <see cref="PersistedTransaction"/>.</summary>
public enum ResubmitOutcome
{
    /// <summary>
    /// The node has it (accepted now, already pooled, or already mined), or a re-signed replacement with higher fees
    /// (see <see cref="ResubmitResult.Pending"/>) when the node refused its fees.
    /// </summary>
    Known,

    /// <summary>Its nonce was used by another transaction: it can never be mined; sign the action anew.</summary>
    NonceUsedByOther,

    /// <summary>
    /// The node rejected it for another reason, or it does not decode as a transaction of this sender for this chain
    /// with the stored hash and nonce (then it was not sent); see the error.
    /// </summary>
    Rejected,
}

/// <summary>The result of re-sending one persisted transaction.</summary>
public sealed record ResubmitResult(PersistedTransaction Transaction, ResubmitOutcome Outcome, PendingTransaction? Pending, Exception? Error);

/// <summary>What the submitter saw when it decided the chain was reset (new chain, new genesis, or the head going back).</summary>
public sealed record ChainResetInfo(
    ulong PreviousChainId,
    ulong ChainId,
    string? PreviousGenesisHash,
    string? GenesisHash,
    ulong PreviousBlockNumber,
    ulong BlockNumber,
    string Reason);

/// <summary>Thrown to waiters of transactions sent before a detected chain reset: they will not be mined as sent.</summary>
public sealed class ChainResetException(ChainResetInfo reset)
    : Exception($"The chain was reset ({reset.Reason}); transactions sent before must be submitted again.")
{
    /// <summary>What was detected.</summary>
    public ChainResetInfo Reset { get; } = reset;
}

/// <summary>A nonce of ours was mined with another transaction than ours (e.g. a conflicting sender using the same key).</summary>
public sealed class TransactionReplacedException(ulong nonce, IReadOnlyList<string> hashes)
    : Exception($"Nonce {nonce} was used by another transaction; none of {string.Join(", ", hashes)} will be mined.")
{
    /// <summary>The nonce.</summary>
    public ulong Nonce { get; } = nonce;

    /// <summary>Our hashes for that nonce.</summary>
    public IReadOnlyList<string> Hashes { get; } = hashes;
}

/// <summary>The submitter could not get a transaction accepted (after resynchronising its nonce where that applied).</summary>
public sealed class TransactionSubmissionException(string message, Exception? inner = null) : Exception(message, inner);
