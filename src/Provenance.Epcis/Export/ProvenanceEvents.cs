using System.Text.RegularExpressions;
using Provenance.Epcis.Vocabulary;

namespace Provenance.Epcis.Export;

/// <summary>Where an event is recorded on chain: the log that carries it.</summary>
/// <param name="ChainId">EIP-155 chain id.</param>
/// <param name="Contract">The registry contract address (0x + 40 hex).</param>
/// <param name="TransactionHash">The transaction hash (0x + 64 hex).</param>
/// <param name="BlockNumber">The block number.</param>
/// <param name="LogIndex">The log index within the block.</param>
public sealed partial record ChainReference(long ChainId, string Contract, string TransactionHash, ulong BlockNumber, uint LogIndex)
{
    /// <summary>Throws when a field is malformed.</summary>
    /// <exception cref="ArgumentException">A field is malformed.</exception>
    public void Validate()
    {
        if (ChainId <= 0)
        {
            throw new ArgumentException($"chain id {ChainId} is not positive", nameof(ChainId));
        }

        if (!Hex().IsMatch(Contract) || Contract.Length != 42)
        {
            throw new ArgumentException($"contract '{Contract}' is not a 0x-prefixed 20-byte hex address", nameof(Contract));
        }

        if (!Hex().IsMatch(TransactionHash) || TransactionHash.Length != 66)
        {
            throw new ArgumentException($"transaction hash '{TransactionHash}' is not 0x-prefixed 32-byte hex", nameof(TransactionHash));
        }
    }

    [GeneratedRegex("^0x[0-9a-fA-F]+$")]
    internal static partial Regex Hex();
}

/// <summary>
/// One fact of a piece's history, as the auditor's export knows it — domain terms, no EPCIS. Each kind maps to one
/// EPCIS ObjectEvent (see docs/epcis.md for the table).
/// </summary>
public abstract record ProvenanceEvent
{
    /// <summary>The piece's code (its EPC is <see cref="EpcisProfile.PieceUri"/>).</summary>
    public required string PieceCode { get; init; }

    /// <summary>When it happened, with the offset of the place it happened (written as eventTimeZoneOffset).</summary>
    public required DateTimeOffset EventTime { get; init; }

    /// <summary>The on-chain log that records it.</summary>
    public required ChainReference Chain { get; init; }

    /// <summary>The party (URI) whose signed action it is — e.g. <see cref="EpcisProfile.AccountParty"/>.</summary>
    public required string Actor { get; init; }

    /// <summary>The keccak256 of the off-chain record's JCS form (0x + 64 hex), when there is one.</summary>
    public string? RecordHash { get; init; }

    /// <summary>Where it happened (a URI: <c>geo:</c>, a GLN Digital Link, a cluster URI), written as bizLocation.</summary>
    public string? Location { get; init; }
}

/// <summary>A piece registered by its maker (EPCIS: commissioning, ADD).</summary>
public sealed record PieceRegistered : ProvenanceEvent;

/// <summary>Custody leaving <see cref="From"/> for <see cref="To"/> (EPCIS: shipping, reported by the sender).</summary>
public sealed record PieceShipped : ProvenanceEvent
{
    /// <summary>The party giving up custody.</summary>
    public required string From { get; init; }

    /// <summary>The party taking custody.</summary>
    public required string To { get; init; }

    /// <summary>True when ownership moves with custody (adds owning_party source and destination).</summary>
    public bool OwnershipTransferred { get; init; }
}

/// <summary>Custody arriving at <see cref="To"/> from <see cref="From"/> (EPCIS: receiving, reported by the receiver).</summary>
public sealed record PieceReceived : ProvenanceEvent
{
    /// <summary>The party giving up custody.</summary>
    public required string From { get; init; }

    /// <summary>The party taking custody.</summary>
    public required string To { get; init; }

    /// <summary>True when ownership moves with custody (adds owning_party source and destination).</summary>
    public bool OwnershipTransferred { get; init; }
}

/// <summary>A certification or test result (EPCIS: inspecting with certificationInfo).</summary>
public sealed record PieceCertified : ProvenanceEvent
{
    /// <summary>URIs of the certificates (GI certificate, lab report); at least one.</summary>
    public required IReadOnlyList<string> Certificates { get; init; }
}

/// <summary>A processing step of the craft (EPCIS: our craft business step URI).</summary>
public sealed record PieceProcessed : ProvenanceEvent
{
    /// <summary>The step.</summary>
    public required CraftStep Step { get; init; }
}

/// <summary>Sold to a consumer (EPCIS: retail_selling, disposition retail_sold).</summary>
public sealed record PieceSold : ProvenanceEvent;

/// <summary>Flagged as stolen or suspect (EPCIS: disposition stolen).</summary>
public sealed record PieceFlagged : ProvenanceEvent;

/// <summary>Authenticity revoked (EPCIS: disposition recalled).</summary>
public sealed record PieceRevoked : ProvenanceEvent;
