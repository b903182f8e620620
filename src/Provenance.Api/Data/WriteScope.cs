using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Provenance.Api.Data;

/// <summary>
/// The store's ambient write transaction for a unit of work larger than one <see cref="Db.WriteAsync{T}"/> (an HTTP
/// request with an Idempotency-Key): while a scope is active on the async flow, every <see cref="Db.WriteAsync{T}"/>
/// joins it (each call under its own savepoint) instead of committing on its own, so the request's rows and what the
/// scope's owner adds at <see cref="CommitAsync"/> (the idempotency record) commit together or not at all. Locks a write path hands over with
/// <see cref="Defer"/> (the signers' nonce locks) are held until the scope commits or rolls back, so no other request
/// can read a nonce this request has consumed but not yet committed. The scope holds the store's write gate from its
/// first write until it ends, so the group writer of <see cref="Db"/> waits for it in memory.
/// </summary>
public sealed class WriteScope : IAsyncDisposable
{
    private static readonly AsyncLocal<WriteScope?> Ambient = new();
    private readonly List<IAsyncDisposable> _deferred = [];
    private readonly Db _db;
    private IAsyncDisposable? _gate;
    private SqliteConnection? _connection;
    private SqliteTransaction? _tx;
    private int _savepoints;

    private WriteScope(Db db) => _db = db;

    /// <summary>The scope active on this async flow, if any.</summary>
    public static WriteScope? Current => Ambient.Value;

    /// <summary>Starts a scope on the current async flow.</summary>
    public static WriteScope Begin(Db db)
    {
        var scope = new WriteScope(db);
        Ambient.Value = scope;
        return scope;
    }

    /// <summary>
    /// Hands <paramref name="resource"/> to the active scope, which releases it after commit or rollback; without a
    /// scope the resource is returned as is (released by the caller's <c>await using</c>).
    /// </summary>
    public static IAsyncDisposable Defer(IAsyncDisposable resource)
    {
        if (Current is not { } scope)
        {
            return resource;
        }

        scope._deferred.Add(resource);
        return NoOp.Instance;
    }

    /// <summary>Runs <paramref name="work"/> inside the scope's transaction under a savepoint (opened on first use).</summary>
    public async Task<T> RunAsync<T>(Func<SqliteConnection, IDbTransaction, Task<T>> work, CancellationToken ct)
    {
        if (_tx is null)
        {
            _gate ??= await _db.EnterWriteGateAsync(ct); // the process's writers take turns (no busy-waiting in SQLite)
            _connection = await _db.OpenAsync(ct);
            _tx = _connection.BeginTransaction(deferred: false);
        }

        var connection = _connection!;
        var name = $"w{++_savepoints}";
        await connection.ExecuteAsync(new CommandDefinition($"SAVEPOINT {name}", transaction: _tx, cancellationToken: ct));
        try
        {
            var result = await work(connection, _tx);
            await connection.ExecuteAsync(new CommandDefinition($"RELEASE {name}", transaction: _tx, cancellationToken: ct));
            return result;
        }
        catch
        {
            await connection.ExecuteAsync(new CommandDefinition($"ROLLBACK TO {name}; RELEASE {name}", transaction: _tx,
                cancellationToken: CancellationToken.None));
            throw;
        }
    }

    /// <summary>Commits what joined the scope (opening a transaction for <paramref name="last"/> if nothing did).</summary>
    public async Task CommitAsync(Func<SqliteConnection, IDbTransaction, Task> last, CancellationToken ct)
    {
        await RunAsync(async (c, tx) =>
        {
            await last(c, tx);
            return 0;
        }, ct);
        await _tx!.CommitAsync(ct);
    }

    /// <summary>Leaves the async flow; rolls back anything not committed and releases the deferred locks.</summary>
    public async ValueTask DisposeAsync()
    {
        if (ReferenceEquals(Ambient.Value, this))
        {
            Ambient.Value = null;
        }

        if (_tx is not null)
        {
            await _tx.DisposeAsync(); // rolls back when not committed
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_gate is not null)
        {
            await _gate.DisposeAsync();
        }

        foreach (var d in _deferred)
        {
            await d.DisposeAsync();
        }
    }

    private sealed class NoOp : IAsyncDisposable
    {
        public static readonly NoOp Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
