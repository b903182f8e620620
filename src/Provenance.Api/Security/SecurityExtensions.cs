using System.Text.Json;
using Microsoft.Extensions.Options;
using Provenance.Api.Actors;
using Provenance.Api.Data;

namespace Provenance.Api.Security;

/// <summary>Registers API-key authentication, role policies, the key vault and the first-start admin key.</summary>
public static class SecurityExtensions
{
    /// <summary>Adds the security services.</summary>
    public static IHostApplicationBuilder AddSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section)
            .Configure(o =>
            {
                o.MasterKey ??= Environment.GetEnvironmentVariable("PROVENANCE_MASTER_KEY") is { Length: > 0 } k ? k : null;
                o.MasterKeyFile ??= Environment.GetEnvironmentVariable("PROVENANCE_MASTER_KEY_FILE") is { Length: > 0 } f ? f : null;
                if (Environment.GetEnvironmentVariable("PROVENANCE_PUBLIC_URL") is { Length: > 0 } url &&
                    builder.Configuration[$"{SecurityOptions.Section}:PublicBaseUrl"] is null)
                {
                    o.PublicBaseUrl = url;
                }
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        builder.Services.AddSingleton<KeyVault>();
        builder.Services.AddSingleton<ApiKeys>();
        builder.Services.AddSingleton<CustodialKeys>();
        builder.Services.AddSingleton<ActorStore>();
        builder.Services.AddHostedService<AdminBootstrap>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(
                ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Roles.Policies.Artisan, p => p.RequireRole(Roles.Artisan))
            .AddPolicy(Roles.Policies.Certifier, p => p.RequireRole(Roles.Certifier, Roles.Admin))
            .AddPolicy(Roles.Policies.Custodian, p => p.RequireRole(Roles.Artisan, Roles.Handler))
            .AddPolicy(Roles.Policies.Actor, p => p.RequireAuthenticatedUser());
        return builder;
    }
}

/// <summary>
/// First start: creates the admin actor and writes its API key to <c>&lt;data&gt;/admin-api-key</c> (mode 0600). Only
/// the file's path is logged, never the key.
/// </summary>
internal sealed class AdminBootstrap(
    Db db, ActorStore actors, IOptions<SecurityOptions> security, IOptions<StorageOptions> storage, ILogger<AdminBootstrap> logger)
    : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var file = security.Value.AdminKeyFile ?? Path.Combine(Path.GetFullPath(storage.Value.DataDirectory), "admin-api-key");
        if (await actors.AnyAdminAsync(cancellationToken))
        {
            logger.LogInformation("Admin API key: in {File} (written at first start)", file);
            return;
        }

        var profile = JsonSerializer.SerializeToElement(new { name = "Gateway admin" });
        // The key file is written inside the transaction: if it cannot be written, no admin is created.
        var created = await db.WriteAsync(async (c, tx) =>
        {
            var admin = await actors.CreateAsync(c, tx, Roles.Admin, "Gateway admin", profile, null, cancellationToken);
            await WriteSecretFileAsync(file, admin.ApiKey, cancellationToken);
            return admin;
        }, cancellationToken);
        logger.LogWarning("First start: created the admin actor {Id}; its API key is in {File} (mode 0600)", created.Id, file);
    }

    private static async Task WriteSecretFileAsync(string file, string secret, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(file, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteLineAsync(secret.AsMemory(), ct);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
