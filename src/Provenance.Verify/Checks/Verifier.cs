using System.Text;
using System.Text.Json;
using Provenance.Records;
using Provenance.Ethereum;
using Provenance.Ethereum.Contracts.Registry;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Hex;
using Provenance.Verify.Chain;
using Provenance.Verify.Sources;

namespace Provenance.Verify.Checks;

/// <summary>Counts of what a run checked.</summary>
public sealed record VerificationTotals(
    long Pieces, long Entries, long PiecesCompared, long EventsCompared, long RecordsVerified, long StatesCompared, long StatesSkipped);

/// <summary>The outcome of a run: what was checked and every difference found.</summary>
public sealed record VerificationReport(
    long ChainId, string Registry, ulong FromBlock, ulong ToBlock, IReadOnlyList<string> Sources, VerificationTotals Totals,
    IReadOnlyList<Difference> Differences, IReadOnlyList<string> Notes)
{
    /// <summary>True when nothing differs.</summary>
    public bool Clean => Differences.Count == 0;
}

/// <summary>
/// Compares the chain with itself (every log against the fold of the history before it; the final fold against
/// <c>piece(id)</c>) and then each source against the chain: pieces, history entries, states and records.
/// </summary>
public sealed class Verifier(ChainReader chain, int parallelism = 8)
{
    /// <summary>Checks the chain's own consistency and every view against it.</summary>
    public async Task<VerificationReport> VerifyAsync(
        ChainSnapshot snapshot, string registry, ulong fromBlock, IReadOnlyList<IndexedView> views, CancellationToken ct)
    {
        var differences = new List<Difference>();
        var notes = new List<string>();
        var codes = views.SelectMany(v => v.Pieces.Values).Where(p => p.Code is not null)
            .GroupBy(p => p.PieceId).ToDictionary(g => g.Key, g => g.First().Code!);
        string Subject(string id) => codes.GetValueOrDefault(id.ToLowerInvariant()) ?? id;

        foreach (var (entry, problem) in snapshot.LogProblems)
        {
            differences.Add(new Difference(Subject(entry.PieceId), entry.PieceId, entry.Seq, "chain", "log",
                $"{problem} (tx {entry.Location.TransactionHash}, block {entry.Location.BlockNumber}, log {entry.Location.LogIndex})"));
        }

        await CompareStorageAsync(snapshot, Subject, differences, ct);

        long events = 0, records = 0, states = 0, skipped = 0, compared = 0;
        foreach (var view in views)
        {
            var c = CompareView(snapshot, view, Subject, differences, notes);
            (events, records, states, skipped, compared) =
                (events + c.Events, records + c.Records, states + c.States, skipped + c.Skipped, compared + c.Pieces);
        }

        return new VerificationReport(snapshot.ChainId, registry, fromBlock, snapshot.Block, views.Select(v => v.Source).ToArray(),
            new VerificationTotals(snapshot.Pieces.Count, snapshot.LogCount, compared, events, records, states, skipped),
            differences.OrderBy(d => d.Source == "chain" ? 0 : 1).ThenBy(d => d.Piece, StringComparer.Ordinal).ThenBy(d => d.Seq ?? 0).ToList(),
            notes);
    }

    // The fold of each piece's logs must end where the contract's storage is.
    private async Task CompareStorageAsync(ChainSnapshot snapshot, Func<string, string> subject, List<Difference> differences, CancellationToken ct)
    {
        var found = new System.Collections.Concurrent.ConcurrentBag<Difference>();
        await Parallel.ForEachAsync(snapshot.Pieces.Values, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (history, token) =>
            {
                var replay = history.State!;
                var stored = await chain.ReadPieceAsync(history.PieceId, snapshot.Block, token);
                void Check(string field, object expected, object actual)
                {
                    if (!Equals(expected, actual))
                    {
                        found.Add(new Difference(subject(history.PieceId), history.PieceId, null, "chain", "storage",
                            $"{field}: piece(id) returns {actual}; the history's logs give {expected}"));
                    }
                }

                Check("head", replay.Head.ToLowerInvariant(), HexConvert.ToHex(stored.Head));
                Check("eventCount", replay.EventCount, (long)stored.EventCount);
                Check("status", replay.Status, stored.Status);
                Check("custodian", replay.Custodian, stored.Custodian);
                Check("artisan", replay.Artisan, stored.Artisan);
                Check("owner", replay.Owner, stored.Owner);
            });
        differences.AddRange(found);
    }

