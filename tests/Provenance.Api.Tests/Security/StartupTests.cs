using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Provenance.Api.Tests.Support;

namespace Provenance.Api.Tests.Security;

public sealed class StartupTests
{
    [Fact]
    public void Start_MissingMasterKey_FailsWithClearMessage()
    {
        using var factory = OfflineGateway.Create(new Dictionary<string, string?> { ["Security:MasterKey"] = "" });

        var act = () => factory.Server;

        ValidationMessage(act).Should().Contain("PROVENANCE_MASTER_KEY");
    }

    [Fact]
    public void Start_ShortMasterKey_FailsWithClearMessage()
    {
        using var factory = OfflineGateway.Create(new Dictionary<string, string?> { ["Security:MasterKey"] = Convert.ToBase64String(new byte[16]) });

        var act = () => factory.Server;

        ValidationMessage(act).Should().Contain("exactly 32 bytes");
    }

    [Fact]
    public void Start_MissingDeploymentFile_FailsNamingTheFile()
    {
        using var factory = new GatewayFactory("http://127.0.0.1:9", "/nonexistent/deploy.json");

        var act = () => factory.Server;

        ValidationMessage(act).Should().Contain("/nonexistent/deploy.json").And.Contain("deploy.js");
    }

    [Fact]
    public void Start_BadRpcUrl_FailsWithClearMessage()
    {
        using var factory = OfflineGateway.Create(new Dictionary<string, string?> { ["Chain:RpcUrl"] = "ftp://x" });

        var act = () => factory.Server;

        ValidationMessage(act).Should().Contain("Chain:RpcUrl");
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
            .GetProperty("example").GetProperty("craft").GetString().Should().Be("sozni-embroidery");
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

    private static string ValidationMessage(Func<object> start)
    {
        var thrown = start.Should().Throw<Exception>().Which;
        var all = new List<Exception>();
        void Walk(Exception? e)
        {
            while (e is not null)
            {
                all.Add(e);
                if (e is AggregateException agg)
                {
                    agg.InnerExceptions.ToList().ForEach(Walk);
                    return;
                }

                e = e.InnerException;
            }
        }

        Walk(thrown);
        return all.OfType<OptionsValidationException>().Should().NotBeEmpty(thrown.ToString()).And.Subject.First().Message;
    }
}
