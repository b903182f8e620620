using System.ComponentModel.DataAnnotations;

namespace Provenance.Api.Hosting;

/// <summary>Per-client request limits (section <c>RateLimit</c>); over the limit the API answers 429 with Retry-After.</summary>
public sealed class RateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "RateLimit";

    /// <summary>Requests per window per client (API key, else remote address).</summary>
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 600;

    /// <summary>Window length in seconds.</summary>
    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 10;

    /// <summary>Claim attempts per window per client and per piece.</summary>
    [Range(1, 10_000)]
    public int ClaimPermitLimit { get; set; } = 10;

    /// <summary>Claim window in seconds.</summary>
    [Range(1, 86_400)]
    public int ClaimWindowSeconds { get; set; } = 60;

    /// <summary>Largest JSON request body in bytes (photo uploads have their own limit).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public long MaxJsonBodyBytes { get; set; } = 512 * 1024;
}
