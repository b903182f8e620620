using Provenance.Epcis.Hashing;

namespace Provenance.Epcis.Tests.Hashing;

public class ValueCanonicalizerTests
{
    [Theory]
    [InlineData("200.0", "200")]
    [InlineData("+1.50", "1.5")]
    [InlineData("0012", "12")]
    [InlineData("1e3", "1000")]
    [InlineData("0.1", "0.1")]
    [InlineData("12.1", "12.1")]
    [InlineData("0.0001", "0.0001")]
    [InlineData("0.00001", "1e-05")]
    [InlineData("-2.5E-7", "-2.5e-07")]
    [InlineData("1_000.5", "1000.5")]
    [InlineData("1234567890123456.7", "1234567890123456.8")]
    [InlineData("12345678901234567890", "12345678901234567168")]
    public void CanonicalNumber_Decimal_WrittenAsPythonFloat(string text, string expected) =>
        ValueCanonicalizer.CanonicalNumber(text).Should().Be(expected);

    [Theory]
    [InlineData("0x12")]
    [InlineData("inf")]
    [InlineData("NaN")]
    [InlineData("1__0")]
    [InlineData("2019-10-21")]
    [InlineData("")]
    public void CanonicalNumber_NotADecimal_ReturnsNull(string text) =>
        ValueCanonicalizer.CanonicalNumber(text).Should().BeNull();

    [Theory]
    [InlineData("2022-02-16T20:33:31.116000-06:00", "2022-02-17T02:33:31.116Z")]
    [InlineData("2020-04-01T15:00:00+01:00", "2020-04-01T14:00:00.000Z")]
    [InlineData("2022-02-17T11:30:47.0Z", "2022-02-17T11:30:47.000Z")]
    [InlineData("2022-02-17T11:30:47.0004999Z", "2022-02-17T11:30:47.000Z")]
    [InlineData("2022-02-17T11:30:47.0025Z", "2022-02-17T11:30:47.002Z")]
    [InlineData("2022-02-17T11:30:47.0035Z", "2022-02-17T11:30:47.004Z")]
    [InlineData("2022-12-31T23:59:59.9996Z", "2023-01-01T00:00:00.000Z")]
    [InlineData("2022-02-17T11:30:47", "2022-02-17T11:30:47.000Z")]
    public void CanonicalTimestamp_IsoDateTime_GivesUtcMilliseconds(string text, string expected) =>
        ValueCanonicalizer.CanonicalTimestamp(text).Should().Be(expected);

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2022-02-30T10:00:00Z")]
    [InlineData("2022-02-17")]
    public void CanonicalTimestamp_NotADateTime_ReturnsNull(string text) =>
        ValueCanonicalizer.CanonicalTimestamp(text).Should().BeNull();

    [Theory]
    [InlineData("urn:epcglobal:cbv:bizstep:receiving", "https://ref.gs1.org/cbv/BizStep-receiving")]
    [InlineData("urn:epcglobal:cbv:sdt:owning_party", "https://ref.gs1.org/cbv/SDT-owning_party")]
    [InlineData("urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017")]
    [InlineData("0x5aeda56215b167893e80b4fe645ba6d5bab767de", "0x5aeda56215b167893e80b4fe645ba6d5bab767de")]
    public void Canonicalize_Value_AppliesAllRules(string text, string expected) =>
        ValueCanonicalizer.Canonicalize(text).Should().Be(expected);
}
