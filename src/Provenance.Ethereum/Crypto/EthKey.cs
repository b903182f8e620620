using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Utilities;
using Provenance.Ethereum.Hex;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Provenance.Ethereum.Crypto;

/// <summary>
/// A secp256k1 private key (SEC 1) with its public key and Ethereum address. Signs 32-byte hashes with ECDSA using
/// RFC 6979 deterministic nonces (HMAC-SHA256 via BouncyCastle's <c>HMacDsaKCalculator</c>), normalises to low-s
/// (EIP-2) and returns the recovery id, so the signature is exactly what ethers.js / geth produce for the same key and
/// hash. <see cref="ToString"/> shows only the address, never the secret.
/// </summary>
public sealed class EthKey
{
    [ThreadStatic] private static HMacDsaKCalculator? _kCalculator;

    private readonly BcBigInteger _d;

    // The public key costs a point multiplication; signing does not need it, so it is derived on first use.
    private readonly Lazy<(byte[] PublicKey, Address Address)> _public;

    private EthKey(BcBigInteger d)
    {
        _d = d;
        _public = new Lazy<(byte[], Address)>(() =>
        {
            var q = Secp256k1.BaseMultiplier.Multiply(Secp256k1.G, _d).Normalize();
            var publicKey = Secp256k1.ToPublicKey64(q);
            return (publicKey, Address.FromPublicKey(publicKey));
        }, LazyThreadSafetyMode.PublicationOnly);
    }

    /// <summary>The uncompressed public key, 64 bytes (x ‖ y).</summary>
    public ReadOnlySpan<byte> PublicKey => _public.Value.PublicKey;

    /// <summary>The account address derived from the public key.</summary>
    public Address Address => _public.Value.Address;

    /// <summary>Generates a new key from the operating system's cryptographic random number generator.</summary>
    public static EthKey Generate()
    {
        Span<byte> buffer = stackalloc byte[32];
        while (true)
        {
            RandomNumberGenerator.Fill(buffer);
            if (IsValidPrivateKey(buffer))
            {
                var key = new EthKey(Secp256k1.ToBc(buffer));
                CryptographicOperations.ZeroMemory(buffer);
                return key;
            }
        }
    }

    /// <summary>Imports a 32-byte private key.</summary>
    /// <exception cref="ArgumentException">Not 32 bytes, zero, or not below the curve order.</exception>
    public static EthKey FromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != 32 || !IsValidPrivateKey(privateKey))
        {
            throw new ArgumentException("A private key is 32 bytes, in [1, n-1] for secp256k1.", nameof(privateKey));
        }

        return new EthKey(Secp256k1.ToBc(privateKey));
    }

    /// <summary>Imports a private key given as 64 hex digits (with or without <c>0x</c>).</summary>
    public static EthKey FromPrivateKey(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var bytes = HexConvert.FromHex(hex);
        try
        {
            return FromPrivateKey(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>True when <paramref name="privateKey"/> is 32 bytes in [1, n-1].</summary>
    public static bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey) =>
        privateKey.Length == 32
        && privateKey.IndexOfAnyExcept((byte)0) >= 0
        && privateKey.SequenceCompareTo(Secp256k1.NBytes) < 0;

    /// <summary>A copy of the 32-byte private key, for storage encrypted at rest. Handle with care.</summary>
    public byte[] ExportPrivateKey()
    {
        var bytes = new byte[32];
        Secp256k1.WriteFixed32(_d, bytes);
        return bytes;
    }

    /// <summary>
    /// Signs a 32-byte hash: RFC 6979 nonce, low-s, recovery id. The caller hashes (e.g. a transaction's signing hash,
    /// an EIP-191 or EIP-712 digest).
    /// </summary>
    public EthSignature Sign(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != 32)
        {
            throw new ArgumentException("ECDSA here signs a 32-byte hash.", nameof(hash));
        }

        var message = hash.ToArray();
        var n = Secp256k1.N;
        var e = new BcBigInteger(1, message);
        var kCalculator = _kCalculator ??= new HMacDsaKCalculator(new Sha256Digest());
        kCalculator.Init(n, _d, message);
        while (true)
        {
            var k = kCalculator.NextK();
            var point = Secp256k1.BaseMultiplier.Multiply(Secp256k1.G, k).Normalize();
            var x = point.AffineXCoord.ToBigInteger();
            var r = x.Mod(n);
            if (r.SignValue == 0)
            {
                continue;
            }

            var s = BigIntegers.ModOddInverse(n, k).Multiply(e.Add(_d.Multiply(r))).Mod(n);
            if (s.SignValue == 0)
            {
                continue;
            }

            if (x.CompareTo(n) >= 0)
            {
                // R.x ≥ n (probability ~2^-128): Ethereum's v cannot express it; such a signature is never made.
                throw new CryptographicException("Signature with R.x ≥ n cannot be expressed with an Ethereum recovery id.");
            }

            var recoveryId = point.AffineYCoord.TestBitZero() ? 1 : 0;
            if (s.CompareTo(Secp256k1.HalfN) > 0)
            {
                s = n.Subtract(s);
                recoveryId ^= 1;
            }

            return EthSignature.FromBouncyCastle(r, s, (byte)recoveryId);
        }
    }

    /// <summary>The address only; the private key is never formatted.</summary>
    public override string ToString() => $"EthKey({Address})";
}
