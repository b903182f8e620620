using System.Collections.Concurrent;

namespace Provenance.Api.Data;

/// <summary>
/// Rows that never change once committed (an actor, a piece, a sealed custodial key), kept in memory after their first
/// read so the write path does not read the store for them on every request. A row not found is not remembered (it may
/// be committed later). Bounded: when <see cref="Capacity"/> rows are held, the cache is emptied and fills again.
/// </summary>
/// <typeparam name="TRow">The row type.</typeparam>
public sealed class CommittedRows<TRow>
    where TRow : class
{
    /// <summary>Rows held at most.</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, TRow> _rows = new(StringComparer.Ordinal);

    /// <summary>The row of <paramref name="key"/> from memory, else from <paramref name="load"/> (remembered when found).</summary>
    public async Task<TRow?> GetOrLoadAsync(string key, Func<Task<TRow?>> load)
    {
        if (_rows.TryGetValue(key, out var row))
        {
            return row;
        }

        row = await load();
        if (row is not null)
        {
            if (_rows.Count >= Capacity)
            {
                _rows.Clear();
            }

            _rows[key] = row;
        }

        return row;
    }
}
