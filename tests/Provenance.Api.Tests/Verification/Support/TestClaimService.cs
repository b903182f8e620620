using System.Collections.Concurrent;
using Provenance.Api.Verification;

namespace Provenance.Api.Tests.Verification.Support;

/// <summary>
/// Stands in for the gateway's claim service until it lands: one claim code per piece, first valid claim wins and
/// the piece becomes claimed in the <see cref="TestPieceSource"/> (as if the chain confirmed at once).
/// </summary>
public sealed class TestClaimService(TestPieceSource source) : IClaimService
{
    private readonly ConcurrentDictionary<string, string> _claimCodes = new();
    private readonly ConcurrentQueue<(string Code, string ClientId)> _calls = new();

    /// <summary>Every call the page made (piece code, client id).</summary>
    public IReadOnlyCollection<(string Code, string ClientId)> Calls => _calls;

    /// <summary>Sets the hidden claim code of a piece.</summary>
    public void SetClaimCode(string code, string claimCode) => _claimCodes[code] = claimCode;

    /// <inheritdoc />
    public async Task<ClaimResult> ClaimAsync(string code, string claimCode, string clientId, CancellationToken cancellationToken)
    {
        _calls.Enqueue((code, clientId));
        var view = await source.GetByCodeAsync(code, cancellationToken);
        if (view is null)
        {
            return new ClaimResult(ClaimOutcome.UnknownPiece);
        }

        if (view.Status is PieceStatus.Flagged or PieceStatus.Revoked)
        {
            return new ClaimResult(ClaimOutcome.NotClaimable);
        }

        if (view.Status == PieceStatus.Claimed)
        {
            return new ClaimResult(ClaimOutcome.AlreadyClaimed);
        }

        if (!_claimCodes.TryGetValue(code, out var expected)
            || !string.Equals(expected, claimCode.Replace("-", string.Empty), StringComparison.OrdinalIgnoreCase))
        {
            return new ClaimResult(ClaimOutcome.WrongCode);
        }

        source.Update(code, v => v with { Status = PieceStatus.Claimed, ClaimedSince = DateTimeOffset.UtcNow });
        return new ClaimResult(ClaimOutcome.Claimed, "op-" + Guid.NewGuid().ToString("N")[..12],
            "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "pk_owner1234_secretpart");
    }
}
