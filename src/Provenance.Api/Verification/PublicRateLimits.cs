using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Provenance.Api.Verification;

/// <summary>
/// Fixed-window limits on the public routes (System.Threading.RateLimiting), partitioned by the salted client-address
/// hash (never the address): pages per client per minute; claims per piece and per client per window, chained so
/// either one stops an attempt.
/// </summary>
public sealed class PublicRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<long> _pages;
    private readonly PartitionedRateLimiter<ClaimAttempt> _claims;

    /// <summary>Builds the limiters from <see cref="VerificationOptions.RateLimits"/>.</summary>
    public PublicRateLimits(IOptions<VerificationOptions> options)
    {
        var limits = options.Value.RateLimits;
        _pages = PartitionedRateLimiter.Create<long, long>(address => RateLimitPartition.GetFixedWindowLimiter(
            address, _ => Window(limits.PagesPerMinute, TimeSpan.FromMinutes(1))));
        _claims = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<ClaimAttempt, string>(attempt => RateLimitPartition.GetFixedWindowLimiter(
                "piece:" + attempt.Code, _ => Window(limits.ClaimsPerPiece, limits.ClaimWindow))),
            PartitionedRateLimiter.Create<ClaimAttempt, string>(attempt => RateLimitPartition.GetFixedWindowLimiter(
                "client:" + attempt.Address.ToString("x16"), _ => Window(limits.ClaimsPerClient, limits.ClaimWindow))));
        ClaimWindow = limits.ClaimWindow;
    }

    private TimeSpan ClaimWindow { get; }

    /// <summary>Takes one page permit for the client; null when allowed, else how long to wait.</summary>
    public TimeSpan? TryPage(long address) => Take(_pages.AttemptAcquire(address), TimeSpan.FromMinutes(1));

    /// <summary>Takes one claim permit for the piece and client; null when allowed, else how long to wait.</summary>
    public TimeSpan? TryClaim(string code, long address) => Take(_claims.AttemptAcquire(new ClaimAttempt(code, address)), ClaimWindow);

    /// <inheritdoc />
    public void Dispose()
    {
        _pages.Dispose();
        _claims.Dispose();
    }

    private static TimeSpan? Take(RateLimitLease lease, TimeSpan fallback)
    {
        using (lease)
        {
            if (lease.IsAcquired)
            {
                return null;
            }

            return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero
                ? retryAfter
                : fallback;
        }
    }

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new()
    {
        PermitLimit = permits,
        Window = window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private readonly record struct ClaimAttempt(string Code, long Address);
}
