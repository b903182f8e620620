using System.Numerics;
using Provenance.Ethereum;
using Provenance.Ethereum.Abi;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Hex;

namespace Provenance.Api.Chain;

/// <summary>The registry's ABI (from the Hardhat artifact named in the deployment file) and value conversions.</summary>
public sealed class RegistryAbi(Deployment deployment)
{
    private readonly Lazy<ContractAbi> _abi = new(() => ContractAbi.Load(deployment.ResolveAbiPath()));

    /// <summary>The parsed ABI.</summary>
    public ContractAbi Abi => _abi.Value;

    /// <summary>A role constant: keccak256 of its name (e.g. ARTISAN_ROLE), as the registry defines it.</summary>
    public static byte[] Role(string name) => Keccak.Keccak256(name);

    /// <summary>The SignedAction struct as ABI values.</summary>
    public static object?[] ToTuple(SignedAction a) =>
    [
        (int)a.Action, Address.Parse(a.Signer), HexConvert.FromHex(a.Id), (int)a.Kind, HexConvert.FromHex(a.RecordHash),
        Address.Parse(a.Account), a.Makers.Select(m => (object?)Address.Parse(m)).ToArray(), Auth(a.Auth), Auth(a.ReceiverAuth),
    ];

    /// <summary>Decodes a custom error of the registry (or a standard one) into its name, status and a readable detail.</summary>
    public RegistryError DecodeError(byte[] data)
    {
        if (data.Length < 4)
        {
            return new RegistryError("EmptyRevert", 422, "The registry rejected the action without a reason.");
        }

        var error = Abi.FindError(data);
        if (error is null)
        {
            return new RegistryError("UnknownError", 422, $"The registry rejected the action ({HexConvert.ToHex(data.AsSpan(0, 4))}).");
        }

        var values = error.Decode(data);
        string Arg(string name) => values[name] switch
        {
            byte[] b => HexConvert.ToHex(b),
            var v => v?.ToString() ?? "",
        };
        var detail = error.Name switch
        {
            "ProvenanceRegistryUnknownPiece" => "The piece is not registered on chain.",
            "ProvenanceRegistryPieceExists" => "A piece with this id is already registered.",
            "ProvenanceRegistryMissingRole" => $"{Arg("account")} does not hold the role this action needs.",
            "ProvenanceRegistryNotCustodian" => $"{Arg("actor")} is not the custodian of the piece (custodian: {Arg("custodian")}).",
            "ProvenanceRegistryNotArtisan" => $"{Arg("actor")} is not the artisan who registered the piece.",
            "ProvenanceRegistryNotPieceParty" => $"{Arg("actor")} is neither custodian, registering artisan nor certifier.",
            "ProvenanceRegistryInvalidStatus" => $"The action is not allowed while the piece is {StatusName(values["status"])}.",
            "ProvenanceRegistryAlreadyClaimed" => $"The piece was already claimed by {Arg("owner")}.",
            "ProvenanceRegistryNotClaimSigner" => "The claim was not signed by the piece's claim key.",
            "ProvenanceRegistryInvalidReceiver" => "The receiver must be another actor than the custodian.",
            "ProvenanceRegistryInvalidNonce" => $"Nonce {Arg("nonce")} of {Arg("signer")} is not its current nonce {Arg("currentNonce")}.",
            "ProvenanceRegistryExpiredSignature" => $"The signature of {Arg("signer")} expired.",
            "ProvenanceRegistryInvalidSignature" => $"The signature does not recover to {Arg("signer")}.",
            _ => $"{error.Name}({string.Join(", ", error.Inputs.Select(p => $"{p.Name}={Arg(p.Name)}"))})",
        };
        return new RegistryError(error.Name, RegistryError.StatusOf(error.Name), detail);
    }

    private static string StatusName(object? value) =>
        value is BigInteger b && b >= 0 && b <= 5 ? ((PieceStatus)(int)b).ToString() : value?.ToString() ?? "?";

    private static object?[] Auth(ActionAuthorization a) =>
        [new BigInteger(a.Nonce), new BigInteger(a.Deadline), HexConvert.FromHex(a.Signature)];
}
