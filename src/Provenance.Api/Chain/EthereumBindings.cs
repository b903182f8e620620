using System.Numerics;
using Provenance.Api.Data;
using Provenance.Ethereum;
using Provenance.Ethereum.Abi;
using Provenance.Ethereum.Contracts.Registry;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.Submission;

namespace Provenance.Api.Chain;

/// <summary>
/// Encodes registry calls and decodes its logs into the gateway's shapes, as a thin adapter over the Ethereum layer's
/// registry bindings (<see cref="ProvenanceRegistryClient"/>, <see cref="RegistryDeclarations"/>).
/// </summary>
public sealed class RegistryCodec(RegistryAbi registry) : IRegistryCodec
{
    /// <inheritdoc />
    public IReadOnlyList<string> IndexedTopics => RegistryDeclarations.HistoryTopics;

    /// <inheritdoc />
    public byte[] ExecuteBatch(IReadOnlyList<SignedAction> actions) =>
        registry.Client.ExecuteBatch(actions.Select(a => a.ToBinding()).ToArray()).Data;

    /// <inheritdoc />
    public byte[] GrantRole(string roleName, string account) =>
        registry.Client.GrantRole(Keccak.Keccak256(roleName), Address.Parse(account)).Data;

    /// <summary>
    /// The checksummed text of the actors' addresses met in logs (a history names few actors; EIP-55 hashes each
    /// address, which was about half of a log's decoding). A piece's claim signer and owner are its own, so not kept.
    /// </summary>
    private readonly ImmutableCache<Address, string> _addressTexts = new(65_536);

    private string Text(Address address) => _addressTexts.GetOrAdd(address, a => a.ToString());

    /// <inheritdoc />
    public RegistryLog? Decode(EthLog log)
    {
        static string Hex(byte[] value) => HexConvert.ToHex(value);
        return RegistryDeclarations.Decode(log) switch
        {
            PieceRegistered e => new PieceLog(log, nameof(PieceRegistered), Hex(e.Id), EventKind.Registration, 1, Text(e.Artisan),
                e.ClaimSigner.ToString(), Hex(e.RecordHash), Hex(e.Head), PieceStatus.Active, e.Makers.Select(Text).ToArray()),
            EventAppended e => new PieceLog(log, nameof(EventAppended), Hex(e.Id), e.Kind, (long)e.Seq, Text(e.Actor), null,
                Hex(e.RecordHash), Hex(e.Head), e.Kind == EventKind.Sale ? PieceStatus.Sold : null, []),
            CustodyTransferred e => new PieceLog(log, nameof(CustodyTransferred), Hex(e.Id), EventKind.Handoff, (long)e.Seq, Text(e.From),
                Text(e.To), Hex(e.RecordHash), Hex(e.Head), null, []),
            StatusChanged e => new PieceLog(log, nameof(StatusChanged), Hex(e.Id), e.Kind, (long)e.Seq, Text(e.Actor), null,
                Hex(e.RecordHash), Hex(e.Head), e.Status, []),
            PieceClaimed e => new PieceLog(log, nameof(PieceClaimed), Hex(e.Id), EventKind.Claim, (long)e.Seq, e.ClaimSigner.ToString(),
                e.Owner.ToString(), SignedAction.ZeroHash, Hex(e.Head), PieceStatus.Claimed, []),
            ActionSucceeded e => new ActionSucceededLog(log, (int)e.Index),
            ActionFailed e => new ActionFailedLog(log, (int)e.Index, Text(e.Signer), (long)e.Nonce, e.NonceConsumed, registry.DecodeError(e.Reason)),
            _ => null,
        };
    }
}

/// <summary>Reads, simulates and signs registry actions over JSON-RPC and the registry's ABI.</summary>
/// <remarks>
/// EIP-712 digests are computed locally (eth-core's encoder) from the same typed data that actors with their own
/// wallet are given; a test checks them against the registry's <c>actionDigests</c> view.
/// </remarks>
public sealed class RegistryChain(Deployment deployment, EthClient eth, RegistryAbi registry) : IRegistryChain
{
    private Provenance.Ethereum.Address Contract => Provenance.Ethereum.Address.Parse(deployment.Address);

    /// <inheritdoc />
    public long ChainId => deployment.ChainId;

    /// <inheritdoc />
    public string Address => deployment.Address;

    /// <inheritdoc />
    public async Task<long> NonceAsync(string signer, CancellationToken ct) =>
        (long)await registry.Client.GetNonceAsync(Provenance.Ethereum.Address.Parse(signer), ct);

    /// <inheritdoc />
    public async Task<RegistryPiece> PieceAsync(string pieceId, CancellationToken ct)
    {
        var p = await registry.Client.GetPieceAsync(HexConvert.FromHex(pieceId), ct);
        return new RegistryPiece(p.Status, p.Custodian.ToString(), p.Artisan.ToString(), p.ClaimSigner.ToString(), p.Owner.ToString(),
            (long)p.EventCount, (long)p.ClaimedAt, HexConvert.ToHex(p.Head));
    }

    /// <inheritdoc />
    public async Task<RegistryError?> SimulateAsync(SignedAction a, CancellationToken ct)
    {
        var client = registry.Client;
        var id = HexConvert.FromHex(a.Id);
        var record = HexConvert.FromHex(a.RecordHash);
        var account = Provenance.Ethereum.Address.Parse(a.Account);
        var (call, from) = a.Action switch
        {
            ActionType.Register => (client.Register(id, record, a.Makers.Select(Provenance.Ethereum.Address.Parse).ToArray(), account), a.Signer),
            ActionType.AppendEvent => (client.AppendEvent(id, a.Kind, record), a.Signer),
            ActionType.Flag => (client.Flag(id, record), a.Signer),
            ActionType.Unflag => (client.Unflag(id, record), a.Signer),
            ActionType.Revoke => (client.Revoke(id, record), a.Signer),
            ActionType.Claim => (client.Claim(id, account), a.Signer),
            _ => (client.Execute(a.ToBinding()), (string?)null),
        };
        var data = call.Data;
        try
        {
            await CallAsync(data, from, ct);
            return null;
        }
        catch (ContractRevertedException e)
        {
            return registry.DecodeError(e.RevertData);
        }
    }

