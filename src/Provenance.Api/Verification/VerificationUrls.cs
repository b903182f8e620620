using Microsoft.Extensions.Options;

namespace Provenance.Api.Verification;

/// <summary>Builds the public URLs of the feature: the page a QR encodes, its Digital Link form, and local paths.</summary>
public sealed class VerificationUrls(IOptions<VerificationOptions> options)
{
    private readonly string? _configuredOrigin = options.Value.PublicBaseUrl?.TrimEnd('/') is { Length: > 0 } o ? o : null;
    private readonly string? _gtin = string.IsNullOrWhiteSpace(options.Value.Gs1Gtin) ? null : options.Value.Gs1Gtin;

    /// <summary>True when a GTIN is configured for the GS1 Digital Link form.</summary>
    public bool DigitalLinkEnabled => _gtin is not null;

    /// <summary>The configured GTIN-14, or null.</summary>
    public string? Gtin => _gtin;

    /// <summary>The public origin: the configured one, else the request's scheme and host.</summary>
    public string Origin(HttpRequest request) =>
        _configuredOrigin ?? $"{request.Scheme}://{request.Host.ToUriComponent()}";

    /// <summary>The verification page path of a (normalised) code.</summary>
    public static string PagePath(string code) => $"/p/{code}";

    /// <summary>The claim page path.</summary>
    public static string ClaimPath(string code) => $"/p/{code}/claim";

    /// <summary>A QR image path.</summary>
    public static string QrPath(string code, string format, int? size = null) =>
        size is null ? $"/p/{code}/qr.{format}" : $"/p/{code}/qr.{format}?size={size}";

    /// <summary>The verification URL a QR encodes.</summary>
    public string PageUrl(HttpRequest request, string code) => Origin(request) + PagePath(code);

    /// <summary>The GS1 Digital Link URI of a piece (requires <see cref="DigitalLinkEnabled"/>).</summary>
    public string DigitalLinkUrl(HttpRequest request, string code) =>
        Gs1DigitalLink.For(Origin(request), _gtin ?? throw new InvalidOperationException("no GTIN configured"), code);
}
