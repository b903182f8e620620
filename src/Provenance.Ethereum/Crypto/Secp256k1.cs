using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Provenance.Ethereum.Crypto;

/// <summary>
/// The secp256k1 curve (SEC 2) from BouncyCastle's custom (fast field arithmetic, GLV) implementation, built once.
/// The comb multiplier caches its precomputed table for <c>G</c> on the point itself, so every signature after the
/// first reuses it.
/// </summary>
internal static class Secp256k1
{
    public static readonly X9ECParameters Parameters = CustomNamedCurves.GetByName("secp256k1");

    public static readonly ECCurve Curve = Parameters.Curve;

    public static readonly ECPoint G = Parameters.G;

    public static readonly BcBigInteger N = Parameters.N;

    public static readonly BcBigInteger HalfN = N.ShiftRight(1);

    /// <summary>The field prime p.</summary>
    public static readonly BcBigInteger P = Curve.Field.Characteristic;

    public static readonly ECMultiplier BaseMultiplier = new FixedPointCombMultiplier();

    /// <summary>The order n as a big-endian 32-byte value (for span comparisons).</summary>
    public static readonly byte[] NBytes = N.ToByteArrayUnsigned();

    /// <summary>n/2 as a big-endian 32-byte value.</summary>
    public static readonly byte[] HalfNBytes = HalfN.ToByteArrayUnsigned();

    /// <summary>A big-endian integer of up to 32 bytes as a positive BouncyCastle integer.</summary>
    public static BcBigInteger ToBc(ReadOnlySpan<byte> bigEndian) => new(1, bigEndian.ToArray());

    /// <summary>Writes <paramref name="value"/> big-endian, left-padded, into exactly 32 bytes.</summary>
    public static void WriteFixed32(BcBigInteger value, Span<byte> destination)
    {
        var bytes = value.ToByteArrayUnsigned();
        if (bytes.Length > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "More than 256 bits.");
        }

        destination[..32].Clear();
        bytes.CopyTo(destination[(32 - bytes.Length)..]);
    }

    /// <summary>The 64-byte uncompressed encoding (x ‖ y, without the 0x04 prefix) of a normalised point.</summary>
    public static byte[] ToPublicKey64(ECPoint point)
    {
        var encoded = point.GetEncoded(false);
        return encoded.AsSpan(1).ToArray();
    }
}
