using Microsoft.Extensions.Options;

namespace Provenance.Api.Data;

/// <summary>Registers the SQLite store and migrates it before the server starts.</summary>
public static class DataExtensions
{
    /// <summary>Binds <see cref="StorageOptions"/>, registers <see cref="Db"/> and the start-up migration.</summary>
    public static IHostApplicationBuilder AddData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .Configure(o => o.DataDirectory = Environment.GetEnvironmentVariable("PROVENANCE_DATA_DIR") is { Length: > 0 } dir &&
                builder.Configuration[$"{StorageOptions.Section}:DataDirectory"] is null ? dir : o.DataDirectory)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Db>();
        builder.Services.AddHostedService<StoreMigrator>();
        return builder;
    }
}

/// <summary>Creates the data directory and applies pending migrations before anything else starts.</summary>
internal sealed class StoreMigrator(IOptions<StorageOptions> options, Db db, ILogger<StoreMigrator> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetFullPath(options.Value.DataDirectory));
        await using var connection = await db.OpenAsync(cancellationToken);
        var ran = await Migrations.ApplyAsync(connection, cancellationToken);
        logger.LogInformation("Store {Path}: {Count} migration(s) applied", options.Value.DatabasePath, ran);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
