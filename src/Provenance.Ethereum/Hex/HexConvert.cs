using System.Globalization;
using System.Numerics;

namespace Provenance.Ethereum.Hex;

/// <summary>
/// Hex strings as Ethereum's JSON-RPC uses them: DATA (<c>0x</c> + two digits a byte) and QUANTITY
/// (<c>0x</c> + minimal digits, <c>0x0</c> for zero), per the Ethereum JSON-RPC specification's encoding rules.
/// </summary>
public static class HexConvert
{
    /// <summary>Encodes bytes as lower-case DATA with a <c>0x</c> prefix.</summary>
    public static string ToHex(ReadOnlySpan<byte> bytes, bool prefix = true)
    {
        var digits = Convert.ToHexStringLower(bytes);
        return prefix ? "0x" + digits : digits;
    }

    /// <summary>Decodes DATA; a <c>0x</c> prefix is optional; an odd digit count or a non-hex digit is rejected.</summary>
    /// <exception cref="FormatException">The text is not valid hex data.</exception>
    public static byte[] FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var digits = Strip(hex);
        if (digits.Length % 2 != 0)
        {
            throw new FormatException($"Hex data must have an even number of digits: '{Abbreviate(hex)}'.");
        }

        try
        {
            return Convert.FromHexString(digits);
        }
        catch (FormatException)
        {
            throw new FormatException($"Not hex data: '{Abbreviate(hex)}'.");
        }
    }

    /// <summary>True when <paramref name="hex"/> is <c>0x</c>-prefixed DATA of exactly <paramref name="byteLength"/> bytes (any length when null).</summary>
    public static bool IsHexData(string? hex, int? byteLength = null)
    {
        if (hex is null || !hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || hex.Length % 2 != 0)
        {
            return false;
        }

        if (byteLength is { } n && hex.Length != 2 + (2 * n))
        {
            return false;
        }

        for (var i = 2; i < hex.Length; i++)
        {
            if (!char.IsAsciiHexDigit(hex[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Encodes a non-negative integer as a QUANTITY (<c>0x0</c>, <c>0x1f</c>, …).</summary>
    public static string ToQuantity(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "A quantity cannot be negative.");
        }

        if (value.IsZero)
        {
            return "0x0";
        }

        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        return "0x" + Convert.ToHexStringLower(bytes).TrimStart('0');
    }

    /// <inheritdoc cref="ToQuantity(BigInteger)"/>
    public static string ToQuantity(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>Parses a QUANTITY (leading zeros tolerated, as some nodes send them) into an unsigned integer.</summary>
    /// <exception cref="FormatException">The text is not a hex quantity.</exception>
    public static BigInteger ParseQuantity(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var digits = Strip(hex);
        if (digits.Length == 0 || !digits.All(char.IsAsciiHexDigit))
        {
            throw new FormatException($"Not a hex quantity: '{Abbreviate(hex)}'.");
        }

        return BigInteger.Parse("0" + digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    /// <summary>Parses a QUANTITY that must fit in 64 bits (block numbers, nonces, gas).</summary>
    /// <exception cref="FormatException">The text is not a hex quantity.</exception>
    /// <exception cref="OverflowException">The value exceeds 64 bits.</exception>
    public static ulong ParseQuantityUInt64(string hex) => (ulong)ParseQuantity(hex);

    private static string Strip(string hex) =>
        hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;

    private static string Abbreviate(string text) => text.Length <= 24 ? text : text[..24] + "…";
}
