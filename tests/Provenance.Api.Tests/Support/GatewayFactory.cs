using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Provenance.Api.Tests.Support;

/// <summary>
/// The gateway in process (<see cref="WebApplicationFactory{TEntryPoint}"/>) over a real SQLite file in a fresh temp
/// folder, pointed at <paramref name="rpcUrl"/> and <paramref name="deploymentFile"/>.
/// </summary>
public sealed class GatewayFactory(string rpcUrl, string deploymentFile, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    /// <summary>The data directory (deleted on dispose).</summary>
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("provenance-api-").FullName;

    /// <summary>The master key given to the gateway.</summary>
    public string MasterKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Path of the SQLite database.</summary>
    public string DatabasePath => Path.Combine(DataDirectory, "provenance.db");

    /// <summary>The admin API key written at first start.</summary>
    public string AdminKey
    {
        get
        {
            StartServer(); // make sure the host started (works with TestServer and with UseKestrel)
            return File.ReadAllText(Path.Combine(DataDirectory, "admin-api-key")).Trim();
        }
    }

    /// <summary>A client sending <paramref name="apiKey"/> as a bearer token (anonymous when null).</summary>
    public HttpClient ClientFor(string? apiKey)
    {
        var client = CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("Security:MasterKey", MasterKey);
        builder.UseSetting("Chain:RpcUrl", rpcUrl);
        builder.UseSetting("Chain:DeploymentFile", deploymentFile);
        builder.UseSetting("RateLimit:PermitLimit", "100000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
        }
    }
}
