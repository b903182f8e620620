using Provenance.Epcis.Vocabulary;

namespace Provenance.Epcis.Tests;

public class EpcisProfileTests
{
    private static readonly EpcisProfile Profile = new(new Uri("https://provenance.example/"));

    [Fact]
    public void PieceUri_PieceCode_IsVerificationUrlAndParsesBack()
    {
        var uri = Profile.PieceUri("KP7Q3M9XZ2H4K8W");

        uri.Should().Be("https://provenance.example/p/KP7Q3M9XZ2H4K8W");
        Profile.TryParsePieceUri(uri, out var code).Should().BeTrue();
        code.Should().Be("KP7Q3M9XZ2H4K8W");
    }

    [Theory]
    [InlineData("https://provenance.example/p/KP7Q3M9XZ2H4K8")]
    [InlineData("https://provenance.example/p/kp7q3m9xz2h4k8w")]
    [InlineData("https://provenance.example/p/KP7Q3M9XZ2H4K8O")]
    [InlineData("https://other.example/p/KP7Q3M9XZ2H4K8W")]
    [InlineData("urn:epc:id:sgtin:0614141.107346.2017")]
    public void TryParsePieceUri_NotOurPiece_False(string epc) =>
        Profile.TryParsePieceUri(epc, out _).Should().BeFalse();

    [Fact]
    public void PieceUri_NotAPieceCode_Throws() =>
        FluentActions.Invoking(() => Profile.PieceUri("KP7Q3M9XZ2H4K8U")).Should().Throw<ArgumentException>();

    [Theory]
    [InlineData(CraftStep.Spinning, "https://provenance.example/voc/BizStep-spinning")]
    [InlineData(CraftStep.Embroidery, "https://provenance.example/voc/BizStep-embroidery")]
    public void CraftBizStep_Step_RoundTrips(CraftStep step, string uri)
    {
        Profile.CraftBizStep(step).Should().Be(uri);
        Profile.ParseCraftBizStep(uri).Should().Be(step);
    }

    [Fact]
    public void ParseCraftBizStep_OtherUri_Null()
    {
        Profile.ParseCraftBizStep("https://provenance.example/voc/BizStep-knitting").Should().BeNull();
        Profile.ParseCraftBizStep("https://ref.gs1.org/cbv/BizStep-shipping").Should().BeNull();
    }

    [Fact]
    public void AccountParty_Address_IsDidPkhInLowerCase() =>
        EpcisProfile.AccountParty(31337, "0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
            .Should().Be("did:pkh:eip155:31337:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");

    [Theory]
    [InlineData("0x1234")]
    [InlineData("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266")]
    public void AccountParty_NotAnAddress_Throws(string address) =>
        FluentActions.Invoking(() => EpcisProfile.AccountParty(1, address)).Should().Throw<ArgumentException>();

    [Theory]
    [InlineData("ftp://provenance.example")]
    [InlineData("https://provenance.example/?x=1")]
    [InlineData("/relative")]
    public void Constructor_NotAnHttpBase_Throws(string uri) =>
        FluentActions.Invoking(() => new EpcisProfile(new Uri(uri, UriKind.RelativeOrAbsolute))).Should().Throw<ArgumentException>();
}