    /// <inheritdoc />
    public async Task<string> SignAsync(SignedAction action, bool asReceiver, long nonce, long deadline, byte[] privateKey, CancellationToken ct)
    {
        var digest = await DigestAsync(action, asReceiver, new ActionAuthorization(nonce, deadline, "0x"), ct);
        return EthKey.FromPrivateKey(privateKey).Sign(digest).ToHex();
    }

    /// <inheritdoc />
    public async Task<string?> RecoverAsync(SignedAction action, bool asReceiver, ActionAuthorization authorization, CancellationToken ct)
    {
        var digest = await DigestAsync(action, asReceiver, authorization, ct);
        try
        {
            return EthSignature.FromHex(authorization.Signature).RecoverAddress(digest).ToString();
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public TypedDataToSign TypedData(SignedAction a, ActionAuthorization authorization)
    {
        TypedDataField F(string name, string type) => new(name, type);
        var domainType = new[] { F("name", "string"), F("version", "string"), F("chainId", "uint256"), F("verifyingContract", "address") };
        var (primary, fields, message) = a.Action switch
        {
            ActionType.Handoff => ("Handoff",
                new[] { F("id", "bytes32"), F("from", "address"), F("to", "address"), F("recordHash", "bytes32"), F("nonce", "uint256"), F("deadline", "uint256") },
                new Dictionary<string, object> { ["id"] = a.Id, ["from"] = a.Signer, ["to"] = a.Account, ["recordHash"] = a.RecordHash }),
            ActionType.AppendEvent => ("AppendEvent",
                new[] { F("id", "bytes32"), F("kind", "uint8"), F("recordHash", "bytes32"), F("nonce", "uint256"), F("deadline", "uint256") },
                new Dictionary<string, object> { ["id"] = a.Id, ["kind"] = (int)a.Kind, ["recordHash"] = a.RecordHash }),
            ActionType.Register => ("Register",
                new[] { F("id", "bytes32"), F("recordHash", "bytes32"), F("makers", "address[]"), F("claimSigner", "address"), F("nonce", "uint256"), F("deadline", "uint256") },
                new Dictionary<string, object> { ["id"] = a.Id, ["recordHash"] = a.RecordHash, ["makers"] = a.Makers, ["claimSigner"] = a.Account }),
            ActionType.Claim => ("Claim",
                new[] { F("id", "bytes32"), F("owner", "address"), F("nonce", "uint256"), F("deadline", "uint256") },
                new Dictionary<string, object> { ["id"] = a.Id, ["owner"] = a.Account }),
            _ => (a.Action.ToString(),
                new[] { F("id", "bytes32"), F("recordHash", "bytes32"), F("nonce", "uint256"), F("deadline", "uint256") },
                new Dictionary<string, object> { ["id"] = a.Id, ["recordHash"] = a.RecordHash }),
        };
        message["nonce"] = authorization.Nonce.ToString(System.Globalization.CultureInfo.InvariantCulture);
        message["deadline"] = authorization.Deadline.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new TypedDataToSign(
            new Dictionary<string, TypedDataField[]> { ["EIP712Domain"] = domainType, [primary] = fields }, primary,
            new TypedDataDomain("ProvenanceRegistry", "1", deployment.ChainId, deployment.Address), message);
    }

    /// <inheritdoc />
    public async Task<long> HeadAsync(CancellationToken ct) => (long)await eth.GetBlockNumberAsync(ct);

    private Task<byte[]> DigestAsync(SignedAction action, bool asReceiver, ActionAuthorization auth, CancellationToken ct)
    {
        // The typed data an own-wallet actor is given is exactly what is hashed here (eth-core's EIP-712 encoder).
        _ = asReceiver; // a handoff's receiver signs the same Handoff struct with its own nonce and deadline
        var json = System.Text.Json.JsonSerializer.Serialize(TypedData(action, auth), Hosting.ApiJsonContext.Default.TypedDataToSign);
        return Task.FromResult(Provenance.Ethereum.Eip712.TypedData.FromJson(json).Digest());
    }

    /// <summary>The digests the registry itself computes (<c>actionDigests</c>): a cross-check of the local EIP-712 hashing.</summary>
    public Task<(byte[] Signer, byte[] Receiver)> ContractDigestsAsync(SignedAction action, CancellationToken ct) =>
        registry.Client.GetActionDigestsAsync(action.ToBinding(), ct);

    private Task<byte[]> CallAsync(byte[] data, string? from, CancellationToken ct) =>
        eth.CallAsync(new CallRequest
        {
            To = Contract, Data = data, From = from is null ? null : Provenance.Ethereum.Address.Parse(from),
        }, BlockParameter.Latest, ct);
}

/// <summary>Makes transaction signers over eth-core's EthKey and transaction types (EIP-1559 or legacy EIP-155).</summary>
public sealed class EthSignerFactory : ISignerFactory
{
    /// <inheritdoc />
    public ITransactionSigner Create(ReadOnlySpan<byte> privateKey) => new EthKeySigner(EthKey.FromPrivateKey(privateKey));
}
