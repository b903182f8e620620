using System.Numerics;
using Provenance.Ethereum.Abi;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Submission;

namespace Provenance.Ethereum.Contracts.Registry;

/// <summary>
/// Typed bindings for <c>IProvenanceRegistry</c> (contracts/IProvenanceRegistry.sol), read from the Hardhat artifact.
/// Every function, event and error it binds is named by its full signature in <see cref="BoundSignatures"/>; the
/// constructor checks each against the ABI, so a contract change that breaks a binding fails at start (and in tests).
/// </summary>
public sealed class ProvenanceRegistryClient : ContractClient
{
    private const string SignedActionTuple = "(uint8,address,bytes32,uint8,bytes32,address,address[],(uint256,uint256,bytes),(uint256,uint256,bytes))";

    /// <summary>Function signatures the bindings call.</summary>
    public static IReadOnlyList<string> BoundFunctions { get; } =
    [
        "register(bytes32,bytes32,address[],address)",
        "appendEvent(bytes32,uint8,bytes32)",
        "handoff(bytes32,address,bytes32,(uint256,uint256,bytes))",
        "flag(bytes32,bytes32)",
        "unflag(bytes32,bytes32)",
        "revoke(bytes32,bytes32)",
        "claim(bytes32,address)",
        $"execute({SignedActionTuple})",
        $"executeBatch({SignedActionTuple}[])",
        "piece(bytes32)",
        "nonces(address)",
        "pieceId(string)",
        $"actionDigests({SignedActionTuple})",
        "DOMAIN_SEPARATOR()",
        "hasRole(bytes32,address)",
        "grantRole(bytes32,address)",
    ];

    /// <summary>Event signatures decoded into <see cref="RegistryEvent"/> records (those of <see cref="RegistryDeclarations.Events"/>).</summary>
    public static IReadOnlyList<string> BoundEvents { get; } = RegistryDeclarations.Events.Select(e => e.Signature).ToArray();

    /// <summary>Custom error signatures the gateway maps to statuses (decoded by name from the ABI).</summary>
    public static IReadOnlyList<string> BoundErrors { get; } =
    [
        "ProvenanceRegistryInvalidId(bytes32)",
        "ProvenanceRegistryPieceExists(bytes32)",
        "ProvenanceRegistryUnknownPiece(bytes32)",
        "ProvenanceRegistryMissingRole(address,bytes32)",
        "ProvenanceRegistryInvalidMakerCount(uint256)",
        "ProvenanceRegistryMakersNotSorted(uint256)",
        "ProvenanceRegistryInvalidClaimSigner(address)",
        "ProvenanceRegistryInvalidEventKind(uint8)",
        "ProvenanceRegistryInvalidStatus(bytes32,uint8)",
        "ProvenanceRegistryNotCustodian(bytes32,address,address)",
        "ProvenanceRegistryNotArtisan(bytes32,address,address)",
        "ProvenanceRegistryNotPieceParty(bytes32,address)",
        "ProvenanceRegistryInvalidReceiver(bytes32,address)",
        "ProvenanceRegistryAlreadyClaimed(bytes32,address)",
        "ProvenanceRegistryNotClaimSigner(bytes32,address)",
        "ProvenanceRegistryInvalidOwner(address)",
        "ProvenanceRegistryExpiredSignature(address,uint256)",
        "ProvenanceRegistryInvalidNonce(address,uint256,uint256)",
        "ProvenanceRegistryInvalidSignature(address,address)",
    ];

    /// <summary>Every signature bound here: functions, events, errors.</summary>
    public static IEnumerable<string> BoundSignatures => BoundFunctions.Concat(BoundEvents).Concat(BoundErrors);

    /// <summary><c>keccak256("ARTISAN_ROLE")</c>.</summary>
    public static byte[] ArtisanRole { get; } = Keccak.Keccak256("ARTISAN_ROLE");

    /// <summary><c>keccak256("HANDLER_ROLE")</c>.</summary>
    public static byte[] HandlerRole { get; } = Keccak.Keccak256("HANDLER_ROLE");

    /// <summary><c>keccak256("CERTIFIER_ROLE")</c>.</summary>
    public static byte[] CertifierRole { get; } = Keccak.Keccak256("CERTIFIER_ROLE");

    /// <summary><c>keccak256("REGISTRAR_ROLE")</c>.</summary>
    public static byte[] RegistrarRole { get; } = Keccak.Keccak256("REGISTRAR_ROLE");

