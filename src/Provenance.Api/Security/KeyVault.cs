using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Provenance.Api.Security;

/// <summary>A secret sealed with AES-256-GCM: random 96-bit nonce per secret, 128-bit tag.</summary>
public sealed record SealedSecret(byte[] Nonce, byte[] Ciphertext, byte[] Tag);

/// <summary>
/// Encrypts signing keys at rest under the master key (AES-256-GCM). The owner's id is the associated data, so a
/// sealed key copied onto another actor's row does not open.
/// </summary>
public sealed class KeyVault
{
    private readonly byte[] _masterKey;

    /// <summary>Loads the master key from the validated options.</summary>
    public KeyVault(IOptions<SecurityOptions> options) => _masterKey = options.Value.ReadMasterKey();

    /// <summary>Seals <paramref name="secret"/> bound to <paramref name="ownerId"/>.</summary>
    public SealedSecret Seal(ReadOnlySpan<byte> secret, string ownerId)
    {
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var ciphertext = new byte[secret.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using var aes = new AesGcm(_masterKey, tag.Length);
        aes.Encrypt(nonce, secret, ciphertext, tag, Encoding.UTF8.GetBytes(ownerId));
        return new SealedSecret(nonce, ciphertext, tag);
    }

    /// <summary>Opens a sealed secret; throws <see cref="AuthenticationTagMismatchException"/> on tampering.</summary>
    public byte[] Open(SealedSecret sealedSecret, string ownerId)
    {
        var plain = new byte[sealedSecret.Ciphertext.Length];
        using var aes = new AesGcm(_masterKey, sealedSecret.Tag.Length);
        aes.Decrypt(sealedSecret.Nonce, sealedSecret.Ciphertext, sealedSecret.Tag, plain, Encoding.UTF8.GetBytes(ownerId));
        return plain;
    }
}
