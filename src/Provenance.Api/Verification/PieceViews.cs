using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Provenance.Api.Verification;

/// <summary>
/// Reads views through a short cache (<see cref="VerificationOptions.ViewCacheDuration"/>) so a popular tag does not
/// reach the store on every scan; unknown codes are cached too, so guessing codes costs the store nothing.
/// </summary>
public sealed class PieceViews
{
    private readonly IPieceVerificationSource _source;
    private readonly VerificationCache _cache;
    private readonly TimeSpan _duration;

    /// <summary>Uses the preview source when one is configured, else the gateway's.</summary>
    public PieceViews(IServiceProvider services, VerificationCache cache, IOptions<VerificationOptions> options)
    {
        _source = services.GetKeyedService<IPieceVerificationSource>(Preview.FixturePieceVerificationSource.ServiceKey)
            ?? services.GetRequiredService<IPieceVerificationSource>();
        _cache = cache;
        _duration = options.Value.ViewCacheDuration;
    }

    /// <summary>The view of a normalised code, or null when no piece has it.</summary>
    public async Task<PieceVerificationView?> GetAsync(string code, CancellationToken cancellationToken)
    {
        if (_duration <= TimeSpan.Zero)
        {
            return await _source.GetByCodeAsync(code, cancellationToken);
        }

        if (_cache.Cache.TryGetValue(Key(code), out Cached? cached))
        {
            return cached!.View;
        }

        var view = await _source.GetByCodeAsync(code, cancellationToken);
        _cache.Cache.Set(Key(code), new Cached(view), new MemoryCacheEntryOptions
        {
            AbsoluteExpirationRelativeToNow = _duration,
            Size = 1,
        });
        return view;
    }

    /// <summary>Forgets the cached view (after a claim, so the next view reads the store).</summary>
    public void Invalidate(string code) => _cache.Cache.Remove(Key(code));

    private static (string, string) Key(string code) => ("view", code);

    private sealed record Cached(PieceVerificationView? View);
}
