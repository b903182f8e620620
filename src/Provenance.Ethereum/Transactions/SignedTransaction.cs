using System.Numerics;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Hex;

namespace Provenance.Ethereum.Transactions;

/// <summary>
/// A transaction with its signature: the raw bytes for <c>eth_sendRawTransaction</c>, the transaction hash
/// (<c>keccak256(raw)</c>, EIP-2718) and the sender recovered from the signature.
/// </summary>
public sealed class SignedTransaction
{
    private readonly byte[] _raw;
    private readonly byte[] _hash;

    /// <summary>Pairs a transaction with its signature and serialises it.</summary>
    public SignedTransaction(Transaction transaction, EthSignature signature)
    {
        Transaction = transaction ?? throw new ArgumentNullException(nameof(transaction));
        Signature = signature ?? throw new ArgumentNullException(nameof(signature));
        _raw = transaction.Encode(signature);
        _hash = Keccak.Keccak256(_raw);
    }

    /// <summary>The unsigned transaction.</summary>
    public Transaction Transaction { get; }

    /// <summary>The signature.</summary>
    public EthSignature Signature { get; }

    /// <summary>The serialised signed transaction, as sent to <c>eth_sendRawTransaction</c>.</summary>
    public ReadOnlySpan<byte> RawBytes => _raw;

    /// <summary>The transaction hash.</summary>
    public ReadOnlySpan<byte> Hash => _hash;

    /// <summary>The <c>v</c> that the serialisation carries: EIP-155/27-28 for legacy, yParity for typed transactions.</summary>
    public BigInteger V => Transaction is LegacyTransaction legacy ? Signature.GetLegacyV(legacy.ChainId) : Signature.YParity;

    /// <summary><see cref="RawBytes"/> as <c>0x</c>-hex (the <c>eth_sendRawTransaction</c> parameter).</summary>
    public string ToHex() => HexConvert.ToHex(_raw);

    /// <summary><see cref="Hash"/> as <c>0x</c>-hex (what nodes return and index by).</summary>
    public string HashHex => HexConvert.ToHex(_hash);

    /// <summary>A copy of <see cref="RawBytes"/>.</summary>
    public byte[] ToArray() => (byte[])_raw.Clone();

    /// <summary>The sender: the address recovered from the signature over the signing hash.</summary>
    /// <exception cref="FormatException">The signature does not recover.</exception>
    public Address RecoverSender() => Signature.RecoverAddress(Transaction.GetSigningHash());

    /// <inheritdoc />
    public override string ToString() => $"{Transaction.Type} transaction {HashHex}";
}
