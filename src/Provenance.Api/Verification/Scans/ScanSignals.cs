using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Provenance.Api.Verification.Scans;

/// <summary>
/// Counts page views and marks pieces "suspected copy" when the scan pattern says the tag was copied:
/// a claimed piece scanned by many distinct clients within one salt period, or scans from many distinct network
/// areas within a short window. Detection runs in memory on the request (so the scan that crosses a threshold already
/// sees the caution). A view touches no store: it adds one to an in-memory counter of its (piece, minute, salt,
/// client, place) row, and the background loop writes the rows gathered since the last flush in one transaction every
/// <see cref="ScanSignalOptions.FlushInterval"/>.
/// </summary>
/// <remarks>
/// A restart starts a new salt, so the in-memory windows start empty (hashes of the old salt cannot be compared);
/// marks are stored and survive. Counts not yet flushed when the process dies — at most one flush interval's, or
/// more while the store cannot be written (they are kept and retried) — are lost: they are telemetry, not acknowledged
/// writes. Memory holds one counter per distinct row of the interval, not one entry per view.
/// </remarks>
public sealed class ScanSignals : BackgroundService, IScanStatistics
{
    private readonly ScanSignalOptions _options;
    private readonly ScanStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<ScanSignals> _logger;
    private PendingCounts _pending = new();
    private readonly ConcurrentQueue<SuspectedCopyMark> _pendingMarks = new();
    private readonly ConcurrentDictionary<string, SuspectedCopyMark> _marks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PieceWindow> _windows = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _lastHousekeeping = DateTimeOffset.MinValue;

    internal ScanSignals(
        IOptions<VerificationOptions> options, ScanStore store, TimeProvider time, ILogger<ScanSignals> logger)
    {
        _options = options.Value.Scans;
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>The piece's suspected-copy mark, or null.</summary>
    public SuspectedCopyMark? MarkOf(string code) => _marks.GetValueOrDefault(code);

    /// <summary>
    /// Counts one view of <paramref name="view"/>'s page by <paramref name="client"/> and returns the piece's mark
    /// after this view (null when not suspected).
    /// </summary>
    public SuspectedCopyMark? Record(PieceVerificationView view, ClientFingerprint client)
    {
        var now = _time.GetUtcNow();
        Count(new ScanKey(view.Code, now.ToUnixTimeSeconds() / 60, client.SaltId, client.Client, client.Place), 1);

        if (_marks.TryGetValue(view.Code, out var existing))
        {
            return existing;
        }

        var window = _windows.GetOrAdd(view.Code, static _ => new PieceWindow());
        SuspectedCopyMark? mark;
        lock (window.Gate)
        {
            mark = window.Observe(view, client, now, _options);
        }

        if (mark is null || !_marks.TryAdd(view.Code, mark))
        {
            return _marks.GetValueOrDefault(view.Code);
        }

        _pendingMarks.Enqueue(mark);
        _logger.LogWarning("Piece {Code} marked suspected copy: {Reason} ({Detail})", mark.Code, mark.Reason, mark.Detail);
        return mark;
    }

    /// <inheritdoc />
    public async Task<PieceScanStatistics> GetAsync(string code, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        return await _store.GetStatisticsAsync(code, MarkOf(code), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SuspectedCopyMark>> ListSuspectedAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await FlushAsync(cancellationToken);
        return await _store.ListMarksAsync(limit, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> ClearSuspectedAsync(string code, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        var removed = _marks.TryRemove(code, out _);
        _windows.TryRemove(code, out _);
        return await _store.DeleteMarkAsync(code, cancellationToken) || removed;
    }

    /// <summary>Writes the counts and marks gathered so far.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _loaded.Task.WaitAsync(cancellationToken);
        await _flushGate.WaitAsync(cancellationToken);
        try
        {
            var gathered = Interlocked.Exchange(ref _pending, new PendingCounts());
            gathered.WaitForWriters();
            var counts = new List<ScanCount>(gathered.Counts.Count);
            foreach (var (key, counter) in gathered.Counts)
            {
                counts.Add(new ScanCount(key.Code, key.Minute, key.SaltId, key.Client, key.Place, counter.Value));
            }

            var marks = new List<SuspectedCopyMark>();
            while (_pendingMarks.TryDequeue(out var mark))
            {
                marks.Add(mark);
            }

            var written = false;
            try
            {
                await _store.WriteAsync(counts, marks, cancellationToken);
                written = true;
            }
            finally
            {
                if (!written)
                {
                    Requeue(counts, marks);
                }
            }
        }
        finally
        {
            _flushGate.Release();
        }
    }

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var mark in await _store.ListMarksAsync(int.MaxValue, cancellationToken))
        {
            _marks[mark.Code] = mark;
        }

        _loaded.TrySetResult();
        await base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The writer has a thread of its own: Microsoft.Data.Sqlite's calls block (it has no asynchronous I/O), and a commit
    /// waits for the disk and, behind the gateway's other writers, for the store's write gate (busy timeout). On the thread
    /// pool that wait would hold one of the few threads serving pages once a second.
    /// </remarks>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => WriterLoop(stoppingToken), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void WriterLoop(CancellationToken stoppingToken)
    {
        while (!stoppingToken.WaitHandle.WaitOne(_options.FlushInterval))
        {
            try
            {
                FlushAsync(stoppingToken).GetAwaiter().GetResult();
                HousekeepAsync(stoppingToken).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // StopAsync writes what is left
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Writing scan signals failed; retrying at the next flush");
            }
        }
    }

    private async Task HousekeepAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now - _lastHousekeeping < TimeSpan.FromMinutes(10))
        {
            return;
        }

        _lastHousekeeping = now;
        var idleBefore = now - (_options.SaltRotation > _options.BurstWindow ? _options.SaltRotation : _options.BurstWindow);
        foreach (var (code, window) in _windows)
        {
            if (window.LastSeen < idleBefore)
            {
                _windows.TryRemove(code, out _);
            }
        }

        await _store.DeleteScansBeforeAsync((now - _options.Retention).ToUnixTimeSeconds() / 60, cancellationToken);
    }

