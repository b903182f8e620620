using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using Provenance.Ethereum.Crypto;

namespace Provenance.Ethereum;

/// <summary>
/// A 20-byte Ethereum account address. Parses and formats the EIP-55 mixed-case checksum, derives an address from a
/// secp256k1 public key (Yellow Paper: last 20 bytes of the Keccak-256 of the 64-byte key) and computes contract
/// addresses for <c>CREATE</c> (Yellow Paper §7) and <c>CREATE2</c> (EIP-1014). <c>default</c> is the zero address.
/// </summary>
public readonly struct Address : IEquatable<Address>, IComparable<Address>, ISpanFormattable
{
    /// <summary>Size of an address in bytes.</summary>
    public const int Size = 20;

    private readonly byte[]? _bytes;

    private Address(byte[] bytes) => _bytes = bytes;

    /// <summary>The zero address <c>0x0000…0000</c>.</summary>
    public static Address Zero => default;

    /// <summary>The 20 bytes of the address.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes ?? new ReadOnlySpan<byte>(ZeroBytes);

    /// <summary>True for <c>0x0000…0000</c>.</summary>
    public bool IsZero => Bytes.IndexOfAnyExcept((byte)0) < 0;

    private static readonly byte[] ZeroBytes = new byte[Size];

    /// <summary>Wraps a copy of exactly 20 bytes.</summary>
    public static Address FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"An address has 20 bytes, not {bytes.Length}.", nameof(bytes));
        }

        return new Address(bytes.ToArray());
    }

    /// <summary>
    /// Parses <c>0x</c> + 40 hex digits. All-lower-case and all-upper-case digits are accepted as unchecksummed; mixed
    /// case must be a valid EIP-55 checksum.
    /// </summary>
    /// <exception cref="FormatException">Not an address, or a mixed-case address with a wrong checksum.</exception>
    public static Address Parse(string text) =>
        TryParse(text, out var address, out var error) ? address : throw new FormatException(error);

    /// <summary>Parses like <see cref="Parse"/>; false instead of an exception.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Address address) =>
        TryParse(text, out address, out _);

    /// <summary>True when <paramref name="text"/> is an address that <see cref="Parse"/> accepts.</summary>
    public static bool IsValid([NotNullWhen(true)] string? text) => TryParse(text, out _, out _);

    /// <summary>True when <paramref name="text"/> is mixed-case and its case is the EIP-55 checksum of its digits.</summary>
    public static bool IsValidChecksum([NotNullWhen(true)] string? text) =>
        TryParse(text, out var address, out _) && string.Equals(address.ToString(), text, StringComparison.Ordinal);

    /// <summary>The address of an uncompressed secp256k1 public key: 64 bytes (x‖y) or 65 bytes starting 0x04.</summary>
    public static Address FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length == 65 && publicKey[0] == 0x04)
        {
            publicKey = publicKey[1..];
        }

        if (publicKey.Length != 64)
        {
            throw new ArgumentException("Expected an uncompressed public key (64 bytes, or 65 with prefix 0x04).", nameof(publicKey));
        }

        Span<byte> hash = stackalloc byte[Keccak.HashSize];
        Keccak.Keccak256(publicKey, hash);
        return new Address(hash[12..].ToArray());
    }

    /// <summary>The address of a contract created with <c>CREATE</c>: <c>keccak256(rlp([sender, nonce]))[12..]</c>.</summary>
    public static Address ForCreate(Address sender, ulong nonce)
    {
        var encoded = Rlp.RlpEncoder.EncodeList(
            Rlp.RlpEncoder.EncodeBytes(sender.Bytes), Rlp.RlpEncoder.EncodeInteger(nonce));
        Span<byte> hash = stackalloc byte[Keccak.HashSize];
        Keccak.Keccak256(encoded, hash);
        return new Address(hash[12..].ToArray());
    }

    /// <summary>
    /// The address of a contract created with <c>CREATE2</c> (EIP-1014):
    /// <c>keccak256(0xff ‖ deployer ‖ salt ‖ keccak256(initCode))[12..]</c>.
    /// </summary>
    public static Address ForCreate2(Address deployer, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> initCodeHash)
    {
        if (salt.Length != 32 || initCodeHash.Length != 32)
        {
            throw new ArgumentException("CREATE2 needs a 32-byte salt and the 32-byte hash of the init code.");
        }

        Span<byte> buffer = stackalloc byte[1 + Size + 32 + 32];
        buffer[0] = 0xff;
        deployer.Bytes.CopyTo(buffer[1..]);
        salt.CopyTo(buffer[(1 + Size)..]);
        initCodeHash.CopyTo(buffer[(1 + Size + 32)..]);
        Span<byte> hash = stackalloc byte[Keccak.HashSize];
        Keccak.Keccak256(buffer, hash);
        return new Address(hash[12..].ToArray());
    }

    /// <summary>The address as an unsigned integer (as in ABI <c>uint160</c>).</summary>
    public BigInteger ToBigInteger() => new(Bytes, isUnsigned: true, isBigEndian: true);

    /// <summary>A copy of the 20 bytes.</summary>
    public byte[] ToArray() => Bytes.ToArray();

    /// <summary>The EIP-55 checksummed form, e.g. <c>0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed</c>.</summary>
    public override string ToString()
    {
        Span<char> chars = stackalloc char[42];
        WriteChecksummed(chars);
        return new string(chars);
    }

    /// <summary>The lower-case form, e.g. for JSON-RPC requests or database keys.</summary>
    public string ToLowerHex() => Hex.HexConvert.ToHex(Bytes);

    /// <inheritdoc />
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc />
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        if (destination.Length < 42)
        {
            charsWritten = 0;
            return false;
        }

        WriteChecksummed(destination);
        charsWritten = 42;
        return true;
    }

    /// <inheritdoc />
    public bool Equals(Address other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Address other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes);
        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public int CompareTo(Address other) => Bytes.SequenceCompareTo(other.Bytes);

    /// <summary>Byte-wise equality.</summary>
    public static bool operator ==(Address left, Address right) => left.Equals(right);

    /// <summary>Byte-wise inequality.</summary>
    public static bool operator !=(Address left, Address right) => !left.Equals(right);

    private void WriteChecksummed(Span<char> chars)
    {
        Span<byte> lower = stackalloc byte[40];
        const string digits = "0123456789abcdef";
        var bytes = Bytes;
        for (var i = 0; i < Size; i++)
        {
            lower[2 * i] = (byte)digits[bytes[i] >> 4];
            lower[(2 * i) + 1] = (byte)digits[bytes[i] & 0xf];
        }

        Span<byte> hash = stackalloc byte[Keccak.HashSize];
        Keccak.Keccak256(lower, hash);
        chars[0] = '0';
        chars[1] = 'x';
        for (var i = 0; i < 40; i++)
        {
            var c = (char)lower[i];
            var nibble = (i % 2 == 0 ? hash[i / 2] >> 4 : hash[i / 2]) & 0xf;
            chars[2 + i] = c >= 'a' && nibble >= 8 ? char.ToUpperInvariant(c) : c;
        }
    }

    private static bool TryParse(string? text, out Address address, out string error)
    {
        address = default;
        if (text is null || text.Length != 42 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
        {
            error = $"An address is 0x followed by 40 hex digits: '{Abbreviate(text)}'.";
            return false;
        }

        var bytes = new byte[Size];
        if (Convert.FromHexString(text.AsSpan(2), bytes, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != Size)
        {
            error = $"An address is 0x followed by 40 hex digits: '{Abbreviate(text)}'.";
            return false;
        }

        var candidate = new Address(bytes);
        var digits = text.AsSpan(2);
        var hasLower = digits.IndexOfAnyInRange('a', 'f') >= 0;
        var hasUpper = digits.IndexOfAnyInRange('A', 'F') >= 0;
        if (hasLower && hasUpper)
        {
            Span<char> expected = stackalloc char[42];
            candidate.WriteChecksummed(expected);
            if (!expected[2..].SequenceEqual(digits))
            {
                error = $"Bad EIP-55 checksum in address '{text}'.";
                return false;
            }
        }

        address = candidate;
        error = string.Empty;
        return true;
    }

    private static string Abbreviate(string? text) =>
        text is null ? "(null)" : text.Length <= 50 ? text : text[..50] + "…";
}
