using System.Numerics;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.JsonRpc;
using Provenance.Ethereum.Transactions;

namespace Provenance.Ethereum.Submission;

public sealed partial class TransactionSubmitter
{
    private enum SendOutcomeKind
    {
        /// <summary>The node has it (accepted now, or it already knew our hash).</summary>
        Accepted,

        /// <summary>The answer was lost and the node could not confirm it: hold the nonce, rebroadcast later.</summary>
        Unconfirmed,

        /// <summary>Certainly never reached the node.</summary>
        NotDelivered,

        /// <summary>The nonce is taken or out of line: resynchronise and re-sign.</summary>
        NonceConflict,

        /// <summary>Fees too low for the node: raise and re-sign.</summary>
        FeeTooLow,

        /// <summary>Rejected for another reason: not in the pool.</summary>
        Rejected,
    }

    private sealed record SendOutcome(SendOutcomeKind Kind, Exception? Error = null, SendErrorKind? SendError = null);

    /// <summary>Sends signed bytes and interprets the answer, asking the node about our hash whenever the answer is ambiguous.</summary>
    private async Task<SendOutcome> SendRawAsync(SignedTransaction signed, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _eth.Rpc.SendAsync(EthCalls.SendRawTransaction(signed.RawBytes), ct).ConfigureAwait(false);
                return new SendOutcome(SendOutcomeKind.Accepted);
            }
            catch (JsonRpcException e)
            {
                var kind = NodeErrors.Classify(e);
                if (kind is SendErrorKind.AlreadyKnown or SendErrorKind.NonceTooLow or SendErrorKind.Reverted
                        or SendErrorKind.ReplacementUnderpriced
                    && await IsKnownAsync(signed.HashHex, ct).ConfigureAwait(false) == true)
                {
                    return new SendOutcome(SendOutcomeKind.Accepted);
                }

                return kind switch
                {
                    // "already known" names this exact transaction even when the node will not show it by hash.
                    SendErrorKind.AlreadyKnown => new SendOutcome(SendOutcomeKind.Accepted),
                    SendErrorKind.NonceTooLow or SendErrorKind.NonceTooHigh or SendErrorKind.ReplacementUnderpriced =>
                        new SendOutcome(SendOutcomeKind.NonceConflict, e, kind),
                    SendErrorKind.FeeTooLow => new SendOutcome(SendOutcomeKind.FeeTooLow, e, kind),
                    _ => new SendOutcome(SendOutcomeKind.Rejected, e, kind),
                };
            }
            catch (RpcTransportException e) when (e.CertainlyNotDelivered)
            {
                return new SendOutcome(SendOutcomeKind.NotDelivered, e);
            }
            catch (RpcTransportException e)
            {
                // The node may have it. Ask; if it answers "unknown", sending the same bytes again is safe.
                var known = await IsKnownAsync(signed.HashHex, ct).ConfigureAwait(false);
                if (known == true)
                {
                    return new SendOutcome(SendOutcomeKind.Accepted);
                }

                if (known is null || attempt >= 2)
                {
                    return new SendOutcome(SendOutcomeKind.Unconfirmed, e);
                }
            }
        }
    }

    /// <summary>The node refused the fees: below its minimum/base fee, or not 10% above a pooled transaction with this nonce.</summary>
    private static bool IsFeeRefusal(SendOutcome outcome) =>
        outcome.Kind == SendOutcomeKind.FeeTooLow
        || (outcome.Kind == SendOutcomeKind.NonceConflict && outcome.SendError == SendErrorKind.ReplacementUnderpriced);

    /// <summary>
    /// <paramref name="basis"/> with both fee fields raised by <see cref="TransactionSubmitterOptions.FeeBumpPercent"/>
    /// (≥10%, what nodes require of a replacement), and each at least the network's current value.
    /// </summary>
    private async Task<TransactionFees> RaisedFeesAsync(TransactionFees basis, CancellationToken ct)
    {
        var bumped = basis.Bump(_options.FeeBumpPercent);
        var network = await CurrentFeesAsync(force: true, ct).ConfigureAwait(false);
        return (bumped, network) switch
        {
            (Eip1559Fees b, Eip1559Fees n) => b.Max(n),
            (LegacyFees b, LegacyFees n) => new LegacyFees(BigInteger.Max(b.GasPrice, n.GasPrice)),
            _ => bumped,
        };
    }

    /// <summary>
    /// Re-signs <paramref name="pending"/>'s transaction with both fee fields raised from the last fees tried for its
    /// nonce (accepted or refused), hands it to the BeforeSend hook (<c>Replaces</c> = the hash handed before) and
    /// sends it. While the node refuses the fees, it raises again from the refused ones, up to
    /// <see cref="TransactionSubmitterOptions.MaxSendAttempts"/> times; the next round builds on the last ones tried.
    /// </summary>
    private async Task<SendOutcome> BumpFeesAsync(PendingTransaction pending, CancellationToken ct)
    {
        var tx = pending.Transaction ?? throw new InvalidOperationException("Only a transaction with known fields can be re-signed.");
        SendOutcome outcome = new(SendOutcomeKind.Rejected);
        for (var attempt = 1; attempt <= _options.MaxSendAttempts; attempt++)
        {
            var fees = await RaisedFeesAsync(pending.LastAttemptedFees ?? tx.Fees, ct).ConfigureAwait(false);
            var replacement = tx with { Fees = fees };
            var signed = _signer.Sign(replacement);
            await BeforeSendAsync(new BeforeSendContext(signed.ToArray(), signed.HashHex, replacement.Nonce, pending.LastHandedHash), ct)
                .ConfigureAwait(false);
            pending.LastHandedHash = signed.HashHex;
            pending.LastAttemptedFees = fees;
            outcome = await SendRawAsync(signed, ct).ConfigureAwait(false);
            if (outcome.Kind is SendOutcomeKind.Accepted or SendOutcomeKind.Unconfirmed)
            {
                pending.Replace(replacement, signed);
                return outcome;
            }

            if (!IsFeeRefusal(outcome))
            {
                break;
            }
        }

        pending.FeeRoundDone();
        return outcome;
    }

    /// <summary>
    /// True/false when the node answers whether it knows <paramref name="hash"/> (pooled or mined; both asked in one
    /// batch); null when it cannot be asked.
    /// </summary>
    private async Task<bool?> IsKnownAsync(string hash, CancellationToken ct)
    {
        var batch = new JsonRpcBatch();
        var transaction = batch.Add(EthCalls.GetTransactionByHash(hash));
        var receipt = batch.Add(EthCalls.GetTransactionReceipt(hash));
        try
        {
            await _eth.Rpc.SendBatchAsync(batch, ct).ConfigureAwait(false);
            return await transaction.ConfigureAwait(false) is not null || await receipt.ConfigureAwait(false) is not null;
        }
        catch (RpcTransportException)
        {
            return null;
        }
    }
}
