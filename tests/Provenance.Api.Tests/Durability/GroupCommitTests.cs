using Dapper;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Provenance.Api.Data;
using Provenance.Api.Tests.Support;
using Xunit;

namespace Provenance.Api.Tests.Durability;

/// <summary>
/// <see cref="Db.WriteAsync{T}"/>'s group commit on a real SQLite file: writes that arrive together share one
/// transaction, yet each one's failure rolls back only its own rows, and a caller returns only once its rows are
/// committed (visible to another connection).
/// </summary>
public sealed class GroupCommitTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("provenance-group-commit-");
    private readonly Db _db;
    private readonly string _path;

    public GroupCommitTests()
    {
        var options = new StorageOptions { DataDirectory = _directory.FullName };
        _path = options.DatabasePath;
        _db = new Db(Options.Create(options));
        using var c = new SqliteConnection($"Data Source={_path};Pooling=False");
        c.Open();
        c.Execute("PRAGMA journal_mode=WAL; CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL);");
    }

    [Fact]
    public async Task WriteAsync_ManyConcurrentWithSomeFailing_OnlyFailedOnesRolledBackEachCommittedOnReturn()
    {
        const int writes = 200;
        var committedOnReturn = 0;
        var tasks = Enumerable.Range(0, writes).Select(i => Task.Run(async () =>
        {
            try
            {
                await _db.WriteAsync(async (c, tx) =>
                {
                    await c.ExecuteAsync("INSERT INTO t(k, v) VALUES (@i, 'first')", new { i }, tx);
                    await c.ExecuteAsync("INSERT INTO t(k, v) VALUES (@k, 'second')", new { k = 10_000 + i }, tx);
                    if (i % 7 == 0)
                    {
                        throw new InvalidOperationException($"write {i} fails after its inserts");
                    }

                    return i;
                }, CancellationToken.None);
            }
            catch (InvalidOperationException e) when (e.Message == $"write {i} fails after its inserts")
            {
                return false;
            }

            // Returned: the rows must already be durable, seen by a connection of its own.
            if (TestDb.Count(_path, "t", $"k IN ({i}, {10_000 + i})") == 2)
            {
                Interlocked.Increment(ref committedOnReturn);
            }

            return true;
        })).ToArray();

        var succeeded = await Task.WhenAll(tasks);

        var failing = Enumerable.Range(0, writes).Count(i => i % 7 == 0);
        succeeded.Count(s => s).Should().Be(writes - failing);
        committedOnReturn.Should().Be(writes - failing);
        TestDb.Count(_path, "t").Should().Be(2L * (writes - failing));
        TestDb.Count(_path, "t", "k % 7 = 0 AND k < 10000").Should().Be(0, "a failed write leaves none of its rows");
    }

    [Fact]
    public async Task WriteAsync_ConstraintViolationInOneWrite_OthersOfTheGroupCommitted()
    {
        await _db.WriteAsync((c, tx) => c.ExecuteAsync("INSERT INTO t(k, v) VALUES (1, 'existing')", transaction: tx), CancellationToken.None);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                // Write 5 collides with the existing key 1 (SQLite error 19); the others insert fresh keys.
                var key = i == 5 ? 1 : 100 + i;
                await _db.WriteAsync((c, tx) => c.ExecuteAsync("INSERT INTO t(k, v) VALUES (@key, 'new')", new { key }, tx), CancellationToken.None);
                return "ok";
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19)
            {
                return "constraint";
            }
        })));

        results.Count(r => r == "constraint").Should().Be(1);
        results.Count(r => r == "ok").Should().Be(19);
        TestDb.Count(_path, "t").Should().Be(20);
        TestDb.Column<string>(_path, "SELECT v FROM t WHERE k = 1").Should().Equal("existing");
    }

    [Fact]
    public async Task WriteScope_HoldingTheWriteLock_GroupWriterWaitsThenCommits()
    {
        Task<int> queued;
        await using (var scope = WriteScope.Begin(_db))
        {
            await _db.WriteAsync((c, tx) => c.ExecuteAsync("INSERT INTO t(k, v) VALUES (1, 'scope')", transaction: tx), CancellationToken.None);
            using (ExecutionContext.SuppressFlow()) // another request's write: not on the scope's async flow
            {
                queued = Task.Run(() => _db.WriteAsync((c, tx) => c.ExecuteAsync("INSERT INTO t(k, v) VALUES (2, 'group')", transaction: tx), CancellationToken.None));
            }

            await Task.Delay(200);
            queued.IsCompleted.Should().BeFalse("the scope holds the store's write gate until it commits");
            await scope.CommitAsync((c, tx) => c.ExecuteAsync("INSERT INTO t(k, v) VALUES (3, 'scope')", transaction: tx), CancellationToken.None);
        }

        await queued;
        TestDb.Column<long>(_path, "SELECT k FROM t ORDER BY k").Should().Equal(1, 2, 3);
    }

    [Fact]
    public async Task WriteAsync_AloneAndThrowingAfterItsInsert_RolledBackWithItsOwnError()
    {
        // One write in the queue: it runs without a savepoint, so its error must roll back the transaction itself.
        var act = () => _db.WriteAsync<int>(async (c, tx) =>
        {
            await c.ExecuteAsync("INSERT INTO t(k, v) VALUES (1, 'lost')", transaction: tx);
            throw new InvalidOperationException("alone and failing");
        }, CancellationToken.None);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("alone and failing");
        TestDb.Count(_path, "t").Should().Be(0);
        await _db.WriteAsync((c, tx) => c.ExecuteAsync("INSERT INTO t(k, v) VALUES (1, 'kept')", transaction: tx), CancellationToken.None);
        TestDb.Column<string>(_path, "SELECT v FROM t").Should().Equal("kept");
    }

    [Fact]
    public async Task WalCheckpointer_AfterWrites_CopiesTheLogIntoTheDatabaseFile()
    {
        var options = new StorageOptions { DataDirectory = _directory.FullName, CheckpointIntervalMs = 50 };
        var db = new Db(Options.Create(options));
        var blob = new string('x', 100_000);
        for (var i = 0; i < 10; i++)
        {
            await db.WriteAsync((c, tx) => c.ExecuteAsync("INSERT INTO t(k, v) VALUES (@i, @blob)", new { i, blob }, tx), CancellationToken.None);
        }

        // About 250 pages of log: below Storage:WalAutoCheckpointPages, so no commit checkpointed by itself.
        new FileInfo(_path).Length.Should().BeLessThan(500_000);
        var checkpointer = new WalCheckpointer(db, Options.Create(options), Microsoft.Extensions.Logging.Abstractions.NullLogger<WalCheckpointer>.Instance);
        await checkpointer.StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (new FileInfo(_path).Length < 1_000_000 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
        finally
        {
            await checkpointer.StopAsync(CancellationToken.None);
        }

        new FileInfo(_path).Length.Should().BeGreaterThanOrEqualTo(1_000_000, "the background checkpoint copied the log's pages into the database file");
        TestDb.Count(_path, "t").Should().Be(10);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Delete(true);
    }
}
