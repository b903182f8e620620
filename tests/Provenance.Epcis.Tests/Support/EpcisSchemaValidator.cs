using System.Diagnostics;
using Provenance.Testing;

namespace Provenance.Epcis.Tests.Support;

/// <summary>Runs scripts/validate-epcis.js (ajv against GS1's EPCIS 2.0 JSON Schema) on files.</summary>
internal static class EpcisSchemaValidator
{
    public sealed record Outcome(int ExitCode, string Output);

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
