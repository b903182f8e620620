using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Provenance.Api.Hosting;
using Provenance.Api.Security;

namespace Provenance.Api.Records;

/// <summary>Photo upload (raw JPEG/PNG/WebP body) and content-addressed download.</summary>
public static class PhotosApi
{
    /// <summary>Maps <c>/api/photos</c>.</summary>
    public static IEndpointRouteBuilder MapPhotos(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/photos").WithTags("Photos");
        group.MapPost("/", Upload).RequireAuthorization(Roles.Policies.Actor)
            .WithSummary("Upload a photo (body: the image bytes, Content-Type image/jpeg, image/png or image/webp)")
            .WithMetadata(new RequestSizeLimitAttribute(16 * 1024 * 1024))
            .Accepts<byte[]>("image/jpeg", "image/png", "image/webp");
        group.MapGet("/{sha256}", Download).WithSummary("A photo by its SHA-256");
        return routes;
    }

    private static async Task<Created<PhotoInfo>> Upload(
        HttpRequest request, PhotoStore photos, IOptions<PhotoOptions> options, System.Security.Claims.ClaimsPrincipal user,
        CancellationToken ct)
    {
        var max = options.Value.MaxBytes;
        if (request.ContentLength > max)
        {
            throw new ApiProblemException(413, "Request too large", $"Photos are limited to {max} bytes.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw new ApiProblemException(413, "Request too large", $"Photos are limited to {max} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.ToArray();
        var sniffed = PhotoStore.SniffContentType(bytes);
        if (sniffed is null)
        {
            throw new ApiProblemException(415, "Unsupported media type", "Only JPEG, PNG and WebP images are accepted.");
        }

        var declared = request.ContentType?.Split(';')[0].Trim();
        if (declared is not null && !string.Equals(declared, sniffed, StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiProblemException(415, "Unsupported media type", $"Content-Type {declared} does not match the image data ({sniffed}).");
        }

        var info = await photos.SaveAsync(bytes, sniffed, user.ActorId(), ct);
        return TypedResults.Created($"/api/photos/{info.Sha256}", info);
    }

    private static async Task<Results<PhysicalFileHttpResult, NotFound>> Download(string sha256, PhotoStore photos, HttpResponse response, CancellationToken ct)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            return TypedResults.NotFound();
        }

        var info = await photos.FindAsync(sha256, ct);
        if (info is null)
        {
            return TypedResults.NotFound();
        }

        response.Headers.CacheControl = "public, max-age=31536000, immutable";
        response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.PhysicalFile(photos.PathOf(sha256), info.ContentType);
    }
}
