using System.Text.RegularExpressions;
using Provenance.Epcis.Vocabulary;

namespace Provenance.Epcis;

/// <summary>
/// The identifiers one deployment uses in EPCIS 2.0 documents (EPCIS 2.0 §7.3.2 allows any URI as an instance
/// identifier): a piece is its public verification URL <c>{base}/p/{code}</c> — what its QR code holds; our own
/// vocabulary (craft business steps and event extensions) lives under <c>{base}/voc/</c>, bound to the JSON-LD
/// prefix <c>prov</c>. Parties are URIs; on-chain accounts are <c>did:pkh:eip155:{chainId}:{address}</c>.
/// </summary>
public sealed partial class EpcisProfile
{
    /// <summary>The JSON-LD prefix of <see cref="VocabularyNamespace"/> in the documents we write.</summary>
    public const string Prefix = "prov";

    /// <summary>A profile for the deployment served at <paramref name="publicBaseUri"/> (scheme and host, optionally a path).</summary>
    /// <exception cref="ArgumentException">Not an absolute http(s) URI, or it has a query or fragment.</exception>
    public EpcisProfile(Uri publicBaseUri)
    {
        ArgumentNullException.ThrowIfNull(publicBaseUri);
        if (!publicBaseUri.IsAbsoluteUri || (publicBaseUri.Scheme != Uri.UriSchemeHttps && publicBaseUri.Scheme != Uri.UriSchemeHttp)
            || publicBaseUri.Query.Length > 0 || publicBaseUri.Fragment.Length > 0)
        {
            throw new ArgumentException($"'{publicBaseUri}' is not an absolute http(s) base URI without query or fragment", nameof(publicBaseUri));
        }

        Base = publicBaseUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        VocabularyNamespace = Base + "/voc/";
    }

    /// <summary>The public base URI without a trailing slash, e.g. <c>https://provenance.example</c>.</summary>
    public string Base { get; }

    /// <summary>The namespace of our vocabulary, e.g. <c>https://provenance.example/voc/</c>.</summary>
    public string VocabularyNamespace { get; }

    /// <summary>The EPC (instance identifier) of a piece: <c>{base}/p/{code}</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="pieceCode"/> is not a piece code.</exception>
    public string PieceUri(string pieceCode)
    {
        if (!IsPieceCode(pieceCode))
        {
            throw new ArgumentException($"'{pieceCode}' is not a piece code (15 to 17 of 0-9 A-Z without I, L, O, U)", nameof(pieceCode));
        }

        return Base + "/p/" + pieceCode;
    }

    /// <summary>The piece code of <paramref name="epc"/> when it is one of our piece URIs.</summary>
    public bool TryParsePieceUri(string epc, out string pieceCode)
    {
        pieceCode = string.Empty;
        var prefix = Base + "/p/";
        if (!epc.StartsWith(prefix, StringComparison.Ordinal) || !IsPieceCode(epc[prefix.Length..]))
        {
            return false;
        }

        pieceCode = epc[prefix.Length..];
        return true;
    }

    /// <summary>Our business step URI for a craft step: <c>{base}/voc/BizStep-{step}</c>.</summary>
    public string CraftBizStep(CraftStep step) => VocabularyNamespace + "BizStep-" + step.Term();

    /// <summary>The craft step of one of our business step URIs, or null.</summary>
    public CraftStep? ParseCraftBizStep(string uri)
    {
        var prefix = VocabularyNamespace + "BizStep-";
        return uri.StartsWith(prefix, StringComparison.Ordinal) ? CraftSteps.FromTerm(uri[prefix.Length..]) : null;
    }

    /// <summary>The party URI of an EVM account (did:pkh, CAIP-10): <c>did:pkh:eip155:{chainId}:{address}</c>, address in lower case.</summary>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not a 20-byte hex address or the chain id is not positive.</exception>
    public static string AccountParty(long chainId, string address)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chainId);
        if (!Address().IsMatch(address))
        {
            throw new ArgumentException($"'{address}' is not a 0x-prefixed 20-byte hex address", nameof(address));
        }

        return $"did:pkh:eip155:{chainId}:{address.ToLowerInvariant()}";
    }

    /// <summary>True for a piece code: 15 to 17 characters of 0-9 and A-Z without I, L, O and U (the gateway mints 17: 80 random bits and a check symbol).</summary>
    public static bool IsPieceCode(string code) => PieceCode().IsMatch(code);

    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{15,17}$")]
    private static partial Regex PieceCode();

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex Address();
}
