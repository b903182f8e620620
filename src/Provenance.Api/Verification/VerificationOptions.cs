using System.ComponentModel.DataAnnotations;

namespace Provenance.Api.Verification;

/// <summary>Settings of the public verification feature (section <c>Verification</c>), validated at start.</summary>
public sealed class VerificationOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Verification";

    /// <summary>
    /// The public origin the QR codes point to (e.g. <c>https://verify.example.org</c>). When empty, the gateway's
    /// <c>Security:PublicBaseUrl</c> (env <c>PROVENANCE_PUBLIC_URL</c>) is used; never the request's Host header.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// GTIN-14 used for the GS1 Digital Link form of the QR (<c>/01/{gtin}/21/{code}</c>); empty disables that form.
    /// </summary>
    public string? Gs1Gtin { get; set; }

    /// <summary>How long a piece's view and its rendered page are reused before the source is asked again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ViewCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>QR image sizes (pixels) accepted by the <c>size</c> parameter, and the default.</summary>
    public QrSizeOptions Qr { get; set; } = new();

    /// <summary>At most this many pieces on one label sheet.</summary>
    [Range(1, 500)]
    public int MaxLabelsPerSheet { get; set; } = 100;

    /// <summary>Rate limits on the public routes.</summary>
    public PublicRateLimitOptions RateLimits { get; set; } = new();

    /// <summary>Scan counting and the suspected-copy rules.</summary>
    public ScanSignalOptions Scans { get; set; } = new();

    /// <summary>
    /// Preview data for page design, translation review and the page benchmark: a JSON file of
    /// <see cref="PieceVerificationView"/> records served instead of the gateway's source. Refused in Production.
    /// </summary>
    public string? PreviewFixturesFile { get; set; }

    /// <summary>
    /// A folder whose files are served at <c>/preview/static/{file}</c> (the benchmark's static baseline). Refused in
    /// Production.
    /// </summary>
    public string? PreviewStaticDirectory { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(PublicBaseUrl)
            && (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri)
                || uri.Scheme is not ("https" or "http")
                || uri.PathAndQuery != "/" || !string.IsNullOrEmpty(uri.Fragment)))
        {
            yield return new ValidationResult(
                "PublicBaseUrl must be an absolute http(s) origin without path, query or fragment",
                [nameof(PublicBaseUrl)]);
        }

        if (!string.IsNullOrWhiteSpace(Gs1Gtin) && !Gs1DigitalLink.IsValidGtin14(Gs1Gtin))
        {
            yield return new ValidationResult(
                "Gs1Gtin must be 14 digits with a valid GS1 check digit", [nameof(Gs1Gtin)]);
        }

        if (Qr.MinSize < 32 || Qr.MaxSize > 4096 || Qr.MinSize > Qr.DefaultSize || Qr.DefaultSize > Qr.MaxSize)
        {
            yield return new ValidationResult(
                "Qr sizes must satisfy 32 <= MinSize <= DefaultSize <= MaxSize <= 4096", [nameof(Qr)]);
        }

        foreach (var result in RateLimits.Validate().Concat(Scans.Validate()))
        {
            yield return result;
        }
    }
}

/// <summary>QR image size limits, in pixels.</summary>
public sealed class QrSizeOptions
{
    /// <summary>Smallest accepted size.</summary>
    public int MinSize { get; set; } = 64;

    /// <summary>Size when none is asked for.</summary>
    public int DefaultSize { get; set; } = 256;

    /// <summary>Largest accepted size.</summary>
    public int MaxSize { get; set; } = 2048;
}

/// <summary>
/// Limits on the public routes, per client network address (hashed) and, for claims, per piece. Exceeding one
/// answers 429 with <c>Retry-After</c>.
/// </summary>
public sealed class PublicRateLimitOptions
{
    /// <summary>Page, QR and label requests per client address per minute.</summary>
    public int PagesPerMinute { get; set; } = 120;

    /// <summary>Claim attempts per piece per window.</summary>
    public int ClaimsPerPiece { get; set; } = 6;

    /// <summary>Claim attempts per client address per window.</summary>
    public int ClaimsPerClient { get; set; } = 10;

    /// <summary>The claim window.</summary>
    public TimeSpan ClaimWindow { get; set; } = TimeSpan.FromHours(1);

    internal IEnumerable<ValidationResult> Validate()
    {
        if (PagesPerMinute < 1 || ClaimsPerPiece < 1 || ClaimsPerClient < 1)
        {
            yield return new ValidationResult("RateLimits must all be at least 1", [nameof(VerificationOptions.RateLimits)]);
        }

        if (ClaimWindow <= TimeSpan.Zero || ClaimWindow > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("RateLimits.ClaimWindow must be within (0, 1 day]", [nameof(ClaimWindow)]);
        }
    }
}

/// <summary>Scan counting and the rules that mark a piece "suspected copy".</summary>
public sealed class ScanSignalOptions
{
    /// <summary>How often the salt of the client hash is replaced (the old one is forgotten, never stored).</summary>
    public TimeSpan SaltRotation { get; set; } = TimeSpan.FromDays(1);

    /// <summary>A claimed piece scanned by at least this many distinct clients within one salt period is suspected.</summary>
    public int ClaimedDistinctClients { get; set; } = 6;

    /// <summary>
    /// Scans from at least this many distinct network areas within <see cref="BurstWindow"/> are suspected. High
    /// enough that a busy shop (customers on different mobile networks) stays below it; one copied label sold in
    /// several markets does not.
    /// </summary>
    public int BurstDistinctPlaces { get; set; } = 8;

    /// <summary>The burst window.</summary>
    public TimeSpan BurstWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often counted scans are written to the store.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Scan rows older than this are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(400);

    internal IEnumerable<ValidationResult> Validate()
    {
        if (SaltRotation < TimeSpan.FromMinutes(1) || BurstWindow <= TimeSpan.Zero || FlushInterval <= TimeSpan.Zero
            || Retention < TimeSpan.FromDays(1))
        {
            yield return new ValidationResult(
                "Scans: SaltRotation >= 1 min, BurstWindow > 0, FlushInterval > 0, Retention >= 1 day",
                [nameof(VerificationOptions.Scans)]);
        }

        if (ClaimedDistinctClients < 2 || BurstDistinctPlaces < 2)
        {
            yield return new ValidationResult(
                "Scans thresholds must be at least 2", [nameof(VerificationOptions.Scans)]);
        }
    }
}
