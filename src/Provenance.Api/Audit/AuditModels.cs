namespace Provenance.Api.Audit;

/// <summary>One page of an audit listing. <see cref="NextCursor"/> is null on the last page.</summary>
/// <param name="Items">the items, in chain order (block, log index)</param>
/// <param name="NextCursor">pass back as <c>cursor</c> for the next page</param>
/// <param name="IndexedBlock">the last block the gateway's index holds</param>
public sealed record AuditPage<T>(T[] Items, string? NextCursor, long IndexedBlock);

/// <summary>One history entry as the chain records it, with the actors and piece the gateway knows behind it.</summary>
public sealed record AuditEvent(
    long BlockNumber,
    long LogIndex,
    string BlockHash,
    string TransactionHash,
    string PieceId,
    string? PieceCode,
    long Seq,
    string Kind,
    string Actor,
    string? ActorId,
    string? Counterparty,
    string? CounterpartyId,
    string? RecordHash,
    string Head,
    DateTimeOffset? Time);

/// <summary>A piece: its indexed on-chain state and what the gateway recorded at registration.</summary>
public sealed record AuditPiece(
    string PieceId,
    string? Code,
    string Status,
    string Artisan,
    string? ArtisanId,
    string Custodian,
    string? CustodianId,
    string? Owner,
    long EventCount,
    string Head,
    long StateBlock,
    string? Craft,
    string? Cluster,
    long RegisteredBlock,
    string RegistrationTransaction,
    DateTimeOffset? RegisteredAt);

/// <summary>Creates an auditor (admin only).</summary>
public sealed record OnboardAuditorRequest(
    [property: System.ComponentModel.DataAnnotations.Required, System.ComponentModel.DataAnnotations.StringLength(160, MinimumLength = 1)] string Name,
    [property: System.ComponentModel.DataAnnotations.StringLength(160)] string? Organisation = null);

/// <summary>A count under a label (craft, cluster, month).</summary>
public sealed record CountBy(string Key, long Count);

/// <summary>Custody handoffs a handler took part in.</summary>
public sealed record HandlerHandoffs(string Address, string? ActorId, string? Name, long Received, long Handed);

/// <summary>How many registered pieces have a confirmed payment to their artisan.</summary>
public sealed record PaymentShare(long Pieces, long WithConfirmedPayment, double Share);

/// <summary>Verification page scans and suspected-copy marks over the gateway's pieces.</summary>
public sealed record ScanTotals(long PiecesScanned, long TotalScans, long SuspectedCopies, SuspectedPiece[] Suspected);

/// <summary>A piece marked "suspected copy".</summary>
public sealed record SuspectedPiece(string Code, DateTimeOffset Since, string Reason, string Detail);

/// <summary>The audit statistics.</summary>
public sealed record AuditStatistics(
    long IndexedBlock,
    long Pieces,
    CountBy[] PiecesPerCraft,
    CountBy[] PiecesPerCluster,
    CountBy[] PiecesPerMonth,
    HandlerHandoffs[] HandoffsPerHandler,
    PaymentShare Payment,
    ScanTotals Scans);
