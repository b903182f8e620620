using Microsoft.Extensions.Caching.Memory;

namespace Provenance.Api.Verification;

/// <summary>The feature's own bounded memory cache (views, rendered pages, QR images), apart from the app's.</summary>
public sealed class VerificationCache : IDisposable
{
    /// <summary>The cache; every entry has size 1, at most 20,000 entries.</summary>
    public MemoryCache Cache { get; } = new(new MemoryCacheOptions { SizeLimit = 20_000, CompactionPercentage = 0.2 });

    /// <inheritdoc />
    public void Dispose() => Cache.Dispose();
}
