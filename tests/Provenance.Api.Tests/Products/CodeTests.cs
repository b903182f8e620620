using Provenance.Api.Products;
using Provenance.Ethereum.Crypto;

namespace Provenance.Api.Tests.Products;

public sealed class CodeTests
{
    [Fact]
    public void PieceCode_New_17SymbolsWithValidCheck()
    {
        var codes = Enumerable.Range(0, 1000).Select(_ => PieceCode.New()).ToList();

        codes.Should().OnlyHaveUniqueItems();
        codes.Should().AllSatisfy(c =>
        {
            c.Should().HaveLength(17).And.MatchRegex("^[0-9A-HJKMNP-TV-Z]+$");
            PieceCode.Normalize(c).Should().Be(c);
        });
    }

    [Fact]
    public void PieceCode_EverySingleSubstitution_Rejected()
    {
        var code = PieceCode.New();
        for (var i = 0; i < code.Length; i++)
        {
            foreach (var c in PieceCode.Alphabet.Where(c => c != code[i]))
            {
                var altered = code[..i] + c + code[(i + 1)..];
                PieceCode.Normalize(altered).Should().BeNull($"{altered} differs from {code} in one symbol");
            }
        }
    }

    [Fact]
    public void PieceCode_LowerCaseHyphensAndLookalikes_Normalised()
    {
        var code = PieceCode.New();
        var typed = string.Join('-', code.Chunk(4).Select(x => new string(x))).ToLowerInvariant().Replace('1', 'l').Replace('0', 'o');

        PieceCode.Normalize(typed).Should().Be(code);
        PieceCode.Normalize("").Should().BeNull();
        PieceCode.Normalize(code + "A").Should().BeNull();
        PieceCode.Normalize(code[..^1] + "U").Should().BeNull();
    }

    [Fact]
    public void ClaimCode_DeriveKey_DeterministicAndBoundToPiece()
    {
        var claim = ClaimCode.New();
        var normalized = ClaimCode.Normalize(claim)!;
        var pieceA = PieceCode.New();
        var pieceB = PieceCode.New();

        var a1 = ClaimCode.DeriveKey(pieceA, normalized);
        var a2 = ClaimCode.DeriveKey(pieceA, ClaimCode.Normalize(claim.ToLowerInvariant())!);
        var b = ClaimCode.DeriveKey(pieceB, normalized);

        claim.Should().MatchRegex("^([0-9A-HJKMNP-TV-Z]{5}-){4}[0-9A-HJKMNP-TV-Z]{5}$");
        a1.Should().Equal(a2);
        a1.Should().NotEqual(b);
        EthKey.FromPrivateKey(a1).Address.Should().NotBe(EthKey.FromPrivateKey(b).Address);
    }
}
