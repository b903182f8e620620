namespace Provenance.Api.Verification;

/// <summary>
/// Normalises piece codes as people type or scan them: Crockford base32 (digits and upper-case letters without
/// I, L, O, U); lower case is raised, I and L read as 1, O as 0, spaces and hyphens dropped.
/// </summary>
public static class PieceCodes
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>Shortest accepted code (the gateway mints 15 characters; this only rejects obvious noise).</summary>
    public const int MinLength = 10;

    /// <summary>Longest accepted code.</summary>
    public const int MaxLength = 32;

    /// <summary>The normalised code, or null when the input cannot be a piece code.</summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > MaxLength * 2)
        {
            return null;
        }

        Span<char> buffer = stackalloc char[MaxLength];
        var length = 0;
        foreach (var raw in input)
        {
            if (raw is ' ' or '-')
            {
                continue;
            }

            var c = char.ToUpperInvariant(raw) switch
            {
                'I' or 'L' => '1',
                'O' => '0',
                var other => other,
            };
            if (Alphabet.IndexOf(c) < 0 || length == MaxLength)
            {
                return null;
            }

            buffer[length++] = c;
        }

        return length >= MinLength ? new string(buffer[..length]) : null;
    }
}
