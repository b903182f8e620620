using System.Numerics;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Utilities;
using Provenance.Ethereum.Hex;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Provenance.Ethereum.Crypto;

/// <summary>
/// A secp256k1 ECDSA signature as Ethereum uses it: <c>r</c>, <c>s</c> (low-s, EIP-2) and the recovery bit
/// (<c>yParity</c>, 0 or 1). Serialises to the 65-byte <c>r ‖ s ‖ v</c> form with <c>v</c> = 27/28 that OpenZeppelin's
/// <c>ECDSA.recover</c> and <c>ecrecover</c> expect; legacy transactions use <see cref="GetLegacyV"/> (EIP-155).
/// Recovers the signer's public key and address from a 32-byte hash (SEC 1 §4.1.6).
/// </summary>
public sealed class EthSignature : IEquatable<EthSignature>
{
    private readonly byte[] _r;
    private readonly byte[] _s;

    private EthSignature(byte[] r, byte[] s, byte yParity)
    {
        _r = r;
        _s = s;
        YParity = yParity;
    }

    /// <summary>r, 32 bytes big-endian.</summary>
    public ReadOnlySpan<byte> RBytes => _r;

    /// <summary>s, 32 bytes big-endian.</summary>
    public ReadOnlySpan<byte> SBytes => _s;

    /// <summary>r as an integer.</summary>
    public BigInteger R => new(_r, isUnsigned: true, isBigEndian: true);

    /// <summary>s as an integer.</summary>
    public BigInteger S => new(_s, isUnsigned: true, isBigEndian: true);

    /// <summary>The recovery bit: parity of the y coordinate of the nonce point (0 or 1).</summary>
    public byte YParity { get; }

    /// <summary>The pre-EIP-155 / EIP-191 / EIP-712 <c>v</c>: 27 + yParity.</summary>
    public byte V => (byte)(27 + YParity);

