using Provenance.Ethereum;
using Provenance.Ethereum.Contracts.Registry;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Hex;

namespace Provenance.Verify.Chain;

/// <summary>Every piece's history as the registry's logs state it, up to one block, with the problems found.</summary>
/// <param name="ChainId">the chain id (eth_chainId)</param>
/// <param name="Block">the last block read</param>
/// <param name="Pieces">histories by piece id (lower-case hex), in order of registration</param>
/// <param name="LogProblems">logs that do not follow from the history before them</param>
/// <param name="LogCount">history logs read</param>
public sealed record ChainSnapshot(
    long ChainId, ulong Block, IReadOnlyDictionary<string, PieceHistory> Pieces,
    IReadOnlyList<(HistoryEntry Entry, string Problem)> LogProblems, long LogCount);

/// <summary>
/// Reads the registry with nothing but JSON-RPC: <c>eth_getLogs</c> paged by block range (split when a node refuses
/// a range) for the five history events, and <c>eth_call</c> of <c>piece(bytes32)</c> at a fixed block.
/// </summary>
public sealed class ChainReader(EthClient eth, Address registry, LogPagingOptions? paging = null)
{
    /// <summary>Rebuilds every piece's history from block <paramref name="fromBlock"/> to <paramref name="toBlock"/>.</summary>
    public async Task<ChainSnapshot> ReadHistoryAsync(ulong fromBlock, ulong toBlock, CancellationToken ct)
    {
        var chainId = (long)await eth.GetChainIdAsync(ct);
        var pieces = new Dictionary<string, PieceHistory>(StringComparer.OrdinalIgnoreCase);
        var problems = new List<(HistoryEntry, string)>();
        var filter = new LogFilter { Addresses = [registry], Topics = [HistoryLogs.Topics] };
        long count = 0;
        await foreach (var page in eth.GetLogsPagedAsync(filter, fromBlock, toBlock, paging, ct))
        {
            foreach (var log in page.Logs.Where(l => !l.Removed).OrderBy(l => l.BlockNumber).ThenBy(l => l.LogIndex))
            {
                if (HistoryLogs.Decode(log) is not { } entry)
                {
                    continue;
                }

                count++;
                if (!pieces.TryGetValue(entry.PieceId, out var history))
                {
                    pieces[entry.PieceId] = history = new PieceHistory(entry.PieceId.ToLowerInvariant());
                }

                problems.AddRange(history.Apply(entry).Select(p => (entry, p)));
            }
        }

        return new ChainSnapshot(chainId, toBlock, pieces, problems, count);
    }

    /// <summary><c>piece(id)</c> as of <paramref name="block"/>.</summary>
    public async Task<PieceView> ReadPieceAsync(string pieceId, ulong block, CancellationToken ct)
    {
        var data = await eth.CallAsync(new CallRequest
        {
            To = registry, Data = RegistryDeclarations.Piece.Encode(HexConvert.FromHex(pieceId)),
        }, block, ct);
        return RegistryDeclarations.DecodePiece(data);
    }
}
