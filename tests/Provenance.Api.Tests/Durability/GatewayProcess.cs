using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Provenance.Testing;

namespace Provenance.Api.Tests.Durability;

/// <summary>
/// The built gateway (Provenance.Api.dll, same configuration as the tests) run as a child process with its
/// configuration in environment variables, so a test can kill it with SIGKILL and start it again on the same data.
/// </summary>
public sealed class GatewayProcess : IDisposable
{
    private readonly Process _process;

    private GatewayProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    /// <summary>Where it listens.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Starts the gateway and waits until it answers.</summary>
    public static async Task<GatewayProcess> StartAsync(string dataDirectory, string masterKey, string rpcUrl, string deploymentFile)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Debug" : "Release";
        var bin = Path.Combine(RepoPaths.Root, "src", "Provenance.Api", "bin", configuration, "net10.0");
        var port = LoopbackPorts.Free();
        var psi = new ProcessStartInfo("dotnet", $"\"{Path.Combine(bin, "Provenance.Api.dll")}\"")
        {
            WorkingDirectory = bin, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        psi.Environment["Storage__DataDirectory"] = dataDirectory;
        psi.Environment["Security__MasterKey"] = masterKey;
        psi.Environment["Chain__RpcUrl"] = rpcUrl;
        psi.Environment["Chain__DeploymentFile"] = deploymentFile;
        psi.Environment["RateLimit__PermitLimit"] = "100000";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the gateway");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var gateway = new GatewayProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var probe = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"gateway exited with {process.ExitCode}");
            }

            try
            {
                if ((await probe.GetAsync("/api/operations/op_none")).StatusCode == HttpStatusCode.NotFound)
                {
                    return gateway;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // slow start
            }

            if (DateTime.UtcNow > deadline)
            {
                gateway.Dispose();
                throw new TimeoutException("gateway did not start");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>A client for the gateway.</summary>
    public HttpClient Client(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>kill -9.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
