namespace Provenance.Api.Verification;

/// <summary>
/// GS1 Digital Link URIs (GS1 Digital Link Standard 1.4): <c>{origin}/01/{GTIN-14}/21/{serial}</c>, with the piece
/// code as the serial number (AI 21 accepts upper-case letters and digits).
/// </summary>
public static class Gs1DigitalLink
{
    /// <summary>True for 14 digits whose last is the GS1 mod-10 check digit of the first 13.</summary>
    public static bool IsValidGtin14(string gtin)
    {
        if (gtin.Length != 14 || !gtin.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 13; i++)
        {
            // From the right of the 13 data digits: weights 3, 1, 3, … ; position 0 of 13 has weight 3.
            sum += (gtin[i] - '0') * (i % 2 == 0 ? 3 : 1);
        }

        return (10 - sum % 10) % 10 == gtin[13] - '0';
    }

    /// <summary>The Digital Link URI for a piece.</summary>
    public static string For(string origin, string gtin, string code) => $"{origin}/01/{gtin}/21/{code}";
}
