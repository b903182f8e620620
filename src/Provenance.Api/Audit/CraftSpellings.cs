using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Provenance.Api.Products;

namespace Provenance.Api.Audit;

/// <summary>
/// The craft filter's values: every spelling of one craft the store's piece records hold. New records carry the
/// catalogue's key (<see cref="Crafts.KeyOf"/>); records stored before the catalogue carry free text and are hashed, so
/// they are matched as stored, not rewritten. A filter naming a catalogue craft (key or variant) matches each stored
/// spelling that resolves to its key; any other filter matches stored text equal to it once normalised.
/// </summary>
internal static class CraftSpellings
{
    /// <summary>More distinct stored spellings than this are not looked at (the store holds a handful).</summary>
    private const int MaxDistinct = 10_000;

    /// <summary>
    /// The stored spellings <paramref name="craft"/> matches (never empty: a craft stored nowhere yields itself, which
    /// matches nothing). The distinct spellings are read with one seek each on the craft index
    /// (<c>records_piece_craft</c>), not by reading the records.
    /// </summary>
    public static async Task<IReadOnlyList<string>> OfAsync(SqliteConnection c, DbTransaction tx, string craft, CancellationToken ct)
    {
        var key = Crafts.Resolve(craft);
        var normalised = Crafts.Normalize(craft);
        var spellings = new List<string>();
        var after = string.Empty;
        for (var i = 0; i < MaxDistinct; i++)
        {
            var next = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT json_extract(json, '$.craft') FROM records WHERE kind = 'piece' AND json_extract(json, '$.craft') > @after " +
                "ORDER BY json_extract(json, '$.craft') LIMIT 1", new { after }, tx, cancellationToken: ct));
            if (next is null)
            {
                break;
            }

            if (key is not null ? Crafts.Resolve(next) == key : Crafts.Normalize(next) == normalised)
            {
                spellings.Add(next);
            }

            after = next;
        }

        return spellings.Count > 0 ? spellings : [key ?? craft.Trim()];
    }
}
