using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provenance.Api.Verification.Preview;

/// <summary>
/// Serves views from a JSON file (<see cref="VerificationOptions.PreviewFixturesFile"/>) for page design, translation
/// review and the page benchmark. Registered only outside Production, under a service key, so it never replaces the
/// gateway's source by accident.
/// </summary>
public sealed class FixturePieceVerificationSource : IPieceVerificationSource
{
    /// <summary>The keyed-service key.</summary>
    public const string ServiceKey = "verification-preview";

    private readonly Dictionary<string, PieceVerificationView> _views;

    /// <summary>Loads the file.</summary>
    public FixturePieceVerificationSource(string path)
    {
        using var stream = File.OpenRead(path);
        var views = JsonSerializer.Deserialize(stream, PreviewJsonContext.Default.ListPieceVerificationView)
            ?? throw new InvalidDataException($"{path} holds no views");
        _views = views.ToDictionary(v => v.Code, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public Task<PieceVerificationView?> GetByCodeAsync(string code, CancellationToken cancellationToken) =>
        Task.FromResult(_views.GetValueOrDefault(code));
}

/// <summary>System.Text.Json source generation for the preview file (camelCase, enums as strings).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web, UseStringEnumConverter = true, WriteIndented = true)]
[JsonSerializable(typeof(List<PieceVerificationView>))]
public sealed partial class PreviewJsonContext : JsonSerializerContext;
