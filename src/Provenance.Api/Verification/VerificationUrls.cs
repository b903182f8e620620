using Microsoft.Extensions.Options;
using Provenance.Api.Security;

namespace Provenance.Api.Verification;

/// <summary>
/// Builds the public URLs of the feature: the page a QR encodes, its Digital Link form, and local paths. The origin is
/// configuration (<c>Verification:PublicBaseUrl</c>, else the gateway's <c>Security:PublicBaseUrl</c> that its
/// registration responses use), never the request's Host header: a label printed from an internal address must still
/// point buyers to the public site, and a forged Host cannot change what a QR encodes.
/// </summary>
public sealed class VerificationUrls(IOptions<VerificationOptions> options, IOptions<SecurityOptions> security)
{
    private readonly string? _gtin = string.IsNullOrWhiteSpace(options.Value.Gs1Gtin) ? null : options.Value.Gs1Gtin;

    /// <summary>The public origin, without a trailing slash.</summary>
    public string Origin { get; } =
        (string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl) ? security.Value.PublicBaseUrl : options.Value.PublicBaseUrl).TrimEnd('/');

    /// <summary>True when a GTIN is configured for the GS1 Digital Link form.</summary>
    public bool DigitalLinkEnabled => _gtin is not null;

    /// <summary>The configured GTIN-14, or null.</summary>
    public string? Gtin => _gtin;

    /// <summary>The verification page path of a (normalised) code.</summary>
    public static string PagePath(string code) => $"/p/{code}";

    /// <summary>The claim page path.</summary>
    public static string ClaimPath(string code) => $"/p/{code}/claim";

    /// <summary>A QR image path.</summary>
    public static string QrPath(string code, string format, int? size = null) =>
        size is null ? $"/p/{code}/qr.{format}" : $"/p/{code}/qr.{format}?size={size}";

    /// <summary>The verification URL a QR encodes.</summary>
    public string PageUrl(string code) => Origin + PagePath(code);

    /// <summary>The GS1 Digital Link URI of a piece (requires <see cref="DigitalLinkEnabled"/>).</summary>
    public string DigitalLinkUrl(string code) =>
        Gs1DigitalLink.For(Origin, _gtin ?? throw new InvalidOperationException("no GTIN configured"), code);
}
