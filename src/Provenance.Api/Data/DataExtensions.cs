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
        builder.Services.AddHostedService<WalCheckpointer>();
        return builder;
    }
}

/// <summary>
/// Checkpoints the write-ahead log every <see cref="StorageOptions.CheckpointIntervalMs"/> (PASSIVE: copies what no
/// reader still needs into the database file, blocking no reader or writer). Without it the committing writer would
/// checkpoint every 1000 pages itself, and the acknowledgements in that commit would wait for it. Durability is
/// unchanged: a commit is durable once its log frames are synced (<c>synchronous=FULL</c>), checkpointed or not.
/// </summary>
internal sealed class WalCheckpointer(Db db, IOptions<StorageOptions> options, ILogger<WalCheckpointer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.CheckpointIntervalMs));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var connection = await db.OpenAsync(stoppingToken);
                    await using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                    await command.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("WAL checkpoint failed ({Reason}); the next one retries", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
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
