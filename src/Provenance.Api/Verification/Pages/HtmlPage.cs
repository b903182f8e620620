using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Net.Http.Headers;

namespace Provenance.Api.Verification.Pages;

/// <summary>
/// A rendered page: UTF-8 bytes, compressed for slow connections on first use of each encoding (a page sent once —
/// claim, 404, label sheet — is compressed only in the encoding its visitor accepts; a cached page keeps the result),
/// and a weak validator so a revisit can be answered 304.
/// </summary>
public sealed class RenderedPage
{
    private readonly Lazy<byte[]> _brotli;
    private readonly Lazy<byte[]> _gzip;

    private RenderedPage(byte[] utf8)
    {
        Utf8 = utf8;
        _brotli = new(() => Compress(utf8, s => new BrotliStream(s, CompressionLevel.Optimal, leaveOpen: true)));
        _gzip = new(() => Compress(utf8, s => new GZipStream(s, CompressionLevel.Optimal, leaveOpen: true)));
        ETag = $"W/\"{Convert.ToHexStringLower(SHA256.HashData(utf8).AsSpan(0, 12))}\"";
    }

    /// <summary>The page as UTF-8.</summary>
    public byte[] Utf8 { get; }

    /// <summary>Brotli-compressed (computed on first use).</summary>
    public byte[] Brotli => _brotli.Value;

    /// <summary>Gzip-compressed (computed on first use).</summary>
    public byte[] Gzip => _gzip.Value;

    /// <summary>Weak entity tag of the content (same for every encoding).</summary>
    public string ETag { get; }

    /// <summary>Wraps rendered HTML.</summary>
    public static RenderedPage FromHtml(string html) => new(Encoding.UTF8.GetBytes(html));

    private static byte[] Compress(byte[] input, Func<Stream, Stream> wrap)
    {
        using var output = new MemoryStream(input.Length / 3);
        using (var compressor = wrap(output))
        {
            compressor.Write(input);
        }

        return output.ToArray();
    }
}

/// <summary>
/// Writes a <see cref="RenderedPage"/> with its status, the negotiated encoding, revalidation caching and 304 on a
/// matching <c>If-None-Match</c>. Security headers are set by the feature's endpoint filter.
/// </summary>
/// <param name="Page">The page.</param>
/// <param name="StatusCode">200, 404, 429, 503 …</param>
/// <param name="CacheControl">The Cache-Control value (revalidate by default: every view must reach us to be counted).</param>
public sealed record HtmlPage(RenderedPage Page, int StatusCode = StatusCodes.Status200OK, string CacheControl = "private, no-cache")
    : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    /// <inheritdoc />
    public string ContentType => "text/html; charset=utf-8";

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        var response = httpContext.Response;
        response.Headers.CacheControl = CacheControl;
        response.Headers.Vary = "Accept-Encoding, Accept-Language, Cookie";
        response.Headers.ETag = Page.ETag;

        if (StatusCode == StatusCodes.Status200OK && IfNoneMatch(request, Page.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        var (body, encoding) = Negotiate(request.Headers.AcceptEncoding.ToString());
        response.StatusCode = StatusCode;
        response.ContentType = ContentType;
        if (encoding is not null)
        {
            response.Headers.ContentEncoding = encoding;
        }

        response.ContentLength = body.Length;
        return HttpMethods.IsHead(request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
    }

    private (byte[] Body, string? Encoding) Negotiate(string acceptEncoding)
    {
        if (acceptEncoding.Length == 0
            || !StringWithQualityHeaderValue.TryParseList([acceptEncoding], out var codings))
        {
            return (Page.Utf8, null);
        }

        bool Accepts(string name) =>
            codings.Any(c => string.Equals(c.Value.Value, name, StringComparison.OrdinalIgnoreCase) && c.Quality is not 0);

        return Accepts("br") ? (Page.Brotli, "br") : Accepts("gzip") ? (Page.Gzip, "gzip") : (Page.Utf8, null);
    }

    private static bool IfNoneMatch(HttpRequest request, string etag)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0)
        {
            return false;
        }

        var tags = header.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var bare = etag[2..]; // weak comparison (RFC 9110 §8.8.3.2)
        return tags.Any(t => t == "*" || t == etag || t == bare || (t.StartsWith("W/", StringComparison.Ordinal) && t[2..] == bare));
    }
}