    /// <summary>Puts back what a failed flush took, so the next flush writes it (counts add up, marks are kept).</summary>
    private void Requeue(List<ScanCount> counts, List<SuspectedCopyMark> marks)
    {
        foreach (var c in counts)
        {
            Count(new ScanKey(c.Code, c.Minute, c.SaltId, c.Client, c.Place), c.Scans);
        }

        foreach (var mark in marks)
        {
            _pendingMarks.Enqueue(mark);
        }
    }

    /// <summary>Adds <paramref name="scans"/> to the row's counter in the current pending set.</summary>
    private void Count(ScanKey key, long scans)
    {
        while (true)
        {
            var pending = Volatile.Read(ref _pending);
            Interlocked.Increment(ref pending.Writers);
            try
            {
                // Registered as a writer first, then checked: a flush that swapped the set out either waits for this
                // add, or this add sees the swap and goes to the new set. Nothing lands in a set after it was read.
                if (ReferenceEquals(Volatile.Read(ref _pending), pending))
                {
                    pending.Counts.GetOrAdd(key, static _ => new Counter()).Add(scans);
                    return;
                }
            }
            finally
            {
                Interlocked.Decrement(ref pending.Writers);
            }
        }
    }

    private readonly record struct ScanKey(string Code, long Minute, long SaltId, long Client, long Place);

    /// <summary>Views of one row since the last flush.</summary>
    private sealed class Counter
    {
        private long _value;

        public long Value => Volatile.Read(ref _value);

        public void Add(long n) => Interlocked.Add(ref _value, n);
    }

    /// <summary>The counters gathered since the last flush, and how many adds are running on them right now.</summary>
    private sealed class PendingCounts
    {
        public int Writers;

        public ConcurrentDictionary<ScanKey, Counter> Counts { get; } = new();

        /// <summary>Waits for the adds that started before this set was swapped out (memory only: a few instructions).</summary>
        public void WaitForWriters()
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref Writers) != 0)
            {
                spin.SpinOnce();
            }
        }
    }
    /// <summary>The recent scan pattern of one piece; at most a threshold's worth of hashes is kept.</summary>
    private sealed class PieceWindow
    {
        private readonly Dictionary<long, DateTimeOffset> _places = [];
        private readonly HashSet<long> _clientsAfterClaim = [];
        private long _claimSaltId;

        public Lock Gate { get; } = new();

        public DateTimeOffset LastSeen { get; private set; }

        public SuspectedCopyMark? Observe(
            PieceVerificationView view, ClientFingerprint client, DateTimeOffset now, ScanSignalOptions options)
        {
            LastSeen = now;
            var windowStart = now - options.BurstWindow;
            foreach (var (place, seen) in _places)
            {
                if (seen < windowStart)
                {
                    _places.Remove(place);
                }
            }

            _places[client.Place] = now;
            if (_places.Count >= options.BurstDistinctPlaces)
            {
                return new SuspectedCopyMark(view.Code, now, SuspicionReason.BurstFromManyPlaces, string.Create(
                    CultureInfo.InvariantCulture,
                    $"{_places.Count} distinct network areas within {options.BurstWindow.TotalMinutes:0.#} minutes"));
            }

            if (view is { Status: PieceStatus.Claimed, ClaimedSince: { } claimedSince } && now >= claimedSince)
            {
                if (_claimSaltId != client.SaltId)
                {
                    _claimSaltId = client.SaltId;
                    _clientsAfterClaim.Clear();
                }

                _clientsAfterClaim.Add(client.Client);
                if (_clientsAfterClaim.Count >= options.ClaimedDistinctClients)
                {
                    return new SuspectedCopyMark(view.Code, now, SuspicionReason.ClaimedScannedByManyClients, string.Create(
                        CultureInfo.InvariantCulture,
                        $"{_clientsAfterClaim.Count} distinct clients within one salt period after the claim of {claimedSince:yyyy-MM-dd}"));
                }
            }

            return null;
        }
    }
}
