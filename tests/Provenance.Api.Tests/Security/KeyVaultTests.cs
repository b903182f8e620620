using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Provenance.Api.Security;

namespace Provenance.Api.Tests.Security;

public sealed class KeyVaultTests
{
    private static KeyVault NewVault() => new(Options.Create(new SecurityOptions
    {
        MasterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    }));

    [Fact]
    public void Seal_ThenOpen_RoundTripsWithFreshNonce()
    {
        var vault = NewVault();
        var secret = RandomNumberGenerator.GetBytes(32);

        var a = vault.Seal(secret, "art_1");
        var b = vault.Seal(secret, "art_1");

        vault.Open(a, "art_1").Should().Equal(secret);
        a.Nonce.Should().NotEqual(b.Nonce);
        a.Ciphertext.Should().NotEqual(secret);
    }

    [Fact]
    public void Open_OtherOwnerOrTampered_Throws()
    {
        var vault = NewVault();
        var sealedSecret = vault.Seal(RandomNumberGenerator.GetBytes(32), "art_1");
        var tampered = sealedSecret with { Ciphertext = sealedSecret.Ciphertext.ToArray() };
        tampered.Ciphertext[0] ^= 1;

        vault.Invoking(v => v.Open(sealedSecret, "art_2")).Should().Throw<AuthenticationTagMismatchException>();
        vault.Invoking(v => v.Open(tampered, "art_1")).Should().Throw<AuthenticationTagMismatchException>();
        NewVault().Invoking(v => v.Open(sealedSecret, "art_1")).Should().Throw<AuthenticationTagMismatchException>();
    }
}
