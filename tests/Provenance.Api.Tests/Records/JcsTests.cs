using System.Text;
using Provenance.Api.Records;
using Provenance.Records;

namespace Provenance.Api.Tests.Records;

public sealed class JcsTests
{
    [Fact]
    public void Canonicalize_Rfc8785Example_MatchesPublishedOutput()
    {
        // RFC 8785 §3.2.2 example input and output.
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        const string expected = """{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}""";

        Encoding.UTF8.GetString(Jcs.Canonicalize(input)).Should().Be(expected);
    }

    [Fact]
    public void Canonicalize_Rfc8785SortingExample_OrdersByUtf16CodeUnits()
    {
        // RFC 8785 §3.2.3: property sorting by UTF-16 code units.
        const string input = """{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}""";

        var keys = System.Text.Json.JsonDocument.Parse(Jcs.Canonicalize(input)).RootElement.EnumerateObject().Select(p => p.Value.GetString());

        keys.Should().Equal("Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis", "Euro Sign",
            "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh");
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(9007199254740992.0, "9007199254740992")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(123.456, "123.456")]
    public void FormatNumber_Doubles_EcmaScriptForm(double value, string expected) =>
        Jcs.FormatNumber(value).Should().Be(expected);

    [Fact]
    public void RecordHash_SameDataDifferentFormatting_SameHash()
    {
        var a = RecordHash.OfStored("""{ "b": 1, "a": "x" }""");
        var b = RecordHash.OfStored("""{"a":"x","b":1.0}""");

        a.Should().Equal(b);
        RecordHash.OfStored("""{"a":"y","b":1}""").Should().NotEqual(a);
    }

    [Fact]
    public void OfStored_EmptyObject_KeccakOfCanonicalText() =>
        Convert.ToHexStringLower(RecordHash.OfStored("{}")).Should().Be(Convert.ToHexStringLower(Provenance.Ethereum.Crypto.Keccak.Keccak256("{}"u8)));
}
