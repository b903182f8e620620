namespace Provenance.Api.Verification;

/// <summary>
/// Claims a piece for its buyer with the hidden claim code from the tag. Implemented by the gateway (Claims): it
/// normalises the claim code, derives the claim key from it, checks it against the commitment made at registration,
/// signs the claim with that key and queues it for the relayer. The claim code itself never leaves the gateway.
/// </summary>
/// <remarks>
/// The page applies its own rate limits (per piece and per client) before calling; the service may still answer
/// <see cref="ClaimOutcome.RateLimited"/> from limits of its own. A claim code that belongs to another piece is
/// simply a wrong code for this piece.
/// </remarks>
public interface IClaimService
{
    /// <summary>Claims the piece <paramref name="code"/> with <paramref name="claimCode"/> as typed by the buyer.</summary>
    /// <param name="code">The piece code (normalised as for <see cref="IPieceVerificationSource"/>).</param>
    /// <param name="claimCode">The claim code as typed (trimmed; at most 64 characters).</param>
    /// <param name="clientId">The salted, rotating client hash (never an IP address), for the service's own limits and logs.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task<ClaimResult> ClaimAsync(string code, string claimCode, string clientId, CancellationToken cancellationToken);
}

/// <summary>The outcome of a claim and, when accepted, the operation that carries it to the chain.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="OperationId">The gateway operation id when <see cref="ClaimOutcome.Claimed"/>; null otherwise.</param>
/// <param name="OwnerAddress">The new owner's account (EIP-55) when claimed; shown to the buyer.</param>
/// <param name="OwnerApiKey">
/// When the gateway created a custodial owner account for the buyer: its API key, shown once on the (uncached) result
/// page so the buyer can keep it; null otherwise.
/// </param>
public sealed record ClaimResult(
    ClaimOutcome Outcome, string? OperationId = null, string? OwnerAddress = null, string? OwnerApiKey = null);

/// <summary>What a claim attempt came to.</summary>
public enum ClaimOutcome
{
    /// <summary>Accepted: durably stored and queued for the chain (see the operation id).</summary>
    Claimed,

    /// <summary>The piece already has an owner (or a claim for it is pending).</summary>
    AlreadyClaimed,

    /// <summary>The claim code does not belong to this piece.</summary>
    WrongCode,

    /// <summary>No piece has this code.</summary>
    UnknownPiece,

    /// <summary>Too many attempts; try later.</summary>
    RateLimited,

    /// <summary>The claim cannot be taken now (chain or relayer unavailable); nothing was stored.</summary>
    ChainUnavailable,

    /// <summary>The piece is flagged or revoked and cannot be claimed.</summary>
    NotClaimable,
}