    private static (long Pieces, long Events, long Records, long States, long Skipped) CompareView(
        ChainSnapshot snapshot, IndexedView view, Func<string, string> subject, List<Difference> differences, List<string> notes)
    {
        long events = 0, records = 0, states = 0, skipped = 0, pieces = 0;
        var asOf = Math.Min(view.IndexedBlock, snapshot.Block);
        void Diff(string piece, string id, long? seq, string check, string detail) =>
            differences.Add(new Difference(piece, id, seq, view.Source, check, detail));

        if (view.IndexedBlock > snapshot.Block)
        {
            notes.Add($"{view.Source} says it indexed block {view.IndexedBlock}, beyond block {snapshot.Block} read from the chain: compared up to {snapshot.Block}");
        }
        else if (view.IndexedBlock < snapshot.Block)
        {
            notes.Add($"{view.Source} has indexed up to block {view.IndexedBlock}; the chain was read to {snapshot.Block}: compared up to {view.IndexedBlock}");
        }

        foreach (var history in snapshot.Pieces.Values.Where(h => h.Entries[0].Location.BlockNumber <= asOf))
        {
            if (!view.Pieces.ContainsKey(history.PieceId))
            {
                Diff(subject(history.PieceId), history.PieceId, null, "piece",
                    $"registered on chain in block {history.Entries[0].Location.BlockNumber} (tx {history.Entries[0].Location.TransactionHash}) but absent from {view.Source}");
            }
        }

        foreach (var piece in view.Pieces.Values)
        {
            pieces++;
            foreach (var problem in piece.Problems)
            {
                Diff(piece.Subject, piece.PieceId, null, "proof", problem);
            }

            if (piece.Code is { } code && !string.Equals(IdOf(code), piece.PieceId, StringComparison.OrdinalIgnoreCase))
            {
                Diff(piece.Subject, piece.PieceId, null, "code", $"keccak256('{code}') is {IdOf(code)}, not the id {piece.PieceId} {view.Source} gives");
            }

            if (!snapshot.Pieces.TryGetValue(piece.PieceId, out var history))
            {
                if (piece.Histories.Any(h => h.Events.Count > 0) || piece.States.Any(s => s.EventCount > 0) || piece.Records.Any(r => r.OnChainExpected))
                {
                    Diff(piece.Subject, piece.PieceId, null, "piece", $"{view.Source} shows a history for a piece the chain never registered (up to block {snapshot.Block})");
                }

                continue;
            }

            foreach (var claim in piece.Histories)
            {
                events += CompareHistory(history, claim, Math.Min(claim.AsOfBlock, asOf), (seq, check, detail) => Diff(piece.Subject, piece.PieceId, seq, check, detail));
            }

            foreach (var claim in piece.States)
            {
                if (claim.AsOfBlock > snapshot.Block)
                {
                    skipped++;
                    notes.Add($"{view.Source}: piece {piece.Subject} changed after block {snapshot.Block} ({claim.Where}); its state was not compared");
                    continue;
                }

                states++;
                CompareState(history.StateAt(claim.AsOfBlock), claim, detail => Diff(piece.Subject, piece.PieceId, null, "state", detail));
            }

            records += CompareRecords(history, piece, view.RecordsComplete, asOf, (seq, detail) => Diff(piece.Subject, piece.PieceId, seq, "record", detail));
        }

        return (pieces, events, records, states, skipped);
    }

