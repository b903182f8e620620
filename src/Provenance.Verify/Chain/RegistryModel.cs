using Provenance.Ethereum.Contracts.Registry;

namespace Provenance.Verify.Chain;

/// <summary>
/// One entry of a piece's history as a registry log states it: the fields the head fold needs, the head the log
/// carries, and where the log is.
/// </summary>
/// <param name="PieceId">piece id (0x + 64 lower-case hex)</param>
/// <param name="Seq">position in the piece's history (registration: 1)</param>
/// <param name="Kind">entry kind</param>
/// <param name="Actor">who authorised it (artisan, appender, from, certifier/admin, claim signer)</param>
/// <param name="Counterparty">claim signer (registration), receiver (handoff), owner (claim), else zero</param>
/// <param name="RecordHash">keccak256 of the off-chain record (zero for a claim)</param>
/// <param name="MakersHash">registration: keccak256 of the packed makers; else zero</param>
/// <param name="Makers">registration: the makers</param>
/// <param name="Head">the head the log states after this entry</param>
/// <param name="PreviousStatus">StatusChanged: the status before, as the log states it</param>
/// <param name="Status">StatusChanged: the status after, as the log states it</param>
/// <param name="Location">where the log is</param>
public sealed record HistoryEntry(
    string PieceId,
    long Seq,
    EventKind Kind,
    Ethereum.Address Actor,
    Ethereum.Address Counterparty,
    string RecordHash,
    string MakersHash,
    IReadOnlyList<Ethereum.Address> Makers,
    string Head,
    PieceStatus? PreviousStatus,
    PieceStatus? Status,
    LogLocation Location);

/// <summary>Where a log is on chain.</summary>
public sealed record LogLocation(ulong BlockNumber, ulong LogIndex, string BlockHash, string TransactionHash);
