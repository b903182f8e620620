using Provenance.Ethereum.JsonRpc;

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
                await _eth.SendRawTransactionAsync(signed.Raw, ct).ConfigureAwait(false);
                return new SendOutcome(SendOutcomeKind.Accepted);
            }
            catch (JsonRpcException e)
            {
                var kind = NodeErrors.Classify(e);
                if (kind is SendErrorKind.AlreadyKnown or SendErrorKind.NonceTooLow or SendErrorKind.Reverted
                        or SendErrorKind.ReplacementUnderpriced
                    && await IsKnownAsync(signed.Hash, ct).ConfigureAwait(false) == true)
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
                var known = await IsKnownAsync(signed.Hash, ct).ConfigureAwait(false);
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

    /// <summary>True/false when the node answers whether it knows <paramref name="hash"/> (pooled or mined); null when it cannot be asked.</summary>
    private async Task<bool?> IsKnownAsync(string hash, CancellationToken ct)
    {
        try
        {
            return await _eth.GetTransactionByHashAsync(hash, ct).ConfigureAwait(false) is not null
                || await _eth.GetTransactionReceiptAsync(hash, ct).ConfigureAwait(false) is not null;
        }
        catch (RpcTransportException)
        {
            return null;
        }
    }
}
