using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Provenance.Api.Data;

/// <summary>
/// The one way to open the SQLite store: WAL journal, <c>synchronous=FULL</c> (a committed transaction survives a
/// power cut), a busy timeout and foreign keys on every connection.
/// </summary>
public sealed class Db
{
    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;

    /// <summary>Builds the factory from the storage options.</summary>
    public Db(IOptions<StorageOptions> options)
    {
        var o = options.Value;
        _busyTimeoutMs = o.BusyTimeoutMs;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = o.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, o.BusyTimeoutMs / 1000),
        }.ToString();
    }

    /// <summary>Opens a connection with the store's pragmas applied.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            $"PRAGMA busy_timeout={_busyTimeoutMs}; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
            cancellationToken: ct));
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one immediate (write-locking) transaction and commits it; rolls back on any
    /// exception. Inside a <see cref="WriteScope"/> (an idempotent request) it joins the scope's transaction instead,
    /// which commits together with the stored response.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, IDbTransaction, Task<T>> work, CancellationToken ct)
    {
        if (WriteScope.Current is { } scope)
        {
            return await scope.RunAsync(work, ct);
        }

        await using var connection = await OpenAsync(ct);
        await using var tx = connection.BeginTransaction(deferred: false);
        var result = await work(connection, tx);
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>Runs a read on a fresh connection.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await work(connection);
    }
}
