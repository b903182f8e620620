using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Provenance.Api.Verification;

/// <summary>
/// Reads views through a short cache (<see cref="VerificationOptions.ViewCacheDuration"/>) so a popular tag does not
/// reach the store on every scan; unknown codes are cached too, so guessing codes costs the store nothing. When an
/// entry expires under load, one read refreshes it and the concurrent requests for the same code wait for that read
/// instead of each reading the store.
/// </summary>
public sealed class PieceViews
{
    private readonly IPieceVerificationSource _source;
    private readonly VerificationCache _cache;
    private readonly TimeSpan _duration;
    private readonly ConcurrentDictionary<string, Lazy<Task<PieceVerificationView?>>> _loads = new(StringComparer.Ordinal);

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

        var load = _loads.GetOrAdd(code, static (c, self) => new(() => self.LoadAsync(c)), this);
        return await load.Value.WaitAsync(cancellationToken);
    }

    /// <summary>Forgets the cached view (after a claim, so the next view reads the store).</summary>
    public void Invalidate(string code) => _cache.Cache.Remove(Key(code));

    /// <summary>
    /// The shared read of one code: not tied to the request that started it (the others wait for it too); a failure
    /// reaches every waiter and is not cached.
    /// </summary>
    private async Task<PieceVerificationView?> LoadAsync(string code)
    {
        try
        {
            var view = await _source.GetByCodeAsync(code, CancellationToken.None);
            _cache.Cache.Set(Key(code), new Cached(view), new MemoryCacheEntryOptions
            {
                AbsoluteExpirationRelativeToNow = _duration,
                Size = 1,
            });
            return view;
        }
        finally
        {
            _loads.TryRemove(code, out _); // still this load's entry: no other load of the code starts before it goes
        }
    }

    private static (string, string) Key(string code) => ("view", code);

    private sealed record Cached(PieceVerificationView? View);
}
