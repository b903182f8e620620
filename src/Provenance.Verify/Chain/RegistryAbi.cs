using System.Numerics;
using Provenance.Ethereum;
using Provenance.Ethereum.Abi;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Hex;

namespace Provenance.Verify.Chain;

/// <summary>
/// The parts of the registry's ABI the verifier reads — the five history events and <c>piece(bytes32)</c> — written
/// out from <c>contracts/IProvenanceRegistry.sol</c> (Solidity ABI specification, "Events"), so the verifier needs no
/// artifact and trusts no file the gateway ships.
/// </summary>
public static class RegistryAbi
{
    /// <summary><c>PieceRegistered</c>.</summary>
    public static readonly AbiEvent PieceRegistered = AbiEvent.Parse(
        "PieceRegistered(bytes32 indexed id, address indexed artisan, address claimSigner, address[] makers, bytes32 recordHash, bytes32 head)");

    /// <summary><c>EventAppended</c>.</summary>
    public static readonly AbiEvent EventAppended = AbiEvent.Parse(
        "EventAppended(bytes32 indexed id, uint8 indexed kind, address indexed actor, uint256 seq, bytes32 recordHash, bytes32 head)");

    /// <summary><c>CustodyTransferred</c>.</summary>
    public static readonly AbiEvent CustodyTransferred = AbiEvent.Parse(
        "CustodyTransferred(bytes32 indexed id, address indexed from, address indexed to, uint256 seq, bytes32 recordHash, bytes32 head)");

    /// <summary><c>StatusChanged</c>.</summary>
    public static readonly AbiEvent StatusChanged = AbiEvent.Parse(
        "StatusChanged(bytes32 indexed id, address indexed actor, uint8 kind, uint8 previousStatus, uint8 status, uint256 seq, bytes32 recordHash, bytes32 head)");

    /// <summary><c>PieceClaimed</c>.</summary>
    public static readonly AbiEvent PieceClaimed = AbiEvent.Parse(
        "PieceClaimed(bytes32 indexed id, address indexed owner, address claimSigner, uint256 seq, bytes32 head)");

    /// <summary><c>piece(bytes32)</c> returning the PieceView tuple.</summary>
    public static readonly AbiFunction Piece = AbiFunction.Parse(
        "piece(bytes32 id) view returns ((uint8 status, uint8 statusBeforeFlag, address custodian, address artisan, " +
        "address claimSigner, address owner, uint256 eventCount, uint256 claimedAt, bytes32 head) state)");

    /// <summary>The zero bytes32 as hex.</summary>
    public static readonly string ZeroHash = HexConvert.ToHex(new byte[32]);

    /// <summary>topic0 of every history event (one OR-ed topic position for <c>eth_getLogs</c>).</summary>
    public static IReadOnlyList<string> HistoryTopics { get; } =
        new[] { PieceRegistered, EventAppended, CustodyTransferred, StatusChanged, PieceClaimed }
            .Select(e => HexConvert.ToHex(e.Topic0)).ToArray();

    /// <summary>Decodes a history log; null for any other log of the contract (roles, batch outcomes).</summary>
    /// <exception cref="AbiException">A log with a history event's topic but malformed data.</exception>
    public static HistoryEntry? Decode(EthLog log)
    {
        if (log.Topics.Count == 0)
        {
            return null;
        }

        var topics = log.Topics.Select(HexConvert.FromHex).ToList();
        var where = new LogLocation(log.BlockNumber, log.LogIndex, log.BlockHash, log.TransactionHash);
        var zero = Address.Zero;
        if (PieceRegistered.Matches(topics))
        {
            var v = PieceRegistered.DecodeLog(topics, log.Data);
            var makers = ((object?[])v["makers"]!).Select(m => (Address)m!).ToArray();
            return new HistoryEntry(Hex(v, "id"), 1, EventKind.Registration, v.Get<Address>("artisan"), v.Get<Address>("claimSigner"),
                Hex(v, "recordHash"), HexConvert.ToHex(MakersHash(makers)), makers, Hex(v, "head"), null, null, where);
        }

        if (EventAppended.Matches(topics))
        {
            var v = EventAppended.DecodeLog(topics, log.Data);
            return new HistoryEntry(Hex(v, "id"), Long(v, "seq"), (EventKind)Long(v, "kind"), v.Get<Address>("actor"), zero,
                Hex(v, "recordHash"), ZeroHash, [], Hex(v, "head"), null, null, where);
        }

        if (CustodyTransferred.Matches(topics))
        {
            var v = CustodyTransferred.DecodeLog(topics, log.Data);
            return new HistoryEntry(Hex(v, "id"), Long(v, "seq"), EventKind.Handoff, v.Get<Address>("from"), v.Get<Address>("to"),
                Hex(v, "recordHash"), ZeroHash, [], Hex(v, "head"), null, null, where);
        }

        if (StatusChanged.Matches(topics))
        {
            var v = StatusChanged.DecodeLog(topics, log.Data);
            return new HistoryEntry(Hex(v, "id"), Long(v, "seq"), (EventKind)Long(v, "kind"), v.Get<Address>("actor"), zero,
                Hex(v, "recordHash"), ZeroHash, [], Hex(v, "head"), (PieceStatus)Long(v, "previousStatus"),
                (PieceStatus)Long(v, "status"), where);
        }

        if (PieceClaimed.Matches(topics))
        {
            var v = PieceClaimed.DecodeLog(topics, log.Data);
            return new HistoryEntry(Hex(v, "id"), Long(v, "seq"), EventKind.Claim, v.Get<Address>("claimSigner"), v.Get<Address>("owner"),
                ZeroHash, ZeroHash, [], Hex(v, "head"), null, null, where);
        }

        return null;
    }

    /// <summary>Decodes the return data of <c>piece(bytes32)</c>.</summary>
    public static OnChainPiece DecodePiece(ReadOnlySpan<byte> returnData)
    {
        var t = (object?[])Piece.DecodeOutput(returnData)[0]!;
        return new OnChainPiece((PieceStatus)(int)(BigInteger)t[0]!, (PieceStatus)(int)(BigInteger)t[1]!, (Address)t[2]!, (Address)t[3]!,
            (Address)t[4]!, (Address)t[5]!, (long)(BigInteger)t[6]!, (long)(BigInteger)t[7]!, HexConvert.ToHex((byte[])t[8]!));
    }

    /// <summary><c>keccak256(abi.encodePacked(makers))</c> with each address left-padded to 32 bytes, as the registry hashes it.</summary>
    public static byte[] MakersHash(IReadOnlyList<Address> makers)
    {
        var packed = new byte[32 * makers.Count];
        for (var i = 0; i < makers.Count; i++)
        {
            makers[i].Bytes.CopyTo(packed.AsSpan((32 * i) + 12, 20));
        }

        return Keccak.Keccak256(packed);
    }

    private static string Hex(AbiValues v, string name) => HexConvert.ToHex(v.Get<byte[]>(name));

    private static long Long(AbiValues v, string name) => (long)v.Get<BigInteger>(name);
}
