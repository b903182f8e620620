namespace Provenance.Api.Verification;

/// <summary>
/// What the public verification page reads about one piece. Implemented by the gateway from its store (the indexed
/// chain state plus the off-chain records), so a page view never waits on the chain. Contract between the gateway
/// and the Verification feature.
/// </summary>
/// <remarks>
/// Implementations should be fast (the page is served under load: read from the index and cached proofs) and must
/// already apply each artisan's visibility choice to <see cref="MakerView"/>. When the chain cannot be reached, return
/// the last verified data with <see cref="DataFreshness.IsLive"/> false rather than failing. Throw
/// <see cref="PieceSourceUnavailableException"/> only when nothing can be read at all (the store is down).
/// </remarks>
public interface IPieceVerificationSource
{
    /// <summary>
    /// The public view of the piece with this code, or <c>null</c> when no piece has this code. The code is given
    /// normalised by <see cref="Products.PieceCode.Normalize"/> (upper case, look-alikes mapped, check symbol valid).
    /// </summary>
    Task<PieceVerificationView?> GetByCodeAsync(string code, CancellationToken cancellationToken);
}

/// <summary>The store behind <see cref="IPieceVerificationSource"/> cannot be read at all; the page answers 503.</summary>
public sealed class PieceSourceUnavailableException : Exception
{
    /// <summary>Creates the exception with a message for the log (never shown to the visitor).</summary>
    public PieceSourceUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
