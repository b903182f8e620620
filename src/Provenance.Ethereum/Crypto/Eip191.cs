using System.Globalization;
using System.Text;

namespace Provenance.Ethereum.Crypto;

/// <summary>
/// EIP-191 version 0x45 ("personal_sign"): <c>keccak256("\x19Ethereum Signed Message:\n" + len(message) + message)</c>,
/// as produced by <c>personal_sign</c> / ethers' <c>signMessage</c> and checked by OpenZeppelin's
/// <c>MessageHashUtils.toEthSignedMessageHash</c>.
/// </summary>
public static class Eip191
{
    private static readonly byte[] Prefix = "\u0019Ethereum Signed Message:\n"u8.ToArray();

    /// <summary>The EIP-191 hash of raw message bytes.</summary>
    public static byte[] HashPersonalMessage(ReadOnlySpan<byte> message)
    {
        var length = message.Length.ToString(CultureInfo.InvariantCulture);
        var header = new byte[Prefix.Length + length.Length];
        Prefix.CopyTo(header, 0);
        Encoding.ASCII.GetBytes(length, header.AsSpan(Prefix.Length));
        var hash = new byte[Keccak.HashSize];
        Keccak.Keccak256(header, message, hash);
        return hash;
    }

    /// <summary>The EIP-191 hash of a text message (its UTF-8 bytes; <c>"0x4243"</c> is text, not hex).</summary>
    public static byte[] HashPersonalMessage(string message) =>
        HashPersonalMessage(Encoding.UTF8.GetBytes(message ?? throw new ArgumentNullException(nameof(message))));

    /// <summary>Signs raw message bytes the way <c>personal_sign</c> does.</summary>
    public static EthSignature SignPersonalMessage(this EthKey key, ReadOnlySpan<byte> message) =>
        key.Sign(HashPersonalMessage(message));

    /// <summary>Signs a text message (UTF-8) the way <c>personal_sign</c> does.</summary>
    public static EthSignature SignPersonalMessage(this EthKey key, string message) =>
        key.Sign(HashPersonalMessage(message));

    /// <summary>Recovers the address that signed raw message bytes.</summary>
    public static Address RecoverPersonalMessage(ReadOnlySpan<byte> message, EthSignature signature) =>
        signature.RecoverAddress(HashPersonalMessage(message));

    /// <summary>Recovers the address that signed a text message.</summary>
    public static Address RecoverPersonalMessage(string message, EthSignature signature) =>
        signature.RecoverAddress(HashPersonalMessage(message));
}
