using System.Security.Cryptography;
using System.Text;

namespace Provenance.Api.Products;

/// <summary>
/// Piece codes: 16 random symbols (80 bits) from Crockford's base32 alphabet (digits and upper-case letters without
/// I, L, O, U — all in QR alphanumeric mode) plus one Luhn mod 32 check symbol, 17 characters, e.g.
/// <c>KP7Q3M9XZ2H4K8WTR</c>. On chain the piece id is <c>keccak256(bytes(code))</c>. Input is normalised the
/// Crockford way: case-insensitive, hyphens and spaces ignored, I/L read as 1 and O as 0.
/// </summary>
public static class PieceCode
{
    /// <summary>The 32 symbols.</summary>
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>Random symbols in a code.</summary>
    public const int RandomLength = 16;

    /// <summary>Total length with the check symbol.</summary>
    public const int Length = RandomLength + 1;

    /// <summary>Mints a new random code.</summary>
    public static string New() => NewCode(RandomLength);

    /// <summary>Mints <paramref name="randomLength"/> random symbols plus a check symbol.</summary>
    internal static string NewCode(int randomLength)
    {
        var chars = new char[randomLength + 1];
        for (var i = 0; i < randomLength; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        chars[randomLength] = CheckSymbol(chars.AsSpan(0, randomLength));
        return new string(chars);
    }

    /// <summary>Normalises user input and checks the length and check symbol; null when it is not a valid code.</summary>
    public static string? Normalize(string? input) => NormalizeCode(input, Length);

    internal static string? NormalizeCode(string? input, int length)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > length * 2)
        {
            return null;
        }

        var sb = new StringBuilder(length);
        foreach (var raw in input)
        {
            if (raw is '-' or ' ')
            {
                continue;
            }

            var c = char.ToUpperInvariant(raw) switch
            {
                'I' or 'L' => '1',
                'O' => '0',
                var other => other,
            };
            if (Alphabet.IndexOf(c) < 0)
            {
                return null;
            }

            sb.Append(c);
        }

        if (sb.Length != length)
        {
            return null;
        }

        var code = sb.ToString();
        return CheckSymbol(code.AsSpan(0, length - 1)) == code[^1] ? code : null;
    }

    /// <summary>Luhn mod N check symbol (N = 32): catches every single-symbol error and most adjacent swaps.</summary>
    internal static char CheckSymbol(ReadOnlySpan<char> payload)
    {
        const int n = 32;
        var factor = 2;
        var sum = 0;
        for (var i = payload.Length - 1; i >= 0; i--)
        {
            var addend = factor * Alphabet.IndexOf(payload[i]);
            factor = factor == 2 ? 1 : 2;
            sum += (addend / n) + (addend % n);
        }

        return Alphabet[(n - (sum % n)) % n];
    }
}
