using Provenance.Ethereum;
using Provenance.Ethereum.Contracts.Registry;

namespace Provenance.Verify.Chain;

/// <summary>The state a piece's history implies after some prefix of its entries.</summary>
/// <param name="EventCount">entries applied</param>
/// <param name="Head">head after the last one</param>
/// <param name="Status">status</param>
/// <param name="Custodian">current holder</param>
/// <param name="Artisan">registering artisan</param>
/// <param name="Owner">claimed owner, zero until claimed</param>
public sealed record ReplayedState(long EventCount, string Head, PieceStatus Status, Address Custodian, Address Artisan, Address Owner);

/// <summary>
/// One piece's history rebuilt from logs: entries in log order, each checked against the fold, and the state after
/// every prefix (so a lagging source can be compared with the chain as of the block it has seen).
/// </summary>
public sealed class PieceHistory(string pieceId)
{
    private readonly List<HistoryEntry> _entries = [];
    private readonly List<ReplayedState> _states = [];

    /// <summary>The piece id.</summary>
    public string PieceId { get; } = pieceId;

    /// <summary>Entries in log order.</summary>
    public IReadOnlyList<HistoryEntry> Entries => _entries;

    /// <summary>State after the last entry (null before the registration).</summary>
    public ReplayedState? State => _states.Count == 0 ? null : _states[^1];

    /// <summary>State after all entries in blocks up to <paramref name="block"/> (null if none).</summary>
    public ReplayedState? StateAt(ulong block)
    {
        ReplayedState? result = null;
        for (var i = 0; i < _entries.Count && _entries[i].Location.BlockNumber <= block; i++)
        {
            result = _states[i];
        }

        return result;
    }

    /// <summary>Applies the next entry; returns what is wrong with it (empty when it follows from the previous ones).</summary>
    public IReadOnlyList<string> Apply(HistoryEntry entry)
    {
        var problems = new List<string>();
        var before = State;
        var expectedSeq = (before?.EventCount ?? 0) + 1;
        if (entry.Seq != expectedSeq)
        {
            problems.Add($"log states seq {entry.Seq} where entry {expectedSeq} was due");
        }

        if (before is null && entry.Kind != EventKind.Registration)
        {
            problems.Add($"first entry is {entry.Kind}, not Registration");
        }

        var head = HeadFold.Next(before?.Head ?? HeadFold.Genesis, entry);
        if (!string.Equals(head, entry.Head, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"log states head {entry.Head}; the fold of the history gives {head}");
        }

        var status = before?.Status ?? PieceStatus.None;
        var custodian = before?.Custodian ?? Address.Zero;
        var artisan = before?.Artisan ?? Address.Zero;
        var owner = before?.Owner ?? Address.Zero;
        switch (entry.Kind)
        {
            case EventKind.Registration:
                (status, custodian, artisan) = (PieceStatus.Active, entry.Actor, entry.Actor);
                break;
            case EventKind.Handoff:
                custodian = entry.Counterparty;
                break;
            case EventKind.Sale:
                status = PieceStatus.Sold;
                break;
            case EventKind.Claim:
                (status, owner) = (PieceStatus.Claimed, entry.Counterparty);
                break;
            case EventKind.Flag or EventKind.Unflag or EventKind.Revocation:
                if (entry.PreviousStatus is { } previous && previous != status)
                {
                    problems.Add($"log states previous status {previous}; the history gives {status}");
                }

                status = entry.Status ?? status;
                break;
        }

        _entries.Add(entry);
        _states.Add(new ReplayedState(_entries.Count, head, status, custodian, artisan, owner));
        return problems;
    }
}
