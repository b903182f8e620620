namespace Provenance.Api.Hosting;

/// <summary>
/// A failure with a precise HTTP status, raised by a service and written by the exception handler as an RFC 9457
/// problem details response. <paramref name="Detail"/> is shown to the client: never put secrets in it.
/// </summary>
public sealed class ApiProblemException(int status, string title, string detail, string? code = null,
    TimeSpan? retryAfter = null) : Exception(detail)
{
    /// <summary>HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>Short, stable title.</summary>
    public string Title { get; } = title;

    /// <summary>Human-readable explanation for this occurrence.</summary>
    public string Detail { get; } = detail;

    /// <summary>Machine-readable code (e.g. the contract's custom error name).</summary>
    public string? Code { get; } = code;

    /// <summary>When set, sent as <c>Retry-After</c>.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>400 Bad Request.</summary>
    public static ApiProblemException BadRequest(string detail) => new(400, "Invalid request", detail);

    /// <summary>403 Forbidden.</summary>
    public static ApiProblemException Forbidden(string detail, string? code = null) => new(403, "Not allowed", detail, code);

    /// <summary>404 Not Found.</summary>
    public static ApiProblemException NotFound(string detail, string? code = null) => new(404, "Not found", detail, code);

    /// <summary>409 Conflict.</summary>
    public static ApiProblemException Conflict(string detail, string? code = null) => new(409, "Conflict", detail, code);

    /// <summary>422 Unprocessable.</summary>
    public static ApiProblemException Unprocessable(string detail, string? code = null) => new(422, "Invalid action", detail, code);

    /// <summary>503 with Retry-After.</summary>
    public static ApiProblemException Unavailable(string detail, int retryAfterSeconds = 5) =>
        new(503, "Chain unavailable", detail, "ChainUnavailable", TimeSpan.FromSeconds(retryAfterSeconds));
}
