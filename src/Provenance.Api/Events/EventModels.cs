using System.ComponentModel.DataAnnotations;

namespace Provenance.Api.Events;

/// <summary>Events an actor may append through <c>POST /api/pieces/{code}/events</c> (certification has its own endpoint).</summary>
public enum AppendableEvent
{
    /// <summary>A craft step (spinning, dyeing, weaving, embroidery, washing, finishing) — the custodian.</summary>
    Processing,

    /// <summary>Shipped — the custodian.</summary>
    Shipping,

    /// <summary>Exported — the custodian.</summary>
    Export,

    /// <summary>Sold at retail — the custodian; the piece becomes Sold.</summary>
    Sale,

    /// <summary>The registering artisan confirms being paid.</summary>
    PaymentConfirmed,

    /// <summary>A note — custodian, registering artisan or certifier.</summary>
    Note,
}

/// <summary>Appends an event to a piece.</summary>
public sealed record AppendEventRequest(
    [property: Required] AppendableEvent? Kind,
    [property: StringLength(60)] string? Step = null,
    [property: StringLength(160)] string? Location = null,
    [property: StringLength(2000)] string? Notes = null,
    [property: MaxLength(20)] Dictionary<string, string>? Attributes = null);

/// <summary>Outcome of a lab test or GI certification.</summary>
public enum CertificationResult
{
    /// <summary>Passed / certified.</summary>
    Pass,

    /// <summary>Failed.</summary>
    Fail,
}

/// <summary>A certifier's attestation (lab test, GI certification).</summary>
public sealed record CertifyRequest(
    [property: Required] CertificationResult? Result,
    [property: StringLength(60)] string? GiLabel = null,
    [property: StringLength(120)] string? LabReport = null,
    [property: StringLength(2000)] string? Notes = null,
    [property: MaxLength(20)] Dictionary<string, string>? Tests = null);

/// <summary>Flag, unflag or revoke with a reason.</summary>
public sealed record StatusChangeRequest(
    [property: Required, StringLength(2000, MinimumLength = 2)] string Reason,
    [property: StringLength(200)] string? Evidence = null);

/// <summary>The off-chain record of an appended event or certification.</summary>
public sealed record EventRecord(
    string Type, string Piece, string Kind, string Actor, string At, string? Step, string? Location, string? Notes,
    SortedDictionary<string, string>? Attributes);

/// <summary>The off-chain record of a flag, unflag or revocation.</summary>
public sealed record StatusRecord(string Type, string Piece, string Action, string Actor, string At, string Reason, string? Evidence);
