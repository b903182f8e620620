using Xunit;

namespace Provenance.Testing;

/// <summary>Locates the repository root and the shared test data (../shared/vectors).</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder holding Provenance.sln.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>Hardhat's command-line entry point in the repository's node_modules (run with <c>node</c>).</summary>
    public static string HardhatCli => Path.Combine(Root, "node_modules", "hardhat", "internal", "cli", "cli.js");

    /// <summary>
    /// The shared vectors folder: <c>PROVENANCE_VECTORS</c> if set, otherwise <c>../shared/vectors</c> beside the
    /// repository; <c>null</c> when neither exists (someone else's clone).
    /// </summary>
    public static string? Vectors
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("PROVENANCE_VECTORS");
            if (!string.IsNullOrWhiteSpace(fromEnv))
            {
                return Directory.Exists(fromEnv) ? Path.GetFullPath(fromEnv) : null;
            }

            var beside = Path.GetFullPath(Path.Combine(Root, "..", "shared", "vectors"));
            return Directory.Exists(beside) ? beside : null;
        }
    }

    /// <summary>Why vector tests are skipped, or <c>null</c> when the vectors are present.</summary>
    public static string? VectorsSkipReason => Vectors is null
        ? "shared test vectors not found: set PROVENANCE_VECTORS or place them at ../shared/vectors"
        : null;

    /// <summary>A fresh folder under the test-output directory, for files a test wants to keep for inspection.</summary>
    public static string TestOutput(string name)
    {
        var dir = Path.Combine(Root, "test-output", name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Provenance.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Provenance.sln not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>A fact that is skipped, with the reason shown, when the shared vectors are absent.</summary>
public sealed class VectorFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the vectors are missing.</summary>
    public VectorFactAttribute() => Skip = RepoPaths.VectorsSkipReason;
}

/// <summary>A theory that is skipped, with the reason shown, when the shared vectors are absent.</summary>
public sealed class VectorTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the vectors are missing.</summary>
    public VectorTheoryAttribute() => Skip = RepoPaths.VectorsSkipReason;
}