    /// <summary>
    /// Builds a signature from its parts, validating them: r and s in [1, n-1], s ≤ n/2 (EIP-2), yParity 0 or 1.
    /// </summary>
    /// <exception cref="FormatException">Any part out of range, or a high s.</exception>
    public static EthSignature Create(BigInteger r, BigInteger s, int yParity)
    {
        if (r.Sign <= 0 || s.Sign <= 0 || r.GetByteCount(isUnsigned: true) > 32 || s.GetByteCount(isUnsigned: true) > 32)
        {
            throw new FormatException("Signature r and s must be positive 256-bit integers.");
        }

        var rBytes = new byte[32];
        var sBytes = new byte[32];
        r.TryWriteBytes(rBytes.AsSpan(32 - r.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        s.TryWriteBytes(sBytes.AsSpan(32 - s.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return Validated(rBytes, sBytes, yParity);
    }

    /// <summary>Builds a signature from 32-byte r and s (validated as in <see cref="Create(BigInteger, BigInteger, int)"/>).</summary>
    public static EthSignature Create(ReadOnlySpan<byte> r, ReadOnlySpan<byte> s, int yParity)
    {
        if (r.Length != 32 || s.Length != 32)
        {
            throw new FormatException("Signature r and s are 32 bytes each.");
        }

        return Validated(r.ToArray(), s.ToArray(), yParity);
    }

    /// <summary>
    /// Parses the 65-byte <c>r ‖ s ‖ v</c> form; <c>v</c> may be 27/28 or 0/1. High-s and out-of-range values are
    /// rejected, as OpenZeppelin's <c>ECDSA</c> does.
    /// </summary>
    /// <exception cref="FormatException">Wrong length, bad v, or an invalid r/s.</exception>
    public static EthSignature FromBytes65(ReadOnlySpan<byte> signature)
    {
        if (signature.Length != 65)
        {
            throw new FormatException($"A signature is 65 bytes (r ‖ s ‖ v), not {signature.Length}.");
        }

        var v = signature[64];
        var yParity = v switch
        {
            27 or 28 => v - 27,
            0 or 1 => v,
            _ => throw new FormatException($"Signature v must be 27, 28, 0 or 1, not {v}."),
        };
        return Create(signature[..32], signature[32..64], yParity);
    }

    /// <summary>Parses <see cref="FromBytes65"/> from hex (130 digits, optional <c>0x</c>).</summary>
    public static EthSignature FromHex(string hex) => FromBytes65(HexConvert.FromHex(hex));

    /// <summary>r ‖ s ‖ v with v = 27/28 (what <c>ecrecover</c>-based verifiers such as OpenZeppelin's ECDSA take).</summary>
    public byte[] ToBytes65()
    {
        var bytes = new byte[65];
        _r.CopyTo(bytes, 0);
        _s.CopyTo(bytes, 32);
        bytes[64] = V;
        return bytes;
    }

    /// <summary><see cref="ToBytes65"/> as <c>0x</c>-prefixed hex.</summary>
    public string ToHex() => HexConvert.ToHex(ToBytes65());

    /// <summary>The <c>v</c> of a signed legacy transaction: EIP-155 <c>chainId·2 + 35 + yParity</c>, or 27/28 without a chain id.</summary>
    public BigInteger GetLegacyV(ulong? chainId) =>
        chainId is { } id ? (new BigInteger(id) * 2) + 35 + YParity : V;

    /// <summary>Recovers the 64-byte uncompressed public key that produced this signature over <paramref name="hash"/>.</summary>
    /// <exception cref="FormatException">No public key recovers (a malformed signature).</exception>
    public byte[] RecoverPublicKey(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != 32)
        {
            throw new ArgumentException("Recovery takes the 32-byte hash that was signed.", nameof(hash));
        }

        var point = Recover(hash) ?? throw new FormatException("The signature does not recover to a public key.");
        return Secp256k1.ToPublicKey64(point);
    }

    /// <summary>Recovers the signer's address from the signed 32-byte <paramref name="hash"/>.</summary>
    /// <exception cref="FormatException">No public key recovers (a malformed signature).</exception>
    public Address RecoverAddress(ReadOnlySpan<byte> hash) => Address.FromPublicKey(RecoverPublicKey(hash));

    /// <summary>True when the signature over <paramref name="hash"/> recovers to <paramref name="signer"/>.</summary>
    public bool IsValidFor(ReadOnlySpan<byte> hash, Address signer)
    {
        var point = Recover(hash);
        return point is not null && Address.FromPublicKey(Secp256k1.ToPublicKey64(point)) == signer;
    }

    /// <inheritdoc />
    public bool Equals(EthSignature? other) =>
        other is not null && YParity == other.YParity && _r.AsSpan().SequenceEqual(other._r) && _s.AsSpan().SequenceEqual(other._s);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EthSignature);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(BitConverter.ToInt32(_r, 28), BitConverter.ToInt32(_s, 28), YParity);

    /// <inheritdoc />
    public override string ToString() => ToHex();

    internal static EthSignature FromBouncyCastle(BcBigInteger r, BcBigInteger s, byte yParity)
    {
        var rBytes = new byte[32];
        var sBytes = new byte[32];
        Secp256k1.WriteFixed32(r, rBytes);
        Secp256k1.WriteFixed32(s, sBytes);
        return new EthSignature(rBytes, sBytes, yParity);
    }

    private static EthSignature Validated(byte[] r, byte[] s, int yParity)
    {
        if (yParity is not (0 or 1))
        {
            throw new FormatException($"Signature yParity must be 0 or 1, not {yParity}.");
        }

        if (r.AsSpan().IndexOfAnyExcept((byte)0) < 0 || r.AsSpan().SequenceCompareTo(Secp256k1.NBytes) >= 0)
        {
            throw new FormatException("Signature r must be in [1, n-1].");
        }

        if (s.AsSpan().IndexOfAnyExcept((byte)0) < 0)
        {
            throw new FormatException("Signature s must be in [1, n/2].");
        }

        if (s.AsSpan().SequenceCompareTo(Secp256k1.HalfNBytes) > 0)
        {
            throw new FormatException("Signature s is above n/2 (high-s, rejected since EIP-2).");
        }

        return new EthSignature(r, s, (byte)yParity);
    }

    private ECPoint? Recover(ReadOnlySpan<byte> hash)
    {
        var n = Secp256k1.N;
        var r = new BcBigInteger(1, _r);
        var s = new BcBigInteger(1, _s);

        // R = the curve point with x = r (recovery ids 2/3, x = r + n, cannot be expressed in Ethereum's v).
        if (r.CompareTo(Secp256k1.P) >= 0)
        {
            return null;
        }

        var compressed = new byte[33];
        compressed[0] = (byte)(0x02 + YParity);
        _r.CopyTo(compressed, 1);
        ECPoint rPoint;
        try
        {
            rPoint = Secp256k1.Curve.DecodePoint(compressed);
        }
        catch (ArgumentException)
        {
            return null; // r is not the x coordinate of a curve point
        }

        // Q = r⁻¹ (s·R − e·G)
        var e = new BcBigInteger(1, hash.ToArray());
        var rInverse = BigIntegers.ModOddInverseVar(n, r); // r is public: the variable-time inverse is fine
        var u1 = n.Subtract(e).Multiply(rInverse).Mod(n);
        var u2 = s.Multiply(rInverse).Mod(n);
        var q = ECAlgorithms.SumOfTwoMultiplies(Secp256k1.G, u1, rPoint, u2).Normalize();
        return q.IsInfinity ? null : q;
    }
}
