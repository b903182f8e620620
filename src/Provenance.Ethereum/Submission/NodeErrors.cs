using Provenance.Ethereum.Eth;
using Provenance.Ethereum.JsonRpc;

namespace Provenance.Ethereum.Submission;

/// <summary>What a node's answer to <c>eth_sendRawTransaction</c> means for the nonce.</summary>
internal enum SendErrorKind
{
    /// <summary>The pool already has this exact transaction.</summary>
    AlreadyKnown,

    /// <summary>The nonce is below the account's next nonce (used already — maybe by this very transaction).</summary>
    NonceTooLow,

    /// <summary>The nonce leaves a gap the node refuses (Hardhat automine).</summary>
    NonceTooHigh,

    /// <summary>Another transaction with this nonce is pooled and ours does not pay 10% more.</summary>
    ReplacementUnderpriced,

    /// <summary>The fee is below the base fee or the node's minimum.</summary>
    FeeTooLow,

    /// <summary>The node mined it and it reverted (Hardhat answers the send with the revert).</summary>
    Reverted,

    /// <summary>Any other rejection: the transaction is not in the pool.</summary>
    Rejected,
}

/// <summary>Classifies send errors by the messages geth, Besu, Nethermind, Erigon, Anvil, Hardhat and Ganache use.</summary>
internal static class NodeErrors
{
    public static SendErrorKind Classify(JsonRpcException error)
    {
        var m = error.RpcMessage.ToLowerInvariant();
        if (m.Contains("already known") || m.Contains("known transaction") || m.Contains("alreadyknown")
            || m.Contains("already imported") || m.Contains("already in the pool") || m.Contains("already exists"))
        {
            return SendErrorKind.AlreadyKnown;
        }

        if (m.Contains("nonce too low") || m.Contains("oldnonce") || m.Contains("nonce has already been used")
            || m.Contains("nonce is too low") || m.Contains("transaction nonce is lower"))
        {
            return SendErrorKind.NonceTooLow;
        }

        if (m.Contains("nonce too high") || m.Contains("nonce gap") || m.Contains("nonce is too high"))
        {
            return SendErrorKind.NonceTooHigh;
        }

        if (m.Contains("replacement") && (m.Contains("underpriced") || m.Contains("fee too low") || m.Contains("not allowed")))
        {
            return SendErrorKind.ReplacementUnderpriced;
        }

        if (m.Contains("underpriced") || m.Contains("less than block base fee") || m.Contains("fee cap less than")
            || m.Contains("feetoolow") || m.Contains("max fee per gas less than") || m.Contains("gas price too low")
            || m.Contains("is too low for the next block"))
        {
            return SendErrorKind.FeeTooLow;
        }

        if (RevertData.TryExtract(error.Error, out _) && m.Contains("revert"))
        {
            return SendErrorKind.Reverted;
        }

        return SendErrorKind.Rejected;
    }
}
