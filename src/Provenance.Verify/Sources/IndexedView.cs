using Provenance.Ethereum;
using Provenance.Ethereum.Contracts.Registry;
using Provenance.Verify.Chain;

namespace Provenance.Verify.Sources;

/// <summary>What one source (the gateway's API, the gateway's store) says about the registry's pieces.</summary>
/// <param name="Source">a short name for reports, e.g. <c>gateway</c> or <c>store</c></param>
/// <param name="IndexedBlock">the last block the source says it has indexed</param>
/// <param name="Pieces">pieces by id (lower-case hex)</param>
/// <param name="RecordsComplete">true when the source holds every record it has (a store): a record hash the chain
/// holds and the source lacks is then missing; false when the source shows records only where asked (an API), and says
/// so explicitly when it lacks one</param>
public sealed record IndexedView(string Source, ulong IndexedBlock, IReadOnlyDictionary<string, IndexedPiece> Pieces, bool RecordsComplete);

/// <summary>One piece as a source shows it.</summary>
public sealed class IndexedPiece(string pieceId)
{
    /// <summary>Piece id, lower-case hex.</summary>
    public string PieceId { get; } = pieceId.ToLowerInvariant();

    /// <summary>The piece code, when the source knows it.</summary>
    public string? Code { get; set; }

    /// <summary>The states the source claims (e.g. its audit listing and its piece page).</summary>
    public List<StateClaim> States { get; } = [];

    /// <summary>The histories the source claims.</summary>
    public List<EventsClaim> Histories { get; } = [];

    /// <summary>The off-chain records the source holds, by the hash it files them under.</summary>
    public List<RecordClaim> Records { get; } = [];

    /// <summary>Contradictions within the source itself (e.g. its proof names another contract).</summary>
    public List<string> Problems { get; } = [];

    /// <summary>A subject for reports: the code if known, else the id.</summary>
    public string Subject => Code ?? PieceId;
}

/// <summary>A piece state claimed by a source, as of a block.</summary>
/// <param name="Where">which part of the source says it, e.g. <c>GET /api/pieces/{code}</c></param>
/// <param name="AsOfBlock">the block the claim is as of (compared with the chain's state after that block)</param>
public sealed record StateClaim(
    string Where, ulong AsOfBlock, PieceStatus? Status, Address? Custodian, Address? Owner, long? EventCount, string? Head);

/// <summary>A piece's history claimed by a source, complete up to a block.</summary>
public sealed record EventsClaim(string Where, ulong AsOfBlock, IReadOnlyList<EventClaim> Events);

/// <summary>One history entry as a source lists it.</summary>
public sealed record EventClaim(
    long Seq, string? Kind, Address? Actor, Address? Counterparty, string? RecordHash, string? Head, ulong Block, ulong LogIndex,
    string? TransactionHash);

/// <summary>An off-chain record as a source holds it.</summary>
/// <param name="Where">which part of the source holds it</param>
/// <param name="Hash">the hash the source files it under (the chain's, if the source is honest)</param>
/// <param name="Json">the record's JSON text; null when the source says it does not have it</param>
/// <param name="OnChainExpected">true when the source says the record was confirmed on chain (a store's confirmed
/// operation): it must then be in the piece's history</param>
public sealed record RecordClaim(string Where, string Hash, string? Json, bool OnChainExpected = false);
