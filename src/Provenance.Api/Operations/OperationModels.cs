namespace Provenance.Api.Operations;

/// <summary>Lifecycle of an accepted write.</summary>
public static class OperationStatus
{
    /// <summary>Stored, waiting for the relayer.</summary>
    public const string Pending = "pending";

    /// <summary>In a transaction that was sent.</summary>
    public const string Submitted = "submitted";

    /// <summary>Mined with enough confirmations, action succeeded.</summary>
    public const string Confirmed = "confirmed";

    /// <summary>The action failed; see the error.</summary>
    public const string Failed = "failed";
}

/// <summary>An operation as <c>GET /api/operations/{id}</c> shows it.</summary>
public sealed record OperationView(
    string Id,
    string Kind,
    string Status,
    string? PieceCode,
    string? TxHash,
    long? BlockNumber,
    OperationError? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>Why an operation failed: the decoded contract error and a readable explanation.</summary>
public sealed record OperationError(string Code, string Detail);

/// <summary>The 202 body of every accepted write.</summary>
public sealed record OperationAccepted(string OperationId, string Status, string StatusUrl);
