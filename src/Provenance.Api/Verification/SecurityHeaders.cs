namespace Provenance.Api.Verification;

/// <summary>
/// Response headers of every public page and image: a Content-Security-Policy that allows no script at all and
/// nothing from other origins, no framing, no MIME sniffing, no referrer (the page URL carries the piece code).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The policy (CSP Level 3).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; object-src 'none'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Sets the headers on <paramref name="response"/>.</summary>
    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
    }

    /// <summary>An endpoint filter that applies the headers before the handler runs.</summary>
    public static ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        Apply(context.HttpContext.Response);
        return next(context);
    }
}