    private static long CompareHistory(PieceHistory history, EventsClaim claim, ulong asOf, Action<long?, string, string> diff)
    {
        var chain = history.Entries.Where(e => e.Location.BlockNumber <= asOf).ToDictionary(e => e.Seq);
        var listed = claim.Events.Where(e => e.Block <= asOf).ToList();
        foreach (var duplicate in listed.GroupBy(e => e.Seq).Where(g => g.Count() > 1))
        {
            diff(duplicate.Key, "event", $"{claim.Where} lists entry {duplicate.Key} {duplicate.Count()} times");
        }

        var bySeq = listed.GroupBy(e => e.Seq).ToDictionary(g => g.Key, g => g.First());
        foreach (var (seq, entry) in chain)
        {
            if (!bySeq.TryGetValue(seq, out var e))
            {
                diff(seq, "event", $"{entry.Kind} in block {entry.Location.BlockNumber} (tx {entry.Location.TransactionHash}) is missing from {claim.Where}");
                continue;
            }

            void Field(string name, string? expected, string? actual)
            {
                if (actual is not null && !string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
                {
                    diff(seq, "event", $"{name}: {claim.Where} says {actual}; the chain's log says {expected}");
                }
            }

            Field("kind", entry.Kind.ToString(), e.Kind);
            Field("actor", entry.Actor.ToString(), e.Actor?.ToString());
            Field("counterparty", entry.Counterparty.IsZero ? null : entry.Counterparty.ToString(),
                e.Counterparty is { IsZero: false } c ? c.ToString() : null);
            Field("recordHash", entry.RecordHash, e.RecordHash);
            Field("head", entry.Head, e.Head);
            Field("block", entry.Location.BlockNumber.ToString(), e.Block.ToString());
            Field("logIndex", entry.Location.LogIndex.ToString(), e.LogIndex.ToString());
            Field("transaction", entry.Location.TransactionHash, e.TransactionHash);
        }

        foreach (var extra in bySeq.Keys.Where(s => !chain.ContainsKey(s)))
        {
            diff(extra, "event", $"{claim.Where} lists entry {extra} ({bySeq[extra].Kind}, block {bySeq[extra].Block}), which is not on chain");
        }

        return listed.Count;
    }

    private static void CompareState(ReplayedState? chain, StateClaim claim, Action<string> diff)
    {
        if (chain is null)
        {
            diff($"{claim.Where} shows a state as of block {claim.AsOfBlock}, before the piece's registration on chain");
            return;
        }

        void Field(string name, object? expected, object? actual)
        {
            if (actual is not null && !Equals(expected, actual))
            {
                diff($"{name}: {claim.Where} says {actual}; the chain after block {claim.AsOfBlock} says {expected}");
            }
        }

        Field("status", chain.Status, claim.Status);
        Field("custodian", chain.Custodian, claim.Custodian);
        Field("owner", chain.Owner.IsZero ? null : chain.Owner, claim.Owner is { IsZero: false } o ? o : null);
        if (claim.Owner is null && !chain.Owner.IsZero)
        {
            diff($"owner: {claim.Where} shows none; the chain after block {claim.AsOfBlock} says {chain.Owner}");
        }

        Field("eventCount", chain.EventCount, claim.EventCount);
        Field("head", chain.Head.ToLowerInvariant(), claim.Head?.ToLowerInvariant());
    }

    private static long CompareRecords(PieceHistory history, IndexedPiece piece, bool complete, ulong asOf, Action<long?, string> diff)
    {
        long verified = 0;
        var onChain = history.Entries.Where(e => e.RecordHash != HistoryLogs.ZeroHash).ToList();
        var chainHashes = onChain.Select(e => e.RecordHash.ToLowerInvariant()).ToHashSet();
        var held = piece.Records.GroupBy(r => r.Hash.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var entry in onChain.Where(e => e.Location.BlockNumber <= asOf))
        {
            if (!held.TryGetValue(entry.RecordHash.ToLowerInvariant(), out var claims))
            {
                if (complete)
                {
                    diff(entry.Seq, $"the {entry.Kind} record {entry.RecordHash} the chain holds is missing from the source");
                }

                continue;
            }

            foreach (var claim in claims)
            {
                if (claim.Json is null)
                {
                    diff(entry.Seq, $"the {entry.Kind} record {entry.RecordHash} is missing ({claim.Where})");
                    continue;
                }

                var actual = HashOf(claim.Json);
                if (!string.Equals(actual, entry.RecordHash, StringComparison.OrdinalIgnoreCase))
                {
                    diff(entry.Seq, $"the {entry.Kind} record was altered ({claim.Where}): its JCS keccak256 is {actual}, the chain holds {entry.RecordHash}");
                }
                else
                {
                    verified++;
                }
            }
        }

        foreach (var orphan in piece.Records.Where(r => r.OnChainExpected && !chainHashes.Contains(r.Hash.ToLowerInvariant())))
        {
            diff(null, $"record {orphan.Hash} ({orphan.Where}) is marked confirmed but no entry of the piece's history on chain carries its hash");
        }

        return verified;
    }

    /// <summary>keccak256 of the RFC 8785 form of a record (what the registry stores); "unparseable" for invalid JSON.</summary>
    public static string HashOf(string json)
    {
        try
        {
            return HexConvert.ToHex(RecordHashing.Of(json));
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return "unparseable JSON";
        }
    }

    /// <summary>The piece id of a code: keccak256 of its UTF-8 bytes.</summary>
    public static string IdOf(string code) => HexConvert.ToHex(ProvenanceRegistryClient.PieceId(code));
}
