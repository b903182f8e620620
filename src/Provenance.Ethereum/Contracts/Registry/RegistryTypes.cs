using System.Numerics;

namespace Provenance.Ethereum.Contracts.Registry;

/// <summary><c>IProvenanceRegistry.PieceStatus</c>.</summary>
public enum PieceStatus : byte
{
    /// <summary>Never registered.</summary>
    None,

    /// <summary>Registered and in circulation.</summary>
    Active,

    /// <summary>Sold (after a Sale event).</summary>
    Sold,

    /// <summary>Claimed by an owner.</summary>
    Claimed,

    /// <summary>Flagged by a certifier or the admin.</summary>
    Flagged,

    /// <summary>Revoked for good.</summary>
    Revoked,
}

/// <summary><c>IProvenanceRegistry.EventKind</c>.</summary>
public enum EventKind : byte
{
    /// <summary>Registration (entry 1).</summary>
    Registration,

    /// <summary>A processing step.</summary>
    Processing,

    /// <summary>A certification.</summary>
    Certification,

    /// <summary>Shipping.</summary>
    Shipping,

    /// <summary>Export.</summary>
    Export,

    /// <summary>Sale.</summary>
    Sale,

    /// <summary>Payment confirmed by the artisan.</summary>
    PaymentConfirmed,

    /// <summary>A note.</summary>
    Note,

    /// <summary>Custody handoff.</summary>
    Handoff,

    /// <summary>Flagged.</summary>
    Flag,

    /// <summary>Flag cleared.</summary>
    Unflag,

    /// <summary>Revoked.</summary>
    Revocation,

    /// <summary>Claimed.</summary>
    Claim,
}

/// <summary><c>IProvenanceRegistry.ActionType</c>: which EIP-712 type a signed action uses.</summary>
public enum ActionType : byte
{
    /// <summary>Register.</summary>
    Register,

    /// <summary>AppendEvent.</summary>
    AppendEvent,

    /// <summary>Handoff.</summary>
    Handoff,

    /// <summary>Flag.</summary>
    Flag,

    /// <summary>Unflag.</summary>
    Unflag,

    /// <summary>Revoke.</summary>
    Revoke,

    /// <summary>Claim.</summary>
    Claim,
}

/// <summary><c>IProvenanceRegistry.Authorization</c>: one signer's nonce, deadline and 65-byte signature.</summary>
public sealed record Authorization(BigInteger Nonce, BigInteger Deadline, byte[] Signature)
{
    /// <summary>An empty authorisation (for fields an action does not use).</summary>
    public static Authorization None { get; } = new(0, 0, []);

    internal object?[] ToAbi() => [Nonce, Deadline, Signature];
}

/// <summary><c>IProvenanceRegistry.SignedAction</c>: a relayed action with its signer's (and receiver's) authorisation.</summary>
public sealed record SignedAction(
    ActionType Action,
    Address Signer,
    byte[] Id,
    EventKind Kind,
    byte[] RecordHash,
    Address Account,
    IReadOnlyList<Address> Makers,
    Authorization Auth,
    Authorization ReceiverAuth)
{
    internal object?[] ToAbi() =>
    [
        (byte)Action, Signer, Id, (byte)Kind, RecordHash, Account, Makers.Cast<object?>().ToArray(), Auth.ToAbi(), ReceiverAuth.ToAbi(),
    ];
}

/// <summary><c>IProvenanceRegistry.PieceView</c>: a piece's stored state.</summary>
public sealed record PieceView(
    PieceStatus Status,
    PieceStatus StatusBeforeFlag,
    Address Custodian,
    Address Artisan,
    Address ClaimSigner,
    Address Owner,
    BigInteger EventCount,
    BigInteger ClaimedAt,
    byte[] Head)
{
    internal static PieceView FromAbi(object?[] t) => new(
        (PieceStatus)(byte)(BigInteger)t[0]!,
        (PieceStatus)(byte)(BigInteger)t[1]!,
        (Address)t[2]!,
        (Address)t[3]!,
        (Address)t[4]!,
        (Address)t[5]!,
        (BigInteger)t[6]!,
        (BigInteger)t[7]!,
        (byte[])t[8]!);
}
