using System.Data;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Provenance.Api.Data;

/// <summary>
/// The one way to open the SQLite store: WAL journal, <c>synchronous=FULL</c> (a committed transaction survives a
/// power cut), a busy timeout and foreign keys on every connection.
/// </summary>
/// <remarks>
/// Writes are group-committed: <see cref="WriteAsync{T}"/> queues its work for the store's single writer, which runs
/// every write waiting at that moment in one transaction, each under its own savepoint (a failing write rolls back
/// only itself), and commits them with one fsync. Each caller's task completes only after that commit, so a caller
/// never sees its write before it is durable. Writers of this process take the write gate in turn (the group writer
/// and <see cref="WriteScope"/>), so they queue in memory instead of sleeping in SQLite's busy handler.
/// </remarks>
public sealed class Db
{
    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;
    private readonly int _maxWritesPerCommit;
    private readonly int _walAutoCheckpointPages;
    private readonly Channel<IQueuedWrite> _writes = Channel.CreateUnbounded<IQueuedWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Lazy<Task> _writer;
    private static readonly AsyncLocal<bool> InWriter = new();

    // Pooled SQLite handles whose read pragmas are already set (they stay set on the handle across pool reuse).
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _readPragmasSet = new();

    /// <summary>Builds the factory from the storage options.</summary>
    public Db(IOptions<StorageOptions> options)
    {
        var o = options.Value;
        _busyTimeoutMs = o.BusyTimeoutMs;
        _maxWritesPerCommit = o.MaxWritesPerCommit;
        _walAutoCheckpointPages = o.WalAutoCheckpointPages;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = o.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, o.BusyTimeoutMs / 1000),
        }.ToString();
        _writer = new Lazy<Task>(StartWriter, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private interface IQueuedWrite
    {
        CancellationToken CancellationToken { get; }

        Task RunAsync(SqliteConnection connection, IDbTransaction tx);

        void Complete();

        void Fail(Exception error);
    }

    /// <summary>
    /// Opens a connection with the store's pragmas applied (its commits checkpoint the log only past
    /// <see cref="StorageOptions.WalAutoCheckpointPages"/>: <see cref="WalCheckpointer"/> does it in the background).
    /// </summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            $"PRAGMA busy_timeout={_busyTimeoutMs}; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; " +
            $"PRAGMA wal_autocheckpoint={_walAutoCheckpointPages};",
            cancellationToken: ct));
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in an immediate (write-locking) transaction, possibly shared with other writes
    /// queued at the same moment (under its own savepoint), and returns once that transaction is committed; an
    /// exception from <paramref name="work"/> rolls back only its own changes and is rethrown here;
    /// <paramref name="work"/> must not start another write. Inside a
    /// <see cref="WriteScope"/> (an idempotent request) it joins the scope's transaction instead, which commits together
    /// with the stored response.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, IDbTransaction, Task<T>> work, CancellationToken ct)
    {
        if (WriteScope.Current is { } scope)
        {
            return await scope.RunAsync(work, ct);
        }

        if (InWriter.Value)
        {
            throw new InvalidOperationException(
                "A write cannot start another write (it would wait for itself): use the connection and transaction it was given.");
        }

        ct.ThrowIfCancellationRequested();
        var write = new QueuedWrite<T>(work, ct);
        _ = _writer.Value;
        if (!_writes.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(Db));
        }

        return await write.Result.Task;
    }

    /// <summary>Runs a read on a connection from the pool.</summary>
    /// <remarks>
    /// A read needs only the busy timeout and foreign keys, which stay set on a pooled SQLite handle, so they are set
    /// once per handle rather than on every read (<c>synchronous</c> only matters when a write commits; every writer
    /// opens through <see cref="OpenAsync"/>, which sets all pragmas each time).
    /// </remarks>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        var handle = connection.Handle;
        if (handle is null || !_readPragmasSet.TryGetValue(handle, out _))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"PRAGMA busy_timeout={_busyTimeoutMs}; PRAGMA foreign_keys=ON;", cancellationToken: ct));
            if (handle is not null)
            {
                _readPragmasSet.AddOrUpdate(handle, handle);
            }
        }

        return await work(connection);
    }

    /// <summary>
    /// Takes this process's write gate (for a <see cref="WriteScope"/>, which holds a write transaction across a
    /// request); waits at most the busy timeout, like SQLite's own lock, then fails with <c>SQLITE_BUSY</c>.
    /// </summary>
    internal async Task<IAsyncDisposable> EnterWriteGateAsync(CancellationToken ct)
    {
        if (!await _writeGate.WaitAsync(_busyTimeoutMs, ct))
        {
            throw new SqliteException("database is locked (the store's write gate stayed taken)", 5);
        }

        return new GateRelease(_writeGate);
    }

    private Task StartWriter()
    {
        // The writer outlives the request that happened to start it: it must not carry that request's async-local state.
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(RunWriterAsync);
        }
    }

    private async Task RunWriterAsync()
    {
        InWriter.Value = true;
        var group = new List<IQueuedWrite>();
        while (await _writes.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < _maxWritesPerCommit && _writes.Reader.TryRead(out var write))
            {
                if (write.CancellationToken.IsCancellationRequested)
                {
                    write.Fail(new OperationCanceledException(write.CancellationToken));
                }
                else
                {
                    group.Add(write);
                }
            }

            if (group.Count == 0)
            {
                continue;
            }

            try
            {
                await using var gate = await EnterWriteGateAsync(CancellationToken.None);
                if (!await CommitGroupAsync(group))
                {
                    // The shared transaction failed as a whole (not one write's own error): nothing of it was
                    // committed, so each write runs again, alone, and meets its own outcome.
                    foreach (var write in group)
                    {
                        await CommitGroupAsync([write]);
                    }
                }
            }
            catch (Exception e)
            {
                group.ForEach(w => w.Fail(e));
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="group"/> in one transaction (each write under a savepoint) and commits it. False when the
    /// transaction itself failed with more than one write in it (nothing committed, no write completed).
    /// </summary>
    private async Task<bool> CommitGroupAsync(IReadOnlyList<IQueuedWrite> group)
    {
        var failed = new Dictionary<IQueuedWrite, Exception>();
        try
        {
            await using var connection = await OpenAsync(CancellationToken.None);
            await using var tx = connection.BeginTransaction(deferred: false);
            foreach (var write in group)
            {
                if (write.CancellationToken.IsCancellationRequested)
                {
                    failed[write] = new OperationCanceledException(write.CancellationToken);
                    continue;
                }

                if (group.Count == 1)
                {
                    // Alone in its transaction: no savepoint needed — if it throws, the transaction is rolled back
                    // (disposed uncommitted) below and the write gets its own error.
                    await write.RunAsync(connection, tx);
                    continue;
                }

                await connection.ExecuteAsync(new CommandDefinition("SAVEPOINT group_write", transaction: tx));
                try
                {
                    await write.RunAsync(connection, tx);
                    await connection.ExecuteAsync(new CommandDefinition("RELEASE group_write", transaction: tx));
                }
                catch (Exception e)
                {
                    await connection.ExecuteAsync(new CommandDefinition("ROLLBACK TO group_write; RELEASE group_write", transaction: tx));
                    failed[write] = e;
                }
            }

            await tx.CommitAsync();
        }
        catch (Exception) when (group.Count > 1)
        {
            return false;
        }
        catch (Exception e)
        {
            failed[group[0]] = e;
        }

        foreach (var write in group)
        {
            if (failed.TryGetValue(write, out var error))
            {
                write.Fail(error);
            }
            else
            {
                write.Complete();
            }
        }

        return true;
    }

    private sealed class QueuedWrite<T>(Func<SqliteConnection, IDbTransaction, Task<T>> work, CancellationToken ct) : IQueuedWrite
    {
        private T? _value;

        public TaskCompletionSource<T> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationToken CancellationToken => ct;

        public async Task RunAsync(SqliteConnection connection, IDbTransaction tx) => _value = await work(connection, tx);

        public void Complete() => Result.TrySetResult(_value!);

        public void Fail(Exception error)
        {
            if (error is OperationCanceledException && ct.IsCancellationRequested)
            {
                Result.TrySetCanceled(ct);
            }
            else
            {
                Result.TrySetException(error);
            }
        }
    }

    private sealed class GateRelease(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
