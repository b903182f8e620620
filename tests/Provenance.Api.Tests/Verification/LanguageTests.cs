using System.Reflection;
using System.Text.RegularExpressions;
using Provenance.Api.Verification;
using Provenance.Api.Verification.Localization;

namespace Provenance.Api.Tests.Verification;

/// <summary>Every string in every language, and how the language is chosen.</summary>
public sealed partial class LanguageTests
{
    public static TheoryData<string> Translations => new() { "ur", "hi" };

    [Theory]
    [MemberData(nameof(Translations))]
    public void PageText_EveryString_TranslatedWithTheSamePlaceholders(string code)
    {
        var english = Language.English.Text;
        var translated = Language.FromCode(code)!.Text;
        var script = code == "ur" ? UrduScript() : DevanagariScript();

        foreach (var property in typeof(PageText).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(string)))
        {
            var en = (string)property.GetValue(english)!;
            var text = (string)property.GetValue(translated)!;
            text.Should().NotBeNullOrWhiteSpace(property.Name);
            Placeholders(text).Should().Equal(Placeholders(en), property.Name);
            script.IsMatch(text).Should().BeTrue($"{property.Name} is written in the language's script: {text}");
        }
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ur")]
    [InlineData("hi")]
    public void PageText_Vocabularies_CoverEveryKeyWithMatchingPlaceholders(string code)
    {
        var english = Language.English.Text;
        var text = Language.FromCode(code)!.Text;

        text.EventKinds.Keys.Should().BeEquivalentTo(Enum.GetValues<PieceEventKind>());
        text.Statuses.Keys.Should().BeEquivalentTo(Enum.GetValues<PieceStatus>());
        text.ClaimOutcomes.Keys.Should().BeEquivalentTo(Enum.GetValues<ClaimOutcome>());
        text.Crafts.Keys.Should().BeEquivalentTo(Provenance.Api.Products.Crafts.All.Select(c => c.Key));
        text.Steps.Keys.Should().BeEquivalentTo(english.Steps.Keys);
        text.Crafts.Values.Should().OnlyContain(c => c.Name.Length > 0 && c.Special.Length > 0);
        foreach (var outcome in Enum.GetValues<ClaimOutcome>())
        {
            Placeholders(text.ClaimOutcomes[outcome]).Should().Equal(Placeholders(english.ClaimOutcomes[outcome]), outcome.ToString());
        }
    }

    [Theory]
    [InlineData(null, "en")]
    [InlineData("", "en")]
    [InlineData("fr-FR, de;q=0.8", "en")]
    [InlineData("ur-PK", "ur")]
    [InlineData("hi-IN,hi;q=0.9,en;q=0.8", "hi")]
    [InlineData("en-US,en;q=0.9,ur;q=0.8", "en")]
    [InlineData("fr;q=1, hi;q=0.5, ur;q=0.7", "ur")]
    [InlineData("ur;q=0, hi", "hi")]
    [InlineData("UR", "ur")]
    [InlineData("*;q=0.1, ;;;garbage", "en")]
    public void FromAcceptLanguage_Header_PicksBestSupported(string? header, string expected)
    {
        Language.FromAcceptLanguage(header).Code.Should().Be(expected);
    }

    [Fact]
    public void Urdu_IsRightToLeft_OthersAreNot()
    {
        Language.All.Where(l => l.RightToLeft).Select(l => l.Code).Should().Equal("ur");
        Language.Urdu.Direction.Should().Be("rtl");
    }

    private static string[] Placeholders(string text) => [.. PlaceholderPattern().Matches(text).Select(m => m.Value).Order()];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"[\u0600-\u06FF]")]
    private static partial Regex UrduScript();

    [GeneratedRegex(@"[\u0900-\u097F]")]
    private static partial Regex DevanagariScript();
}
