using System.Collections.Frozen;
using Provenance.Api.Hosting;

namespace Provenance.Api.Products;

/// <summary>One craft of the catalogue: its key (stored and sent), English display name and the spellings it accepts.</summary>
/// <param name="Key">The canonical key, lower case with hyphens (e.g. <c>kani</c>); what the write API stores.</param>
/// <param name="Name">English display name (the pages translate it; see the verification feature's <c>PageText.Crafts</c>).</param>
/// <param name="Variants">Other spellings that mean this craft, in normalised form (see <see cref="Crafts.Normalize"/>).</param>
public sealed record Craft(string Key, string Name, IReadOnlyList<string> Variants);

/// <summary>
/// The one craft catalogue every feature uses: the write API validates a craft against it and stores its key
/// (<see cref="KeyOf"/>), the verification pages name and explain the key, and the audit queries filter and count by it.
/// A craft as written ("Pashmina Kani", "kani_shawl", "Kani") is matched case-, space-, underscore- and
/// hyphen-insensitively against each key and its variants (<see cref="Resolve"/>). Pieces stored before the catalogue
/// (free text, hashed into their records, so never rewritten) are resolved the same way when read.
/// </summary>
public static class Crafts
{
    /// <summary>Hand-spun, hand-woven Pashmina shawl.</summary>
    public const string Pashmina = "pashmina";

    /// <summary>Kani shawl, woven with small wooden bobbins (tojis).</summary>
    public const string Kani = "kani";

    /// <summary>Sozni needle embroidery.</summary>
    public const string Sozni = "sozni";

    /// <summary>Crewel (aari) embroidery.</summary>
    public const string Crewel = "crewel";

    /// <summary>Hand-knotted carpet.</summary>
    public const string Carpet = "carpet";

    /// <summary>Papier-mâché.</summary>
    public const string PapierMache = "papier-mache";

    /// <summary>Walnut wood carving.</summary>
    public const string WalnutCarving = "walnut-carving";

    /// <summary>Willow wicker.</summary>
    public const string WillowWicker = "willow-wicker";

    /// <summary>Longest craft as written that is looked up (the write API allows 60 characters).</summary>
    private const int MaxLength = 60;

    /// <summary>Every craft, in the order they are listed to people.</summary>
    public static IReadOnlyList<Craft> All { get; } =
    [
        new(Pashmina, "Pashmina shawl", ["pashmina-shawl", "kashmiri-pashmina"]),
        new(Kani, "Kani shawl", ["kani-shawl", "pashmina-kani", "kani-pashmina", "kani-weaving"]),
        new(Sozni, "Sozni embroidery", ["sozni-embroidery", "sozni-kari", "sozni-kaari", "needle-embroidery"]),
        new(Crewel, "Crewel embroidery", ["crewel-embroidery", "aari", "aari-embroidery", "crewel-work"]),
        new(Carpet, "Hand-knotted carpet", ["hand-knotted-carpet", "kashmiri-carpet", "carpets", "rug", "rugs"]),
        new(PapierMache, "Papier-mâché", ["papier-mâché", "papiermache", "papiermâché", "paper-mache"]),
        new(WalnutCarving, "Walnut wood carving", ["walnut-wood-carving", "walnut-wood", "wood-carving", "walnut"]),
        new(WillowWicker, "Willow wicker", ["wicker", "willow", "willow-wicker-work", "wicker-work"]),
    ];

    private static readonly FrozenDictionary<string, Craft> ByKey = All.ToFrozenDictionary(c => c.Key, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> KeyByForm = All
        .SelectMany(c => c.Variants.Prepend(c.Key).Select(form => KeyValuePair.Create(Normalize(form), c.Key)))
        .ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The keys, comma-separated, as named in error messages.</summary>
    public static string AcceptedKeys { get; } = string.Join(", ", All.Select(c => c.Key));

    /// <summary>The craft of <paramref name="key"/>, or null when it is not a key.</summary>
    public static Craft? Find(string key) => ByKey.GetValueOrDefault(key);

    /// <summary>The English display name of a key (the key itself when it is not one).</summary>
    public static string NameOf(string key) => Find(key)?.Name ?? key;

    /// <summary>
    /// A craft as written in normalised form: trimmed, lower case (invariant), words joined by single hyphens
    /// (spaces, underscores, hyphens and slashes separate words).
    /// </summary>
    public static string Normalize(string craft) =>
        string.Join('-', craft.Trim().ToLowerInvariant().Split([' ', '_', '-', '/'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// The key a craft as written refers to ("Pashmina Kani", "pashmina_kani", "Kani shawl" → "kani"), or null when it is
    /// not a craft of the catalogue.
    /// </summary>
    public static string? Resolve(string? craft) =>
        string.IsNullOrWhiteSpace(craft) || craft.Length > MaxLength ? null : KeyByForm.GetValueOrDefault(Normalize(craft));

    /// <summary>
    /// The key of a craft sent to the write API; a craft the catalogue does not know is a 422 problem naming the
    /// accepted keys (<paramref name="field"/> says where it was sent, e.g. <c>pieces[2].craft</c>).
    /// </summary>
    public static string KeyOf(string craft, string field = "craft") =>
        Resolve(craft) ?? throw ApiProblemException.Unprocessable(
            $"{field}: '{(craft.Length > MaxLength ? craft[..MaxLength] + "…" : craft)}' is not a known craft. " +
            $"Accepted: {AcceptedKeys} (or a common spelling of one, e.g. 'Kani shawl'; GET /api/crafts lists them).", "UnknownCraft");

    /// <summary>
    /// How a stored craft is shown and counted: its key when it resolves, else the stored text trimmed (free text from
    /// before the catalogue); null stays null.
    /// </summary>
    public static string? Label(string? stored) => stored is null ? null : Resolve(stored) ?? stored.Trim();
}
