using System.Security.Cryptography;
using Provenance.Ethereum.Hex;
using Secp256k1Context = NBitcoin.Secp256k1.Context;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Provenance.Ethereum.Crypto;

/// <summary>
/// A secp256k1 private key (SEC 1) with its public key and Ethereum address. Signs 32-byte hashes with ECDSA using
/// RFC 6979 deterministic nonces (HMAC-SHA256, libsecp256k1's algorithm via NBitcoin.Secp256k1), normalises to low-s
/// (EIP-2) and returns the recovery id, so the signature is exactly what ethers.js / geth produce for the same key and
/// hash. <see cref="ToString"/> shows only the address, never the secret.
/// </summary>
public sealed class EthKey
{
    private readonly BcBigInteger _d;

    // The public key costs a point multiplication; signing does not need it, so it is derived on first use.
    private readonly Lazy<(byte[] PublicKey, Address Address)> _public;

    private EthKey(BcBigInteger d)
    {
        _d = d;
        _public = new Lazy<(byte[], Address)>(() =>
        {
            Span<byte> secret = stackalloc byte[32];
            Secp256k1.WriteFixed32(_d, secret);
            try
            {
                using var key = Secp256k1Context.Instance.CreateECPrivKey(secret);
                Span<byte> encoded = stackalloc byte[65];
                key.CreatePubKey().WriteToSpan(false, encoded, out _);
                var publicKey = encoded[1..].ToArray();
                return (publicKey, Address.FromPublicKey(publicKey));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(secret);
            }
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
    /// an EIP-712 or EIP-191 digest).
    /// </summary>
    /// <remarks>
    /// libsecp256k1's algorithm (NBitcoin.Secp256k1): its default nonce is RFC 6979 with HMAC-SHA256 over the key and the
    /// hash, and it normalises s to the lower half, flipping the recovery id — the signature ethers.js and geth make.
    /// </remarks>
    public EthSignature Sign(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != 32)
        {
            throw new ArgumentException("ECDSA here signs a 32-byte hash.", nameof(hash));
        }

        Span<byte> secret = stackalloc byte[32];
        Secp256k1.WriteFixed32(_d, secret);
        try
        {
            using var key = Secp256k1Context.Instance.CreateECPrivKey(secret);
            if (!key.TrySignRecoverable(hash, out var signature) || signature is null)
            {
                throw new CryptographicException("secp256k1 signing failed.");
            }

            signature.Deconstruct(out var r, out var s, out var recoveryId);
            if (recoveryId > 1)
            {
                // R.x ≥ n (probability ~2^-128): Ethereum's v cannot express it; such a signature is never made.
                throw new CryptographicException("Signature with R.x ≥ n cannot be expressed with an Ethereum recovery id.");
            }

            Span<byte> rs = stackalloc byte[64];
            r.WriteToSpan(rs[..32]);
            s.WriteToSpan(rs[32..]);
            return EthSignature.FromParts(rs[..32], rs[32..], (byte)recoveryId);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>The address only; the private key is never formatted.</summary>
    public override string ToString() => $"EthKey({Address})";
}
