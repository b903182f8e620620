using System.Text;
using Org.BouncyCastle.Crypto.Digests;

namespace Provenance.Ethereum.Crypto;

/// <summary>
/// Keccak-256 as Ethereum uses it (the original Keccak padding of the SHA-3 competition, <em>not</em> NIST
/// SHA3-256), computed with BouncyCastle's <c>KeccakDigest(256)</c>. One digest and one scratch buffer are kept per
/// thread, so hashing allocates nothing beyond the result (and nothing with the span overload).
/// </summary>
public static class Keccak
{
    /// <summary>Size of a Keccak-256 hash in bytes.</summary>
    public const int HashSize = 32;

    private const int ChunkSize = 1024;

    [ThreadStatic] private static KeccakDigest? _digest;
    [ThreadStatic] private static byte[]? _scratch;

    /// <summary>Keccak-256 of the Keccak-256 of nothing: <c>0xc5d2…a470</c>.</summary>
    public static ReadOnlySpan<byte> EmptyHash =>
    [
        0xc5, 0xd2, 0x46, 0x01, 0x86, 0xf7, 0x23, 0x3c, 0x92, 0x7e, 0x7d, 0xb2, 0xdc, 0xc7, 0x03, 0xc0,
        0xe5, 0x00, 0xb6, 0x53, 0xca, 0x82, 0x27, 0x3b, 0x7b, 0xfa, 0xd8, 0x04, 0x5d, 0x85, 0xa4, 0x70,
    ];

    /// <summary>Hashes <paramref name="data"/> and returns the 32-byte hash.</summary>
    public static byte[] Keccak256(ReadOnlySpan<byte> data)
    {
        var hash = new byte[HashSize];
        Keccak256(data, hash);
        return hash;
    }

    /// <summary>Hashes <paramref name="data"/> into the first 32 bytes of <paramref name="destination"/>.</summary>
    public static void Keccak256(ReadOnlySpan<byte> data, Span<byte> destination) =>
        Keccak256(data, [], destination);

    /// <summary>Hashes the UTF-8 bytes of <paramref name="text"/> (e.g. a Solidity signature or a piece code).</summary>
    public static byte[] Keccak256(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max <= 512)
        {
            Span<byte> buffer = stackalloc byte[max];
            var n = Encoding.UTF8.GetBytes(text, buffer);
            return Keccak256(buffer[..n]);
        }

        return Keccak256(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Hashes the concatenation of two spans without concatenating them first.</summary>
    public static void Keccak256(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> destination)
    {
        if (destination.Length < HashSize)
        {
            throw new ArgumentException("The destination needs 32 bytes.", nameof(destination));
        }

        var digest = _digest ??= new KeccakDigest(256);
        var scratch = _scratch ??= new byte[ChunkSize];
        Absorb(digest, scratch, first);
        Absorb(digest, scratch, second);

        // DoFinal resets the digest for the next call.
        digest.DoFinal(scratch, 0);
        scratch.AsSpan(0, HashSize).CopyTo(destination);
    }

    private static void Absorb(KeccakDigest digest, byte[] scratch, ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            var n = Math.Min(data.Length, ChunkSize);
            data[..n].CopyTo(scratch);
            digest.BlockUpdate(scratch, 0, n);
            data = data[n..];
        }
    }
}
