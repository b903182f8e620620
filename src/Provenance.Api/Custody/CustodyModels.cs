using System.ComponentModel.DataAnnotations;
using Provenance.Api.Chain;

namespace Provenance.Api.Custody;

/// <summary>The custodian proposes to hand the piece to a handler.</summary>
public sealed record ProposeHandoffRequest(
    [property: Required, StringLength(40, MinimumLength = 4)] string To,
    [property: StringLength(160)] string? Location = null,
    [property: StringLength(2000)] string? Notes = null);

/// <summary>A signature made by an actor's own wallet over the typed data from the typed-data endpoint.</summary>
public sealed record WalletSignature(
    [property: Range(0, long.MaxValue)] long Nonce,
    [property: Range(1, long.MaxValue)] long Deadline,
    [property: Required, RegularExpression("^0x[0-9a-fA-F]{130}$", ErrorMessage = "must be a 65-byte hex signature")] string Signature);

/// <summary>
/// The receiver accepts; signatures are needed only for parties with their own wallet (custodial parties are signed
/// by the gateway).
/// </summary>
public sealed record AcceptHandoffRequest(WalletSignature? FromSignature = null, WalletSignature? ToSignature = null);

/// <summary>A handoff proposal.</summary>
public sealed record HandoffView(
    string Id, string PieceCode, string From, string To, string Status, string RecordHash, string? OperationId,
    DateTimeOffset CreatedAt);

/// <summary>Typed data for one party of a handoff to sign with its own wallet.</summary>
public sealed record HandoffTypedData(string Party, string Signer, long Nonce, long Deadline, TypedDataToSign TypedData);

/// <summary>The off-chain record of a handoff.</summary>
public sealed record HandoffRecord(string Type, string Piece, string From, string To, string At, string? Location, string? Notes);
