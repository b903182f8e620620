using System.Collections.Concurrent;

namespace Provenance.Api.Data;

/// <summary>
/// Values that never change once known — a committed actor, piece or sealed custodial key; the checksummed text of an
/// address — kept in memory after their first read or computation, so a hot path does not read the store (or hash)
/// for them again. Bounded: when <see cref="Capacity"/> values are held, the cache is emptied and fills again.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
public sealed class ImmutableCache<TKey, TValue>(int capacity = ImmutableCache<TKey, TValue>.DefaultCapacity)
    where TKey : notnull
    where TValue : class
{
    /// <summary>Values held at most unless another capacity is given.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly ConcurrentDictionary<TKey, TValue> _values = new();

    /// <summary>Values held at most.</summary>
    public int Capacity { get; } = capacity;

    /// <summary>The value of <paramref name="key"/> from memory, else computed by <paramref name="create"/> and remembered.</summary>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create) =>
        _values.TryGetValue(key, out var value) ? value : Remember(key, create(key));

    /// <summary>
    /// The value of <paramref name="key"/> from memory, else from <paramref name="load"/>, remembered when found (a row
    /// not found is not: it may be committed later).
    /// </summary>
    public async Task<TValue?> GetOrLoadAsync(TKey key, Func<Task<TValue?>> load)
    {
        if (_values.TryGetValue(key, out var value))
        {
            return value;
        }

        return await load() is { } loaded ? Remember(key, loaded) : null;
    }

    private TValue Remember(TKey key, TValue value)
    {
        if (_values.Count >= Capacity)
        {
            _values.Clear();
        }

        _values[key] = value;
        return value;
    }
}
