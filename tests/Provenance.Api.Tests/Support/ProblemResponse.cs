using System.Net.Http.Json;
using System.Text.Json;

namespace Provenance.Api.Tests.Support;

/// <summary>An RFC 9457 problem response, read for assertions.</summary>
/// <param name="Status">The body's <c>status</c>.</param>
/// <param name="Title">The body's <c>title</c>.</param>
/// <param name="Detail">The body's <c>detail</c>.</param>
/// <param name="Code">The gateway's <c>code</c> extension, when there is one.</param>
public sealed record ProblemResponse(int Status, string? Title, string? Detail, string? Code)
{
    /// <summary>
    /// Reads <paramref name="response"/> as problem details, asserting its media type and that the body's status is the
    /// response's.
    /// </summary>
    public static async Task<ProblemResponse> ReadAsync(HttpResponseMessage response, string because = "")
    {
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json", because);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var problem = new ProblemResponse(body.GetProperty("status").GetInt32(), Text(body, "title"), Text(body, "detail"), Text(body, "code"));
        problem.Status.Should().Be((int)response.StatusCode, because);
        return problem;
    }

    private static string? Text(JsonElement body, string name) => body.TryGetProperty(name, out var value) ? value.GetString() : null;
}
