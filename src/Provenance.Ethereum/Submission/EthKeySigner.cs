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
        Transaction tx = transaction.Fees switch
        {
            Eip1559Fees f => new Eip1559Transaction
            {
                ChainId = transaction.ChainId, Nonce = transaction.Nonce, GasLimit = transaction.GasLimit, To = transaction.To,
                Value = transaction.Value, Data = transaction.Data, MaxFeePerGas = f.MaxFeePerGas, MaxPriorityFeePerGas = f.MaxPriorityFeePerGas,
            },
            LegacyFees l => new LegacyTransaction
            {
                ChainId = transaction.ChainId, Nonce = transaction.Nonce, GasLimit = transaction.GasLimit, To = transaction.To,
                Value = transaction.Value, Data = transaction.Data, GasPrice = l.GasPrice,
            },
            _ => throw new ArgumentException($"Unsupported fees {transaction.Fees}", nameof(transaction)),
        };
        var signed = tx.Sign(key);
        return new SignedTransaction(signed.ToArray(), signed.HashHex);
    }
}
