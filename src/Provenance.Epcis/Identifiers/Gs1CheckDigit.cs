namespace Provenance.Epcis.Identifiers;

/// <summary>
/// The GS1 standard check digit (GS1 General Specifications §7.9.1) for GTIN, GLN, SSCC, GSIN, GSRN, GDTI, GRAI and
/// the other fixed-length numeric GS1 keys: weights 3,1,3,… from the right, then the distance to the next multiple of 10.
/// </summary>
public static class Gs1CheckDigit
{
    /// <summary>The check digit for <paramref name="digitsWithoutCheck"/> (ASCII digits only).</summary>
    /// <exception cref="FormatException">A character is not an ASCII digit.</exception>
    public static char Compute(ReadOnlySpan<char> digitsWithoutCheck)
    {
        var sum = 0;
        var weight = 3;
        for (var i = digitsWithoutCheck.Length - 1; i >= 0; i--)
        {
            var c = digitsWithoutCheck[i];
            if (c is < '0' or > '9')
            {
                throw new FormatException($"'{c}' is not a digit of a GS1 key");
            }

            sum += (c - '0') * weight;
            weight = 4 - weight;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }
}
