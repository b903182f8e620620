using System.Text.Json;

namespace Provenance.Api.Products;

/// <summary>
/// A piece with its makers, history and proof. Every off-chain record is re-hashed (JCS + keccak256) and compared
/// with the hash the chain holds: <c>verified</c>, <c>mismatch</c> (altered), <c>missing</c>, or <c>pending</c>
/// (not on chain yet).
/// </summary>
public sealed record PieceDetails(
    string Code,
    string PieceId,
    string Status,
    string Integrity,
    string? RegistrantId,
    AddressRef Custodian,
    AddressRef? Owner,
    DateTimeOffset? ClaimedAt,
    RecordView Record,
    MakerView[] Makers,
    TimelineEntry[] Events,
    PendingView[] Pending,
    ProofView Proof);

/// <summary>An address and, when known, the actor behind it.</summary>
public sealed record AddressRef(string Address, string? ActorId, string? Name, string? Kind);

/// <summary>A stored record with its integrity check.</summary>
public sealed record RecordView(string Hash, string Check, JsonElement? Data);

/// <summary>A maker (shown as the artisan chose) and their part.</summary>
public sealed record MakerView(string ActorId, string Address, string Part, JsonElement PublicProfile, bool OnChain);

/// <summary>One entry of the on-chain history.</summary>
public sealed record TimelineEntry(
    long Seq, string Kind, AddressRef Actor, AddressRef? Counterparty, RecordView? Record, string Head, ChainRef Chain);

/// <summary>Where an entry is on chain.</summary>
public sealed record ChainRef(string TxHash, long BlockNumber, string BlockHash, long LogIndex, DateTimeOffset? BlockTime);

/// <summary>An accepted write not yet confirmed.</summary>
public sealed record PendingView(string OperationId, string Kind, string Status, DateTimeOffset CreatedAt);

/// <summary>How to check it yourself: network, contract, and the head of the piece's hash chain.</summary>
public sealed record ProofView(long ChainId, string Contract, long EventCount, string? Head, long? IndexedBlock, string[] Transactions);

/// <summary>A piece in a custodian's hands.</summary>
public sealed record CustodyItem(string Code, string Status, string? Title, long EventCount, long BlockNumber);
