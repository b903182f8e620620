using System.Diagnostics;
namespace Provenance.Testing;

/// <summary>
/// Runs scripts/validate-epcis.js (ajv against GS1's EPCIS 2.0 JSON Schema from the shared vectors) on files; tests
/// calling it are <see cref="VectorFactAttribute"/>s.
/// </summary>
public static class EpcisSchemaValidator
{
    /// <summary>The script's exit code (0 all valid) and its output.</summary>
    public sealed record Outcome(int ExitCode, string Output);

    /// <summary>Validates <paramref name="files"/>.</summary>
    public static async Task<Outcome> ValidateAsync(IEnumerable<string> files, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine("scripts", "validate-epcis.js"));
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }

        start.Environment["PROVENANCE_VECTORS"] = RepoPaths.Vectors;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new Outcome(process.ExitCode, await stdout + await stderr);
    }
}
