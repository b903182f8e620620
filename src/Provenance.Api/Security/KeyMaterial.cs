using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Math;
using Provenance.Api.Records;
using Provenance.Ethereum.Hex;

namespace Provenance.Api.Security;

/// <summary>
/// secp256k1 private keys and their Ethereum addresses. Temporary: replaced by eth-core's EthKey when it is merged
/// (the same BouncyCastle curve arithmetic).
/// </summary>
public static class KeyMaterial
{
    private static readonly Org.BouncyCastle.Asn1.X9.X9ECParameters Curve = SecNamedCurves.GetByName("secp256k1");

    /// <summary>A new random private key (32 bytes, 0 &lt; k &lt; n).</summary>
    public static byte[] NewPrivateKey()
    {
        while (true)
        {
            var key = RandomNumberGenerator.GetBytes(32);
            var k = new BigInteger(1, key);
            if (k.SignValue > 0 && k.CompareTo(Curve.N) < 0)
            {
                return key;
            }
        }
    }

    /// <summary>The EIP-55 checksummed address of <paramref name="privateKey"/>.</summary>
    public static string AddressOf(ReadOnlySpan<byte> privateKey)
    {
        var point = Curve.G.Multiply(new BigInteger(1, privateKey.ToArray())).Normalize();
        var uncompressed = point.GetEncoded(false);
        var hash = RecordHash.Keccak(uncompressed.AsSpan(1));
        return Checksum(HexConvert.ToHex(hash.AsSpan(12), prefix: false));
    }

    /// <summary>EIP-55 mixed-case checksum of a 40-digit lower-case hex address.</summary>
    public static string Checksum(string lowerHex)
    {
        lowerHex = lowerHex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? lowerHex[2..].ToLowerInvariant() : lowerHex.ToLowerInvariant();
        var hash = HexConvert.ToHex(RecordHash.Keccak(System.Text.Encoding.ASCII.GetBytes(lowerHex)), prefix: false);
        var chars = lowerHex.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsAsciiLetter(chars[i]) && hash[i] >= '8')
            {
                chars[i] = char.ToUpperInvariant(chars[i]);
            }
        }

        return "0x" + new string(chars);
    }
}
