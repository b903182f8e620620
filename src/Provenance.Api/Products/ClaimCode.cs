using System.Text;
using Provenance.Api.Records;
using Provenance.Ethereum.Crypto;

namespace Provenance.Api.Products;

/// <summary>
/// The hidden claim code under the tag's scratch panel: 24 random Crockford base32 symbols (120 bits) plus a check
/// symbol, printed in groups of five. It never leaves the gateway: the claim key is derived from it as
/// <c>keccak256("provenance:claim-key:v1:" ‖ pieceCode ‖ ":" ‖ claimCode)</c> (UTF-8, normalised upper-case codes)
/// — a secp256k1 private key (rehashed in the negligible case that it is zero or ≥ n). The address of that key is
/// the claim commitment registered on chain; a claim is a signature made with it, so a claim seen in the mempool
/// cannot be redirected. Binding the piece code in the derivation gives every piece its own key even if two tags
/// shared a code.
/// </summary>
public static class ClaimCode
{
    /// <summary>Domain separator of the derivation.</summary>
    public const string Domain = "provenance:claim-key:v1:";

    /// <summary>Random symbols.</summary>
    public const int RandomLength = 24;

    /// <summary>Mints a claim code (25 symbols, shown in groups of five).</summary>
    public static string New() => Group(PieceCode.NewCode(RandomLength));

    /// <summary>Normalises user input; null when it is not a well-formed claim code.</summary>
    public static string? Normalize(string? input) => PieceCode.NormalizeCode(input, RandomLength + 1);

    /// <summary>Derives the 32-byte claim private key for a piece.</summary>
    public static byte[] DeriveKey(string pieceCode, string normalizedClaimCode)
    {
        var key = Keccak.Keccak256(Encoding.UTF8.GetBytes(Domain + pieceCode + ":" + normalizedClaimCode));
        while (!EthKey.IsValidPrivateKey(key))
        {
            key = Keccak.Keccak256(key);
        }

        return key;
    }

    private static string Group(string code)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < code.Length; i++)
        {
            if (i > 0 && i % 5 == 0)
            {
                sb.Append('-');
            }

            sb.Append(code[i]);
        }

        return sb.ToString();
    }
}
