using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using Provenance.Testing;

namespace Provenance.Ethereum.Tests.Vectors;

/// <summary>Opens the shared vector files (../shared/vectors): the hand-picked spec file and the ethers.js cases.</summary>
internal static class VectorFiles
{
    private static readonly ConcurrentDictionary<string, JsonDocument> Cache = new();

    /// <summary>spec/ethereum-spec-vectors.json.</summary>
    public static JsonElement Spec => Load("spec/ethereum-spec-vectors.json").RootElement;

    /// <summary>ethers/<paramref name="name"/>.json.gz, parsed (and cached for the test run).</summary>
    public static JsonElement Ethers(string name) => Load($"ethers/{name}.json.gz").RootElement;

    private static JsonDocument Load(string relative) => Cache.GetOrAdd(relative, static rel =>
    {
        var root = RepoPaths.Vectors ?? throw new InvalidOperationException(RepoPaths.VectorsSkipReason);
        var path = Path.Combine(root, rel);
        using var file = File.OpenRead(path);
        using Stream stream = rel.EndsWith(".gz", StringComparison.Ordinal)
            ? new GZipStream(file, CompressionMode.Decompress)
            : file;
        return JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
    });
}
