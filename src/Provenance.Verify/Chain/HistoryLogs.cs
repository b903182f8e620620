using Provenance.Ethereum;
using Provenance.Ethereum.Contracts.Registry;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Hex;

namespace Provenance.Verify.Chain;

/// <summary>
/// The registry's five history events as <see cref="HistoryEntry"/> fold inputs, decoded with the Ethereum layer's
/// registry bindings (<see cref="RegistryDeclarations"/>: the declarations of contracts/IProvenanceRegistry.sol, so
/// the verifier needs no artifact and trusts no file a gateway ships).
/// </summary>
public static class HistoryLogs
{
    /// <summary>The zero bytes32 as hex.</summary>
    public static readonly string ZeroHash = HexConvert.ToHex(new byte[32]);

    /// <summary>topic0 of every history event (one OR-ed topic position for <c>eth_getLogs</c>).</summary>
    public static IReadOnlyList<string> Topics => RegistryDeclarations.HistoryTopics;

    /// <summary>Decodes a history log; null for any other log of the contract (roles, batch outcomes).</summary>
    /// <exception cref="Ethereum.Abi.AbiException">A log with a history event's topic but malformed data.</exception>
    public static HistoryEntry? Decode(EthLog log)
    {
        var where = new LogLocation(log.BlockNumber, log.LogIndex, log.BlockHash, log.TransactionHash);
        var zero = Address.Zero;
        return RegistryDeclarations.Decode(log) switch
        {
            PieceRegistered e => new HistoryEntry(Hex(e.Id), 1, EventKind.Registration, e.Artisan, e.ClaimSigner, Hex(e.RecordHash),
                Hex(RegistryHeadFold.MakersHash(e.Makers)), e.Makers, Hex(e.Head), null, null, where),
            EventAppended e => new HistoryEntry(Hex(e.Id), (long)e.Seq, e.Kind, e.Actor, zero, Hex(e.RecordHash), ZeroHash, [],
                Hex(e.Head), null, null, where),
            CustodyTransferred e => new HistoryEntry(Hex(e.Id), (long)e.Seq, EventKind.Handoff, e.From, e.To, Hex(e.RecordHash), ZeroHash, [],
                Hex(e.Head), null, null, where),
            StatusChanged e => new HistoryEntry(Hex(e.Id), (long)e.Seq, e.Kind, e.Actor, zero, Hex(e.RecordHash), ZeroHash, [],
                Hex(e.Head), e.PreviousStatus, e.Status, where),
            PieceClaimed e => new HistoryEntry(Hex(e.Id), (long)e.Seq, EventKind.Claim, e.ClaimSigner, e.Owner, ZeroHash, ZeroHash, [],
                Hex(e.Head), null, null, where),
            _ => null,
        };
    }

    private static string Hex(byte[] value) => HexConvert.ToHex(value);
}
