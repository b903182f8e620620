using Provenance.Ethereum.Abi;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Hex;

namespace Provenance.Ethereum.Contracts.Registry;

/// <summary>
/// The registry's events and its <c>piece(bytes32)</c> view as declared in <c>contracts/IProvenanceRegistry.sol</c>
/// (Solidity ABI specification, "Events"), for readers that hold no artifact — provenance-verify trusts no file a
/// gateway ships. <see cref="ProvenanceRegistryClient.BoundEvents"/> are these declarations' signatures, so the
/// client's start-up check (and its test against the Hardhat artifact) covers them.
/// </summary>
public static class RegistryDeclarations
{
    /// <summary>Every registry event the bindings decode, in <see cref="ProvenanceRegistryClient.BoundEvents"/> order.</summary>
    public static IReadOnlyList<AbiEvent> Events { get; } =
    [
        AbiEvent.Parse("PieceRegistered(bytes32 indexed id, address indexed artisan, address claimSigner, address[] makers, bytes32 recordHash, bytes32 head)"),
        AbiEvent.Parse("EventAppended(bytes32 indexed id, uint8 indexed kind, address indexed actor, uint256 seq, bytes32 recordHash, bytes32 head)"),
        AbiEvent.Parse("CustodyTransferred(bytes32 indexed id, address indexed from, address indexed to, uint256 seq, bytes32 recordHash, bytes32 head)"),
        AbiEvent.Parse("StatusChanged(bytes32 indexed id, address indexed actor, uint8 kind, uint8 previousStatus, uint8 status, uint256 seq, bytes32 recordHash, bytes32 head)"),
        AbiEvent.Parse("PieceClaimed(bytes32 indexed id, address indexed owner, address claimSigner, uint256 seq, bytes32 head)"),
        AbiEvent.Parse("ActionSucceeded(uint256 index)"),
        AbiEvent.Parse("ActionFailed(uint256 indexed index, address indexed signer, uint256 nonce, bool nonceConsumed, bytes reason)"),
    ];

    /// <summary>topic0 of the five piece-history events (one OR-ed topic position for <c>eth_getLogs</c>).</summary>
    public static IReadOnlyList<string> HistoryTopics { get; } = Events.Take(5).Select(e => HexConvert.ToHex(e.Topic0)).ToArray();

    /// <summary><c>piece(bytes32)</c> returning the <c>PieceView</c> tuple.</summary>
    public static AbiFunction Piece { get; } = AbiFunction.Parse(
        "piece(bytes32 id) view returns ((uint8 status, uint8 statusBeforeFlag, address custodian, address artisan, " +
        "address claimSigner, address owner, uint256 eventCount, uint256 claimedAt, bytes32 head) state)");

    private static readonly Dictionary<string, AbiEvent> ByTopic =
        Events.ToDictionary(e => HexConvert.ToHex(e.Topic0), StringComparer.OrdinalIgnoreCase);

    /// <summary>Decodes a registry log by its topic0; null for events not bound (role admin, …). The caller filters by address.</summary>
    /// <exception cref="AbiException">A log with a bound event's topic but malformed data.</exception>
    public static RegistryEvent? Decode(EthLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (log.Topics.Count == 0 || !ByTopic.TryGetValue(log.Topics[0], out var e))
        {
            return null;
        }

        var topics = log.Topics.Select(HexConvert.FromHex).ToList();
        return RegistryEvent.Decode(new DecodedEvent(e, e.DecodeLog(topics, log.Data), log));
    }

    /// <summary>Decodes the return data of <c>piece(bytes32)</c>.</summary>
    public static PieceView DecodePiece(ReadOnlySpan<byte> returnData) =>
        PieceView.FromAbi((object?[])Piece.DecodeOutput(returnData)[0]!);
}
