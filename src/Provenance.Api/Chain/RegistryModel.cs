using System.Text.Json.Serialization;
using Provenance.Ethereum;
using Provenance.Ethereum.Contracts.Registry;
using Provenance.Ethereum.Hex;

namespace Provenance.Api.Chain;

/// <summary>IProvenanceRegistry.Authorization: nonce, deadline and 65-byte signature (hex).</summary>
public sealed record ActionAuthorization(long Nonce, long Deadline, string Signature)
{
    /// <summary>The empty authorisation for unused fields.</summary>
    public static readonly ActionAuthorization None = new(0, 0, "0x");

    /// <summary>The authorisation as the registry bindings encode it.</summary>
    public Authorization ToBinding() => new(Nonce, Deadline, HexConvert.FromHex(Signature));
}

/// <summary>IProvenanceRegistry.SignedAction as stored with an operation (addresses and hashes as 0x hex).</summary>
public sealed record SignedAction(
    ActionType Action,
    string Signer,
    string Id,
    EventKind Kind,
    string RecordHash,
    string Account,
    string[] Makers,
    ActionAuthorization Auth,
    ActionAuthorization ReceiverAuth)
{
    /// <summary>The zero address.</summary>
    public const string ZeroAddress = "0x0000000000000000000000000000000000000000";

    /// <summary>The zero bytes32.</summary>
    public const string ZeroHash = "0x0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The action as the registry bindings encode it (<c>IProvenanceRegistry.SignedAction</c>).</summary>
    public Provenance.Ethereum.Contracts.Registry.SignedAction ToBinding() => new(
        Action, Address.Parse(Signer), HexConvert.FromHex(Id), Kind, HexConvert.FromHex(RecordHash), Address.Parse(Account),
        Makers.Select(Address.Parse).ToArray(), Auth.ToBinding(), ReceiverAuth.ToBinding());
}

/// <summary>A decoded registry custom error with the HTTP status it maps to.</summary>
public sealed record RegistryError(string Name, int Status, string Detail)
{
    /// <summary>
    /// Status per custom error: 404 unknown piece; 403 not allowed (role, not the artisan/party, not the claim key);
    /// 409 conflict with the piece's state (exists, wrong custodian, status, already claimed, nonce); 422 invalid action.
    /// </summary>
    public static int StatusOf(string name) => name switch
    {
        "ProvenanceRegistryUnknownPiece" => 404,
        "ProvenanceRegistryMissingRole" or "ProvenanceRegistryNotArtisan" or "ProvenanceRegistryNotPieceParty"
            or "ProvenanceRegistryNotClaimSigner" or "ProvenanceRegistryInvalidSignature" => 403,
        "ProvenanceRegistryPieceExists" or "ProvenanceRegistryNotCustodian" or "ProvenanceRegistryInvalidStatus"
            or "ProvenanceRegistryAlreadyClaimed" or "ProvenanceRegistryInvalidNonce" => 409,
        _ => 422,
    };
}

/// <summary>Stored state of a piece as <c>piece(id)</c> returns it.</summary>
public sealed record RegistryPiece(
    PieceStatus Status, string Custodian, string Artisan, string ClaimSigner, string Owner, long EventCount,
    long ClaimedAt, string Head);

/// <summary>EIP-712 typed data for an actor with its own wallet to sign (eth_signTypedData_v4 shape).</summary>
public sealed record TypedDataToSign(
    [property: JsonPropertyName("types")] IReadOnlyDictionary<string, TypedDataField[]> Types,
    [property: JsonPropertyName("primaryType")] string PrimaryType,
    [property: JsonPropertyName("domain")] TypedDataDomain Domain,
    [property: JsonPropertyName("message")] IReadOnlyDictionary<string, object> Message);

/// <summary>An EIP-712 type member.</summary>
public sealed record TypedDataField(
    [property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("type")] string Type);

/// <summary>The registry's EIP-712 domain.</summary>
public sealed record TypedDataDomain(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("chainId")] long ChainId,
    [property: JsonPropertyName("verifyingContract")] string VerifyingContract);
