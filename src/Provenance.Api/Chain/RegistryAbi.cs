using System.Numerics;
using Provenance.Ethereum.Abi;
using Provenance.Ethereum.Contracts.Registry;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Hex;

namespace Provenance.Api.Chain;

/// <summary>
/// The registry's ABI (from the Hardhat artifact named in the deployment file) and the Ethereum layer's typed
/// bindings over it (<see cref="ProvenanceRegistryClient"/>, which checks every bound signature against the ABI),
/// plus the gateway's reading of a custom error as an HTTP status and detail.
/// </summary>
public sealed class RegistryAbi
{
    private readonly Lazy<ProvenanceRegistryClient> _client;

    /// <summary>Loads the artifact on first use.</summary>
    public RegistryAbi(Deployment deployment, EthClient eth) =>
        _client = new(() => new ProvenanceRegistryClient(
            eth, ContractAbi.Load(deployment.ResolveAbiPath()), Provenance.Ethereum.Address.Parse(deployment.Address)));

    /// <summary>The registry bindings.</summary>
    public ProvenanceRegistryClient Client => _client.Value;

    /// <summary>The parsed ABI.</summary>
    public ContractAbi Abi => Client.Abi;

    /// <summary>Decodes a custom error of the registry (or a standard one) into its name, status and a readable detail.</summary>
    public RegistryError DecodeError(byte[] data)
    {
        var reason = Client.DecodeError(data);
        string Arg(string name) => reason[name] switch
        {
            byte[] b => HexConvert.ToHex(b),
            var v => v?.ToString() ?? "",
        };
        return reason.Kind switch
        {
            _ when data.Length < 4 => new RegistryError("EmptyRevert", 422, "The registry rejected the action without a reason."),
            RevertKind.Custom => new RegistryError(reason.Name!, RegistryError.StatusOf(reason.Name!), reason.Name switch
            {
                "ProvenanceRegistryUnknownPiece" => "The piece is not registered on chain.",
                "ProvenanceRegistryPieceExists" => "A piece with this id is already registered.",
                "ProvenanceRegistryMissingRole" => $"{Arg("account")} does not hold the role this action needs.",
                "ProvenanceRegistryNotCustodian" => $"{Arg("actor")} is not the custodian of the piece (custodian: {Arg("custodian")}).",
                "ProvenanceRegistryNotArtisan" => $"{Arg("actor")} is not the artisan who registered the piece.",
                "ProvenanceRegistryNotPieceParty" => $"{Arg("actor")} is neither custodian, registering artisan nor certifier.",
                "ProvenanceRegistryInvalidStatus" => $"The action is not allowed while the piece is {StatusName(reason["status"])}.",
                "ProvenanceRegistryAlreadyClaimed" => $"The piece was already claimed by {Arg("owner")}.",
                "ProvenanceRegistryNotClaimSigner" => "The claim was not signed by the piece's claim key.",
                "ProvenanceRegistryInvalidReceiver" => "The receiver must be another actor than the custodian.",
                "ProvenanceRegistryInvalidNonce" => $"Nonce {Arg("nonce")} of {Arg("signer")} is not its current nonce {Arg("currentNonce")}.",
                "ProvenanceRegistryExpiredSignature" => $"The signature of {Arg("signer")} expired.",
                "ProvenanceRegistryInvalidSignature" => $"The signature does not recover to {Arg("signer")}.",
                _ => $"{reason.Name}({string.Join(", ", reason.Args.Select(p => $"{p.Name}={Arg(p.Name)}"))})",
            }),
            _ => new RegistryError("UnknownError", 422, $"The registry rejected the action ({reason.Selector})."),
        };
    }

    private static string StatusName(object? value) =>
        value is BigInteger b && b >= 0 && b <= 5 ? ((PieceStatus)(byte)b).ToString() : value?.ToString() ?? "?";
}