    /// <summary>Binds the registry at <paramref name="address"/> with the artifact's ABI.</summary>
    /// <exception cref="InvalidOperationException">The ABI lacks a bound signature (the contract changed).</exception>
    public ProvenanceRegistryClient(EthClient eth, ContractAbi abi, Address address)
        : base(eth, abi, address)
    {
        var missing = MissingSignatures(abi).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The registry ABI does not match the bindings; missing: {string.Join(", ", missing)}");
        }
    }

    /// <summary>The bound signatures <paramref name="abi"/> lacks.</summary>
    public static IEnumerable<string> MissingSignatures(ContractAbi abi)
    {
        ArgumentNullException.ThrowIfNull(abi);
        var present = abi.Functions.Select(f => f.Signature)
            .Concat(abi.Events.Select(e => e.Signature))
            .Concat(abi.Errors.Select(e => e.Signature))
            .ToHashSet(StringComparer.Ordinal);
        return BoundSignatures.Where(s => !present.Contains(s));
    }

    /// <summary>The piece id of a code: <c>keccak256(bytes(code))</c>, computed locally as the contract does.</summary>
    public static byte[] PieceId(string code) => Keccak.Keccak256(code);

    // Reads ---------------------------------------------------------------------------------------------------------

    /// <summary><c>piece(bytes32)</c>.</summary>
    public async Task<PieceView> GetPieceAsync(byte[] id, CancellationToken cancellationToken) =>
        PieceView.FromAbi((await CallAsync(Fn(9), cancellationToken, id).ConfigureAwait(false)).Get<object?[]>(0));

    /// <summary><c>nonces(address)</c>: the signer's next EIP-712 action nonce.</summary>
    public async Task<BigInteger> GetNonceAsync(Address signer, CancellationToken cancellationToken) =>
        (await CallAsync(Fn(10), cancellationToken, signer).ConfigureAwait(false)).Get<BigInteger>(0);

    /// <summary><c>pieceId(string)</c> as the contract computes it.</summary>
    public async Task<byte[]> GetPieceIdAsync(string code, CancellationToken cancellationToken) =>
        (await CallAsync(Fn(11), cancellationToken, code).ConfigureAwait(false)).Get<byte[]>(0);

    /// <summary><c>actionDigests(SignedAction)</c>: the EIP-712 digests the signer (and receiver) must sign.</summary>
    public async Task<(byte[] Signer, byte[] Receiver)> GetActionDigestsAsync(SignedAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var v = await CallAsync(Fn(12), cancellationToken, (object)action.ToAbi()).ConfigureAwait(false);
        return (v.Get<byte[]>(0), v.Get<byte[]>(1));
    }

    /// <summary><c>DOMAIN_SEPARATOR()</c>.</summary>
    public async Task<byte[]> GetDomainSeparatorAsync(CancellationToken cancellationToken) =>
        (await CallAsync(Fn(13), cancellationToken).ConfigureAwait(false)).Get<byte[]>(0);

    /// <summary><c>hasRole(bytes32,address)</c>.</summary>
    public async Task<bool> HasRoleAsync(byte[] role, Address account, CancellationToken cancellationToken) =>
        (await CallAsync(Fn(14), cancellationToken, role, account).ConfigureAwait(false)).Get<bool>(0);

    // Writes (transactions for the submitter) ------------------------------------------------------------------------

    /// <summary><c>register(id, recordHash, makers, claimSigner)</c> sent by the artisan itself.</summary>
    public TransactionRequest Register(byte[] id, byte[] recordHash, IReadOnlyList<Address> makers, Address claimSigner) =>
        CreateTransaction(Fn(0), id, recordHash, makers.Cast<object?>().ToArray(), claimSigner);

    /// <summary><c>appendEvent(id, kind, recordHash)</c>.</summary>
    public TransactionRequest AppendEvent(byte[] id, EventKind kind, byte[] recordHash) =>
        CreateTransaction(Fn(1), id, (byte)kind, recordHash);

    /// <summary><c>handoff(id, to, recordHash, receiverAuth)</c>.</summary>
    public TransactionRequest Handoff(byte[] id, Address to, byte[] recordHash, Authorization receiverAuth) =>
        CreateTransaction(Fn(2), id, to, recordHash, receiverAuth.ToAbi());

    /// <summary><c>flag(id, recordHash)</c>.</summary>
    public TransactionRequest Flag(byte[] id, byte[] recordHash) => CreateTransaction(Fn(3), id, recordHash);

    /// <summary><c>unflag(id, recordHash)</c>.</summary>
    public TransactionRequest Unflag(byte[] id, byte[] recordHash) => CreateTransaction(Fn(4), id, recordHash);

    /// <summary><c>revoke(id, recordHash)</c>.</summary>
    public TransactionRequest Revoke(byte[] id, byte[] recordHash) => CreateTransaction(Fn(5), id, recordHash);

    /// <summary><c>claim(id, owner)</c> sent by the claim key itself.</summary>
    public TransactionRequest Claim(byte[] id, Address owner) => CreateTransaction(Fn(6), id, owner);

    /// <summary><c>execute(SignedAction)</c>: one relayed action; reverts with its error.</summary>
    public TransactionRequest Execute(SignedAction action) => CreateTransaction(Fn(7), (object)action.ToAbi());

    /// <summary><c>executeBatch(SignedAction[])</c>: many relayed actions, each isolated (outcome per action in the logs).</summary>
    public TransactionRequest ExecuteBatch(IReadOnlyList<SignedAction> actions) =>
        CreateTransaction(Fn(8), (object)actions.Select(a => (object?)a.ToAbi()).ToArray());

    /// <summary><c>grantRole(role, account)</c> (admin or role admin).</summary>
    public TransactionRequest GrantRole(byte[] role, Address account) => CreateTransaction(Fn(15), role, account);

    // Events and errors -----------------------------------------------------------------------------------------------

    /// <summary>
    /// Decodes this registry's bound events among <paramref name="logs"/> into typed records, in log order (with
    /// <see cref="RegistryDeclarations"/>, whose signatures the constructor checked against the ABI).
    /// </summary>
    public IReadOnlyList<RegistryEvent> DecodeEvents(IEnumerable<EthLog> logs) =>
        logs.Where(l => l.Address == Address).Select(RegistryDeclarations.Decode).OfType<RegistryEvent>().ToList();

    /// <summary>A filter for all bound registry events of this contract (for <see cref="EthClient.GetLogsPagedAsync"/>).</summary>
    public LogFilter RegistryEventFilter() => new()
    {
        Addresses = [Address],
        Topics = [BoundEvents.Select(s => Hex.HexConvert.ToHex(AbiSignature.EventTopic(s))).ToArray()],
    };

    /// <summary>Decodes revert data (or an <see cref="ActionFailed.Reason"/>) into the registry's custom error.</summary>
    public RevertReason DecodeError(byte[] revertData) => Errors.Decode(revertData);

    private static string Fn(int index) => BoundFunctions[index];
}
