using System.ComponentModel.DataAnnotations;

namespace Provenance.Api.Products;

/// <summary>A maker of a piece and their part in the work (weaver, embroiderer, dyer, spinner, designer…).</summary>
public sealed record MakerInput(
    [property: Required, StringLength(40, MinimumLength = 4)] string ActorId,
    [property: Required, StringLength(40, MinimumLength = 2)] string Part);

/// <summary>Registers one piece; the caller (an artisan) is the registrant and first custodian.</summary>
public sealed record RegisterPieceRequest(
    [property: Required, StringLength(60, MinimumLength = 2)] string Craft,
    [property: Required, StringLength(160, MinimumLength = 1)] string Title,
    [property: Required, MinLength(1), MaxLength(32)] MakerInput[] Makers,
    [property: StringLength(4000)] string? Description = null,
    [property: MaxLength(20)] string[]? Materials = null,
    [property: StringLength(120)] string? Dimensions = null,
    [property: MaxLength(20)] string[]? Techniques = null,
    [property: MaxLength(10)] string[]? Photos = null,
    [property: StringLength(60)] string? GiLabel = null);

/// <summary>Registers up to 100 pieces at once (all or none).</summary>
public sealed record RegisterBatchRequest([property: Required, MinLength(1), MaxLength(100)] RegisterPieceRequest[] Pieces);

/// <summary>A registered piece. <see cref="ClaimCode"/> is shown only in this response: print it under the scratch panel.</summary>
public sealed record PieceRegistered(
    string Code, string PieceId, string ClaimCode, string QrUrl, string VerificationUrl, string OperationId, string Status,
    string StatusUrl);

/// <summary>The registered pieces of a batch, in request order.</summary>
public sealed record BatchRegistered(PieceRegistered[] Pieces);

/// <summary>The off-chain record of a piece (hashed with JCS + keccak256 into the registration).</summary>
public sealed record PieceRecord(
    string Type, string Code, string Craft, string Title, string? Description, string[] Materials, string? Dimensions,
    string[] Techniques, MakerRecord[] Makers, string[] Photos, string? GiLabel, string Registrant, string RegisteredAt);

/// <summary>A maker in a piece record.</summary>
public sealed record MakerRecord(string Actor, string Address, string Part);
