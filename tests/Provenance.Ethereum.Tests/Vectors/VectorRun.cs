using System.Collections.Concurrent;
using Provenance.Ethereum.Hex;
using Xunit.Abstractions;

namespace Provenance.Ethereum.Tests.Vectors;

/// <summary>
/// Runs every case of one vector file, collects all failures (with the case name) instead of stopping at the first,
/// counts skips by reason, and prints a one-line summary to the test output, e.g.
/// <c>ethers/transactions.json.gz [signedLondon]: 3200 run, 0 failed, skipped 0</c>.
/// </summary>
internal sealed class VectorRun(ITestOutputHelper output, string file)
{
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentDictionary<string, int> _skips = new();
    private int _run;

    /// <summary>Cases that ran (passed or failed).</summary>
    public int Run => _run;

    /// <summary>Runs one case; an exception is recorded as a failure of <paramref name="name"/>.</summary>
    public void Case(string name, Action check)
    {
        Interlocked.Increment(ref _run);
        try
        {
            check();
        }
        catch (Exception e)
        {
            _failures.Enqueue($"{name}: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Records a case that does not apply, with the reason.</summary>
    public void Skip(string name, string reason) => _skips.AddOrUpdate(reason, 1, (_, n) => n + 1);

    /// <summary>Prints the summary, then fails listing every failure, or when fewer cases ran than expected.</summary>
    public void Complete(int expectedRun)
    {
        var skipped = _skips.Values.Sum();
        var line = $"{file}: {_run} run, {_failures.Count} failed, skipped {skipped}"
            + string.Concat(_skips.OrderBy(s => s.Key).Select(s => $"; skipped {s.Value}: {s.Key}"));
        output.WriteLine(line);
        VectorSummary.Record(line);
        _failures.Should().BeEmpty($"every applicable vector of {file} must pass ({_failures.Count} failed)");
        _run.Should().Be(expectedRun, $"{file} should run {expectedRun} cases");
    }
}

/// <summary>Collects the summary lines of all vector runs into test-output/vectors/summary.txt.</summary>
internal static class VectorSummary
{
    private static readonly object Gate = new();

    public static void Record(string line)
    {
        lock (Gate)
        {
            var dir = Provenance.Testing.RepoPaths.TestOutput("vectors");
            File.AppendAllText(Path.Combine(dir, "summary.txt"), $"{DateTime.UtcNow:O} {line}{Environment.NewLine}");
        }

        Console.WriteLine(line);
    }
}

/// <summary>Assertions that throw with a precise message (used inside <see cref="VectorRun.Case"/>).</summary>
internal static class Expect
{
    public static void Hex(string expected, ReadOnlySpan<byte> actual, string what)
    {
        var actualHex = HexConvert.ToHex(actual);
        if (!string.Equals(expected, actualHex, StringComparison.OrdinalIgnoreCase))
        {
            throw new VectorMismatchException($"{what}: expected {expected}, got {actualHex}");
        }
    }

    public static void Equal<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new VectorMismatchException($"{what}: expected {expected}, got {actual}");
        }
    }

    public static void True(bool condition, string what)
    {
        if (!condition)
        {
            throw new VectorMismatchException(what);
        }
    }

    public static void Throws<TException>(Action action, string what)
        where TException : Exception
    {
        try
        {
            action();
        }
        catch (TException)
        {
            return;
        }

        throw new VectorMismatchException($"{what}: expected {typeof(TException).Name}");
    }
}

internal sealed class VectorMismatchException(string message) : Exception(message);
