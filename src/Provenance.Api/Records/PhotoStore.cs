using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using Provenance.Api.Data;

namespace Provenance.Api.Records;

/// <summary>Limits for photo uploads (section <c>Photos</c>).</summary>
public sealed class PhotoOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Photos";

    /// <summary>Largest accepted photo in bytes.</summary>
    public long MaxBytes { get; set; } = 5 * 1024 * 1024;
}

/// <summary>A stored photo.</summary>
public sealed record PhotoInfo(string Sha256, string ContentType, long Size);

/// <summary>
/// Content-addressed photos: the file name is the SHA-256 of the bytes, so records reference photos by hash and a
/// re-upload is free. The type is taken from the bytes (JPEG, PNG, WebP magic numbers), never from the client.
/// </summary>
public sealed class PhotoStore(Db db, IOptions<StorageOptions> storage)
{
    /// <summary>Detects JPEG/PNG/WebP from magic numbers; null for anything else.</summary>
    public static string? SniffContentType(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            return "image/jpeg";
        }

        if (head.Length >= 8 && head[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }))
        {
            return "image/png";
        }

        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        return null;
    }

    /// <summary>Stores the photo (file first, then the row) and returns its hash and type.</summary>
    public async Task<PhotoInfo> SaveAsync(byte[] bytes, string contentType, string actorId, CancellationToken ct)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var dir = storage.Value.PhotoDirectory;
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, sha);
        if (!File.Exists(path))
        {
            var tmp = path + ".tmp-" + Guid.NewGuid().ToString("N");
            await File.WriteAllBytesAsync(tmp, bytes, ct);
            File.Move(tmp, path, overwrite: true);
        }

        await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
            "INSERT OR IGNORE INTO photos(sha256, content_type, size, uploaded_by, created_at) " +
            "VALUES (@sha, @contentType, @size, @actorId, @at)",
            new { sha, contentType, size = bytes.LongLength, actorId, at = DateTimeOffset.UtcNow.ToString("O") },
            tx, cancellationToken: ct)), ct);
        return new PhotoInfo(sha, contentType, bytes.LongLength);
    }

    /// <summary>Metadata of a stored photo, or null.</summary>
    public Task<PhotoInfo?> FindAsync(string sha256, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<PhotoInfo>(new CommandDefinition(
            "SELECT sha256 AS Sha256, content_type AS ContentType, size AS Size FROM photos WHERE sha256 = @sha256",
            new { sha256 }, cancellationToken: ct)), ct);

    /// <summary>Path of the stored file for a known hash.</summary>
    public string PathOf(string sha256) => Path.Combine(storage.Value.PhotoDirectory, sha256);
}
