using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Transactions;

namespace Provenance.Ethereum.Submission;

/// <summary>
/// Signs with an in-memory secp256k1 key: type 2 (EIP-1559) for <see cref="Eip1559Fees"/>, legacy with EIP-155 for
/// <see cref="LegacyFees"/>, using the Transactions layer.
/// </summary>
public sealed class EthKeySigner(EthKey key) : ITransactionSigner
{
    /// <inheritdoc />
    public Address Address => key.Address;

    /// <inheritdoc />
    public SignedTransaction Sign(UnsignedTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.ToTransaction().Sign(key);
    }
}
