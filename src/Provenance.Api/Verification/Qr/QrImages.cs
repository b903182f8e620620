using System.Text;
using Microsoft.Extensions.Caching.Memory;
using QRCoder;

namespace Provenance.Api.Verification.Qr;

/// <summary>An encoded QR image and its validator.</summary>
/// <param name="Content">The image bytes.</param>
/// <param name="ContentType">image/svg+xml or image/png.</param>
/// <param name="ETag">A strong validator of the bytes.</param>
/// <param name="Pixels">The image's width and height.</param>
public sealed record QrImage(byte[] Content, string ContentType, string ETag, int Pixels);

/// <summary>
/// QR codes of the verification URLs (ISO/IEC 18004 via QRCoder), error correction level Q (25% of the symbol can be
/// damaged: a sewn-in tag frays) with the standard 4-module quiet zone. Encoded images are kept in memory.
/// </summary>
public sealed class QrImages(VerificationCache cache)
{
    /// <summary>The QR of <paramref name="text"/> as SVG or PNG, as close to <paramref name="size"/> pixels as whole modules allow.</summary>
    public QrImage Render(string text, QrFormat format, int size) =>
        cache.Cache.GetOrCreate((nameof(QrImages), text, format, size), entry =>
        {
            entry.SlidingExpiration = TimeSpan.FromMinutes(10);
            entry.Size = 1;
            return Encode(text, format, size);
        })!;

    private static QrImage Encode(string text, QrFormat format, int size)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.Q);
        var modules = data.ModuleMatrix.Count; // includes the quiet zone
        var pixelsPerModule = Math.Max(1, size / modules);
        byte[] content;
        string contentType;
        if (format == QrFormat.Svg)
        {
            content = Encoding.UTF8.GetBytes(new SvgQRCode(data).GetGraphic(pixelsPerModule, "#000000", "#ffffff"));
            contentType = "image/svg+xml";
        }
        else
        {
            content = new PngByteQRCode(data).GetGraphic(pixelsPerModule);
            contentType = "image/png";
        }

        var etag = "\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content).AsSpan(0, 12)) + "\"";
        return new QrImage(content, contentType, etag, pixelsPerModule * modules);
    }
}

/// <summary>QR image formats.</summary>
public enum QrFormat
{
    /// <summary>Scalable vector graphics (for print).</summary>
    Svg,

    /// <summary>PNG.</summary>
    Png,
}
