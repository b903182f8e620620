using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Provenance.Testing;

namespace Provenance.Api.Tests.Scripts;

/// <summary>
/// The README's run command from a clean copy (a git clone of this repository with node_modules linked): start,
/// wait for /health, register a piece, stop with a signal, start again, read the piece back.
/// </summary>
public sealed class RunScriptTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("provenance-run-").FullName;
    private readonly StringBuilder _output = new();

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    [Fact]
    public async Task RunScript_StartRegisterRestart_PieceReadsBack()
    {
        var clone = Path.Combine(_dir, "p");
        await RunAsync("git", $"clone -q \"{RepoPaths.Root}\" \"{clone}\"", _dir);
        File.CreateSymbolicLink(Path.Combine(clone, "node_modules"), Path.Combine(RepoPaths.Root, "node_modules"));
        foreach (var built in new[] { "artifacts", "cache" })
        {
            // The contract build of this checkout: hardhat sees it up to date and skips recompiling.
            await RunAsync("cp", $"-a \"{Path.Combine(RepoPaths.Root, built)}\" \"{clone}/\"", _dir);
        }

        var port = FreePort();
        var env = new Dictionary<string, string>
        {
            ["PROVENANCE_DATA_DIR"] = Path.Combine(_dir, "data"),
            ["PROVENANCE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PROVENANCE_RPC_URL"] = $"http://127.0.0.1:{FreePort()}",
        };
        using var http = new HttpClient { BaseAddress = new Uri($"http://localhost:{port}"), Timeout = TimeSpan.FromSeconds(10) };

        string code;
        using (var first = Start(clone, env))
        {
            await WaitHealthyAsync(http, first);
            var adminKey = (await File.ReadAllTextAsync(Path.Combine(_dir, "data", "admin-api-key"))).Trim();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
            var artisan = await (await http.PostAsJsonAsync("/api/actors/artisans", new { name = "Run Script", craft = "kani", cluster = "Kanihama" }))
                .Content.ReadFromJsonAsync<JsonElement>();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", artisan.GetProperty("apiKey").GetString());
            await WaitOperationAsync(http, artisan.GetProperty("roleOperationId").GetString()!);
            var response = await http.PostAsJsonAsync("/api/pieces", new
            {
                craft = "kani", title = "Run script shawl", makers = new[] { new { actorId = artisan.GetProperty("id").GetString(), part = "weaver" } },
            });
            response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
            var registered = await response.Content.ReadFromJsonAsync<JsonElement>();
            code = registered.GetProperty("code").GetString()!;
            (await WaitOperationAsync(http, registered.GetProperty("operationId").GetString()!)).Should().Be("confirmed");
            await StopAsync(first);
        }

        using (var second = Start(clone, env))
        {
            await WaitHealthyAsync(http, second);
            var deadline = DateTime.UtcNow.AddSeconds(120);
            JsonElement piece;
            do
            {
                piece = await http.GetFromJsonAsync<JsonElement>($"/api/pieces/{code}");
                await Task.Delay(200);
            }
            while (piece.GetProperty("events").GetArrayLength() == 0 && DateTime.UtcNow < deadline);

            piece.GetProperty("status").GetString().Should().Be("Active", Output);
            piece.GetProperty("integrity").GetString().Should().Be("verified");
            await StopAsync(second);
        }

        Output.Should().Contain("registry already deployed", "the second start reuses the deployment");
    }

    private string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    private Process Start(string clone, IReadOnlyDictionary<string, string> env)
    {
        var psi = new ProcessStartInfo("bash", "scripts/run.sh")
        {
            WorkingDirectory = clone, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }

        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitHealthyAsync(HttpClient http, Process script)
    {
        var deadline = DateTime.UtcNow.AddMinutes(8);
        while (DateTime.UtcNow < deadline)
        {
            script.HasExited.Should().BeFalse($"run.sh exited early:\n{Output}");
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not up yet
            }
            catch (TaskCanceledException)
            {
                // not up yet
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"run.sh did not become healthy:\n{Output}");
    }

    private static async Task<string> WaitOperationAsync(HttpClient http, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var status = (await http.GetFromJsonAsync<JsonElement>($"/api/operations/{id}")).GetProperty("status").GetString()!;
            if (status is "confirmed" or "failed" || DateTime.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Stops run.sh as Ctrl-C would (SIGINT to the script); it stops the gateway and the chain it started.</summary>
    private async Task StopAsync(Process script)
    {
        await RunAsync("kill", $"-INT {script.Id}", _dir);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await script.WaitForExitAsync(timeout.Token);
    }

    private static async Task RunAsync(string file, string args, string cwd)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { WorkingDirectory = cwd, RedirectStandardError = true })!;
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        p.ExitCode.Should().Be(0, $"{file} {args}: {err}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
