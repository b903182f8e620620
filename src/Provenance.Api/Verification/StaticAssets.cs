using System.IO.Compression;
using System.Security.Cryptography;

namespace Provenance.Api.Verification;

/// <summary>
/// The stylesheet, embedded in the assembly and served from memory under a content-hashed name with a one-year
/// immutable cache, precompressed with Brotli and gzip.
/// </summary>
public sealed class StaticAssets
{
    private const string ResourceName = "Provenance.Api.Verification.Assets.verification.css";

    /// <summary>Loads the stylesheet.</summary>
    public StaticAssets()
    {
        using var stream = typeof(StaticAssets).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        Stylesheet = buffer.ToArray();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Stylesheet).AsSpan(0, 6));
        StylesheetFile = $"verification.{hash}.css";
        StylesheetBrotli = Compress(Stylesheet, s => new BrotliStream(s, CompressionLevel.SmallestSize, true));
        StylesheetGzip = Compress(Stylesheet, s => new GZipStream(s, CompressionLevel.SmallestSize, true));
    }

    /// <summary>The stylesheet bytes (UTF-8).</summary>
    public byte[] Stylesheet { get; }

    /// <summary>Brotli-compressed stylesheet.</summary>
    public byte[] StylesheetBrotli { get; }

    /// <summary>Gzip-compressed stylesheet.</summary>
    public byte[] StylesheetGzip { get; }

    /// <summary>The hashed file name, e.g. <c>verification.1a2b3c4d5e6f.css</c>.</summary>
    public string StylesheetFile { get; }

    /// <summary>The path pages link to.</summary>
    public string StylesheetHref => $"{PathPrefix}/{StylesheetFile}";

    /// <summary>Where the feature's assets are served.</summary>
    public const string PathPrefix = "/assets/verification";

    private static byte[] Compress(byte[] input, Func<Stream, Stream> wrap)
    {
        using var output = new MemoryStream();
        using (var compressor = wrap(output))
        {
            compressor.Write(input);
        }

        return output.ToArray();
    }
}
