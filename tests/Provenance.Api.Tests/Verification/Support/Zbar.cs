using System.Diagnostics;

namespace Provenance.Api.Tests.Verification.Support;

/// <summary>Decodes QR images with Debian's zbarimg (zbar-tools): an independent check that our codes scan.</summary>
public static class Zbar
{
    /// <summary>The decoded text of the single symbol in <paramref name="imagePath"/>.</summary>
    public static async Task<string> DecodeAsync(string imagePath)
    {
        using var process = Process.Start(new ProcessStartInfo("zbarimg", ["--raw", "-q", imagePath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("zbarimg did not start (apt-get install zbar-tools)");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"zbarimg exited {process.ExitCode} on {imagePath}: {error}");
        }

        return output.TrimEnd('\n');
    }
}
