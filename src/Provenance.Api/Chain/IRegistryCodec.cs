using Provenance.Ethereum.Eth;

namespace Provenance.Api.Chain;

/// <summary>A decoded registry log.</summary>
public abstract record RegistryLog(EthLog Log);

/// <summary>A piece history entry (PieceRegistered, EventAppended, CustodyTransferred, StatusChanged, PieceClaimed).</summary>
/// <param name="Log">the raw log</param>
/// <param name="Name">event name</param>
/// <param name="PieceId">piece id (0x hex)</param>
/// <param name="Kind">history entry kind</param>
/// <param name="Seq">position in the piece's history</param>
/// <param name="Actor">who authorised it (artisan, appender, from, certifier/admin, claim signer)</param>
/// <param name="Counterparty">claim signer (registration), receiver (handoff), owner (claim), else null</param>
/// <param name="RecordHash">off-chain record hash (zero for claims)</param>
/// <param name="Head">hash-chain head after it</param>
/// <param name="Status">StatusChanged: status after; Sale/Claim imply their own; else null</param>
/// <param name="Makers">PieceRegistered: the makers</param>
public sealed record PieceLog(
    EthLog Log, string Name, string PieceId, EventKind Kind, long Seq, string Actor, string? Counterparty,
    string RecordHash, string Head, PieceStatus? Status, string[] Makers) : RegistryLog(Log);

/// <summary>ActionSucceeded(index) of executeBatch.</summary>
public sealed record ActionSucceededLog(EthLog Log, int Index) : RegistryLog(Log);

/// <summary>ActionFailed(index, signer, nonce, nonceConsumed, reason) of executeBatch, with the reason decoded.</summary>
public sealed record ActionFailedLog(EthLog Log, int Index, string Signer, long Nonce, bool NonceConsumed, RegistryError Reason)
    : RegistryLog(Log);

/// <summary>Encodes calls to and decodes logs of the registry (over Provenance.Ethereum's ABI and the artifact).</summary>
public interface IRegistryCodec
{
    /// <summary>topic0 of every event the indexer follows.</summary>
    IReadOnlyList<string> IndexedTopics { get; }

    /// <summary>Calldata of <c>executeBatch(actions)</c>.</summary>
    byte[] ExecuteBatch(IReadOnlyList<SignedAction> actions);

    /// <summary>Calldata of <c>grantRole(role, account)</c> for a role constant name such as ARTISAN_ROLE.</summary>
    byte[] GrantRole(string roleName, string account);

    /// <summary>Decodes a registry log; null for logs it does not know (e.g. AccessControl's).</summary>
    RegistryLog? Decode(EthLog log);
}
