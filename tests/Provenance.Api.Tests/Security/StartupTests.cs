using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Provenance.Api.Chain;
using Provenance.Api.Security;
using Provenance.Api.Tests.Support;

namespace Provenance.Api.Tests.Security;

public sealed class StartupTests
{
    [Fact]
    public async Task Start_MissingMasterKey_ProcessExitsWithClearMessage()
    {
        // The real gateway process, as an operator starts it, with no master key configured.
        var dll = typeof(Program).Assembly.Location;
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet", $"\"{dll}\" --urls http://127.0.0.1:0")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        psi.Environment["Storage__DataDirectory"] = Directory.CreateTempSubdirectory("provenance-nokey-").FullName;
        psi.Environment["PROVENANCE_MASTER_KEY"] = "";
        psi.Environment["PROVENANCE_MASTER_KEY_FILE"] = "";
        psi.Environment["Chain__DeploymentFile"] = OfflineGateway.DeploymentFile;
        psi.Environment["Chain__RpcUrl"] = "http://127.0.0.1:9";
        using var process = System.Diagnostics.Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        process.ExitCode.Should().NotBe(0);
        var text = await output + await error;
        text.Should().Contain("Security:MasterKey is missing").And.Contain("PROVENANCE_MASTER_KEY");
    }

    [Theory]
    [InlineData(null, null, "PROVENANCE_MASTER_KEY")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==", null, "exactly 32 bytes")]
    [InlineData("not base64!", null, "not valid base64")]
    [InlineData(null, "/nonexistent/master.key", "does not exist")]
    public void SecurityValidator_BadMasterKey_ClearMessage(string? key, string? file, string expected)
    {
        var result = new SecurityOptionsValidator().Validate(null, new SecurityOptions { MasterKey = key, MasterKeyFile = file });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain(expected);
    }

    [Fact]
    public void SecurityValidator_BadPublicUrl_ClearMessage()
    {
        var result = new SecurityOptionsValidator().Validate(null, new SecurityOptions
        {
            MasterKey = Convert.ToBase64String(new byte[32]), PublicBaseUrl = "localhost:5080",
        });

        result.FailureMessage.Should().Contain("Security:PublicBaseUrl");
    }

    [Theory]
    [InlineData("ftp://x", "deploy.json", "Chain:RpcUrl")]
    [InlineData("http://127.0.0.1:8545", "/nonexistent/deploy.json", "deploy.js")]
    public void ChainValidator_BadSettings_ClearMessage(string rpc, string deployment, string expected)
    {
        var file = deployment == "deploy.json" ? OfflineGateway.DeploymentFile : deployment;

        var result = new ChainOptionsValidator().Validate(null, new ChainOptions { RpcUrl = rpc, DeploymentFile = file });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain(expected);
    }

    [Fact]
    public async Task Start_FirstStart_WritesAdminKeyFileOwnerOnly()
    {
        using var factory = OfflineGateway.Create();

        var key = factory.AdminKey;
        var file = Path.Combine(factory.DataDirectory, "admin-api-key");

        key.Should().StartWith("pvk_");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        using var client = factory.ClientFor(key);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/actors/me");
        me.GetProperty("kind").GetString().Should().Be("admin");
    }

    [Fact]
    public async Task Health_ChainUnreachable_Returns503WithStoreOk()
    {
        using var factory = OfflineGateway.Create();
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/health");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        body.GetProperty("store").GetProperty("ok").GetBoolean().Should().BeTrue();
        body.GetProperty("chain").GetProperty("reachable").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task OpenApi_Document_ListsActorEndpointsWithExamples()
    {
        using var factory = OfflineGateway.Create();
        using var client = factory.CreateClient();

        var doc = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var swagger = await client.GetAsync("/swagger/index.html");

        var post = doc.GetProperty("paths").GetProperty("/api/actors/artisans").GetProperty("post");
        post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json")
            .GetProperty("example").GetProperty("craft").GetString().Should().Be("sozni");
        swagger.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RateLimit_OverLimit_Returns429WithRetryAfter()
    {
        using var factory = OfflineGateway.Create(new Dictionary<string, string?>
        {
            ["RateLimit:PermitLimit"] = "3", ["RateLimit:WindowSeconds"] = "60",
        });
        using var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 5; i++)
        {
            last = await client.GetAsync("/api/actors/me");
            statuses.Add(last.StatusCode);
        }

        statuses.Take(3).Should().AllBeEquivalentTo(HttpStatusCode.Unauthorized);
        statuses.Skip(3).Should().AllBeEquivalentTo(HttpStatusCode.TooManyRequests);
        last!.Headers.RetryAfter.Should().NotBeNull();
        last.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }
}
