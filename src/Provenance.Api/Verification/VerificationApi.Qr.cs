using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Provenance.Api.Products;
using Provenance.Api.Verification.Qr;

namespace Provenance.Api.Verification;

/// <summary>QR images of a piece's verification URL.</summary>
internal static partial class VerificationApi
{
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetQr(
        string code, QrFormat format, string? size, string? form, HttpContext http, QrServices s, CancellationToken ct)
    {
        var limits = s.Options.Value.Qr;
        var pixels = limits.DefaultSize;
        if (size is not null && (!int.TryParse(size, out pixels) || pixels < limits.MinSize || pixels > limits.MaxSize))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid QR size",
                $"size must be a whole number of pixels from {limits.MinSize} to {limits.MaxSize}.");
        }

        var digitalLink = form?.ToLowerInvariant() switch
        {
            null or "" or "url" => false,
            "gs1" => true,
            _ => (bool?)null,
        };
        if (digitalLink is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid QR form", "form must be \"url\" or \"gs1\".");
        }

        if (digitalLink == true && !s.Urls.DigitalLinkEnabled)
        {
            return Problem(StatusCodes.Status400BadRequest, "GS1 Digital Link not configured",
                "This gateway has no GTIN configured (Verification:Gs1Gtin), so it offers no GS1 Digital Link form.");
        }

        PieceVerificationView? view;
        try
        {
            view = PieceCode.Normalize(code) is { } normalized ? await s.Views.GetAsync(normalized, ct) : null;
        }
        catch (PieceSourceUnavailableException)
        {
            return Unavailable(http, "Verification unavailable", "Pieces cannot be read right now.");
        }

        if (view is null)
        {
            return Problem(StatusCodes.Status404NotFound, "Unknown piece", "No piece is registered with this code.");
        }

        var url = digitalLink == true ? s.Urls.DigitalLinkUrl(view.Code) : s.Urls.PageUrl(view.Code);
        var image = s.Qr.Render(url, format, pixels);
        http.Response.Headers.CacheControl = "public, max-age=86400";
        return TypedResults.File(image.Content, image.ContentType, entityTag: EntityTagHeaderValue.Parse(image.ETag));
    }
}
