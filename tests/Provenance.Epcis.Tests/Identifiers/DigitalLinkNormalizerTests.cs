using Provenance.Epcis.Identifiers;

namespace Provenance.Epcis.Tests.Identifiers;

public class DigitalLinkNormalizerTests
{
    [Theory]
    [InlineData("urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017")]
    [InlineData("urn:epc:id:sgtin:4012345.011111.9876", "https://id.gs1.org/01/04012345111118/21/9876")]
    [InlineData("urn:epc:id:sgtin:0614141.107346.A(1)+", "https://id.gs1.org/01/10614141073464/21/A%281%29%2B")]
    [InlineData("urn:epc:id:sscc:4012345.0000000333", "https://id.gs1.org/00/040123450000003338")]
    [InlineData("urn:epc:id:sgln:0614141.07346.1234", "https://id.gs1.org/414/0614141073467/254/1234")]
    [InlineData("urn:epc:id:sgln:4012345.00005.0", "https://id.gs1.org/414/4012345000054")]
    [InlineData("urn:epc:id:pgln:4012345.00000", "https://id.gs1.org/417/4012345000009")]
    [InlineData("urn:epc:id:giai:4000001.111", "https://id.gs1.org/8004/4000001111")]
    [InlineData("urn:epc:id:gdti:4012345.11111.123", "https://id.gs1.org/253/4012345111118123")]
    [InlineData("urn:epc:id:grai:4012345.00011.987", "https://id.gs1.org/8003/04012345000115987")]
    [InlineData("urn:epc:id:gsrn:4012345.0000000001", "https://id.gs1.org/8018/401234500000000012")]
    [InlineData("urn:epc:id:cpi:0614141.123ABC.123456789", "https://id.gs1.org/8010/0614141123ABC/8011/123456789")]
    [InlineData("urn:epc:class:lgtin:4054739.099914.20160711", "https://id.gs1.org/01/04054739999148/10/20160711")]
    [InlineData("urn:epc:idpat:sgtin:4012345.066666.*", "https://id.gs1.org/01/04012345666663")]
    public void Normalize_EpcUri_GivesCanonicalDigitalLink(string epc, string expected) =>
        DigitalLinkNormalizer.Normalize(epc).Should().Be(expected);

    [Theory]
    [InlineData("https://id.gs1.org/01/09520123456788/21/12345", "https://id.gs1.org/01/09520123456788/21/12345")]
    [InlineData("https://example.com/gtin/9520123456788/ser/12345?17=201225", "https://id.gs1.org/01/09520123456788/21/12345")]
    [InlineData("https://brand.example/01/09520123456788/10/LOT7/21/12345", "https://id.gs1.org/01/09520123456788/21/12345")]
    [InlineData("https://id.gs1.org/01/09520123456788/22/2A/10/ABC", "https://id.gs1.org/01/09520123456788/10/ABC")]
    [InlineData("http://id.gs1.org/414/9520123456788", "https://id.gs1.org/414/9520123456788")]
    [InlineData("https://id.gs1.org/01/012345678905", "https://id.gs1.org/01/00012345678905")]
    public void Normalize_DigitalLink_GivesCanonicalForm(string uri, string expected) =>
        DigitalLinkNormalizer.Normalize(uri).Should().Be(expected);

    [Theory]
    [InlineData("https://provenance.example/p/KP7Q3M9XZ2H4K8W")]
    [InlineData("did:pkh:eip155:31337:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266")]
    [InlineData("geo:47.506694,11.104301")]
    [InlineData("urn:epc:id:sgtin:0614141.10734.2017")]
    [InlineData("urn:epcglobal:cbv:bt:4012345000009:ASN1099")]
    [InlineData("https://id.gs1.org/01/95201234567/21/1")]
    public void Normalize_NoGs1Key_ReturnsNull(string uri) =>
        DigitalLinkNormalizer.Normalize(uri).Should().BeNull();

    [Theory]
    [InlineData("061414110734", '6')]
    [InlineData("401234500000", '9')]
    [InlineData("0401234500000033", '3')]
    public void Compute_Gs1Key_GivesStandardCheckDigit(string body, char expected) =>
        Gs1CheckDigit.Compute(body).Should().Be(expected);

    [Fact]
    public void Normalize_HugeValue_ReturnsNull()
    {
        // Imported documents are untrusted: a matcher that backtracks quadratically would not finish these.
        var huge = "https://" + new string('a', 200_000) + "/01x" + new string('/', 200_000);

        DigitalLinkNormalizer.Normalize(huge).Should().BeNull();
        DigitalLinkNormalizer.Normalize("urn:epc:id:sgtin:" + new string('1', 400_000)).Should().BeNull();
    }
}
