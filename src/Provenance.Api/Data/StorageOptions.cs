using System.ComponentModel.DataAnnotations;

namespace Provenance.Api.Data;

/// <summary>Where the gateway keeps its SQLite store and uploaded photos (section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Storage";

    /// <summary>Data directory; created when missing. Env <c>PROVENANCE_DATA_DIR</c> or <c>Storage__DataDirectory</c>.</summary>
    [Required(ErrorMessage = "Storage:DataDirectory is required (env PROVENANCE_DATA_DIR): the folder for the SQLite store and photos.")]
    public string DataDirectory { get; set; } = "data";

    /// <summary>How long a writer waits for SQLite's lock before failing.</summary>
    [Range(100, 60_000, ErrorMessage = "Storage:BusyTimeoutMs must be between 100 and 60000.")]
    public int BusyTimeoutMs { get; set; } = 5_000;

    /// <summary>Most writes the store's group writer commits in one transaction (one fsync).</summary>
    [Range(1, 10_000, ErrorMessage = "Storage:MaxWritesPerCommit must be between 1 and 10000.")]
    public int MaxWritesPerCommit { get; set; } = 256;

    /// <summary>
    /// How often (ms) the write-ahead log is checkpointed into the database file in the background (PASSIVE: it waits
    /// for no reader or writer), so that acknowledgements do not wait for a checkpoint inside their commit.
    /// </summary>
    [Range(50, 60_000, ErrorMessage = "Storage:CheckpointIntervalMs must be between 50 and 60000.")]
    public int CheckpointIntervalMs { get; set; } = 1_000;

    /// <summary>
    /// Write-ahead log size (pages) past which a committing writer checkpoints by itself, as SQLite does by default at
    /// 1000 pages: the backstop should the background checkpoints fall behind.
    /// </summary>
    [Range(100, 1_000_000, ErrorMessage = "Storage:WalAutoCheckpointPages must be between 100 and 1000000.")]
    public int WalAutoCheckpointPages { get; set; } = 10_000;

    /// <summary>Full path of the SQLite database file.</summary>
    public string DatabasePath => Path.Combine(Path.GetFullPath(DataDirectory), "provenance.db");

    /// <summary>Folder of content-addressed photo files.</summary>
    public string PhotoDirectory => Path.Combine(Path.GetFullPath(DataDirectory), "photos");
}
