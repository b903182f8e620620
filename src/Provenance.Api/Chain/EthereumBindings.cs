using System.Numerics;
using Provenance.Ethereum;
using Provenance.Ethereum.Abi;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.Submission;

namespace Provenance.Api.Chain;

/// <summary>Encodes registry calls and decodes its logs with Provenance.Ethereum's ABI codec.</summary>
public sealed class RegistryCodec(RegistryAbi registry) : IRegistryCodec
{
    private static readonly string[] PieceEvents = ["PieceRegistered", "EventAppended", "CustodyTransferred", "StatusChanged", "PieceClaimed"];

    /// <inheritdoc />
    public IReadOnlyList<string> IndexedTopics =>
        PieceEvents.Select(e => HexConvert.ToHex(registry.Abi.GetEvent(e).Topic0)).ToArray();

    /// <inheritdoc />
    public byte[] ExecuteBatch(IReadOnlyList<SignedAction> actions) =>
        registry.Abi.GetFunction("executeBatch").Encode([actions.Select(a => (object?)RegistryAbi.ToTuple(a)).ToArray()]);

    /// <inheritdoc />
    public byte[] GrantRole(string roleName, string account) =>
        registry.Abi.GetFunction("grantRole").Encode(RegistryAbi.Role(roleName), Address.Parse(account));

    /// <inheritdoc />
    public RegistryLog? Decode(EthLog log)
    {
        if (log.Topics.Count == 0)
        {
            return null;
        }

        var topics = log.Topics.Select(HexConvert.FromHex).ToList();
        var e = registry.Abi.FindEvent(topics[0]);
        if (e is null)
        {
            return null;
        }

        var v = e.DecodeLog(topics, log.Data);
        string Hex(string name) => HexConvert.ToHex(v.Get<byte[]>(name));
        string Addr(string name) => v.Get<Address>(name).ToString();
        long Long(string name) => (long)v.Get<BigInteger>(name);
        return e.Name switch
        {
            "PieceRegistered" => new PieceLog(log, e.Name, Hex("id"), EventKind.Registration, 1, Addr("artisan"), Addr("claimSigner"),
                Hex("recordHash"), Hex("head"), PieceStatus.Active,
                ((object?[])v["makers"]!).Select(m => ((Address)m!).ToString()).ToArray()),
            "EventAppended" => new PieceLog(log, e.Name, Hex("id"), (EventKind)Long("kind"), Long("seq"), Addr("actor"), null,
                Hex("recordHash"), Hex("head"), (EventKind)Long("kind") == EventKind.Sale ? PieceStatus.Sold : null, []),
            "CustodyTransferred" => new PieceLog(log, e.Name, Hex("id"), EventKind.Handoff, Long("seq"), Addr("from"), Addr("to"),
                Hex("recordHash"), Hex("head"), null, []),
            "StatusChanged" => new PieceLog(log, e.Name, Hex("id"), (EventKind)Long("kind"), Long("seq"), Addr("actor"), null,
                Hex("recordHash"), Hex("head"), (PieceStatus)Long("status"), []),
            "PieceClaimed" => new PieceLog(log, e.Name, Hex("id"), EventKind.Claim, Long("seq"), Addr("claimSigner"), Addr("owner"),
                SignedAction.ZeroHash, Hex("head"), PieceStatus.Claimed, []),
            "ActionSucceeded" => new ActionSucceededLog(log, (int)Long("index")),
            "ActionFailed" => new ActionFailedLog(log, (int)Long("index"), Addr("signer"), Long("nonce"), v.Get<bool>("nonceConsumed"),
                registry.DecodeError(v.Get<byte[]>("reason"))),
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
    public async Task<long> NonceAsync(string signer, CancellationToken ct)
    {
        var f = registry.Abi.GetFunction("nonces");
        var result = await CallAsync(f.Encode(Provenance.Ethereum.Address.Parse(signer)), null, ct);
        return (long)f.DecodeOutput(result).Get<BigInteger>(0);
    }

    /// <inheritdoc />
    public async Task<RegistryPiece> PieceAsync(string pieceId, CancellationToken ct)
    {
        var f = registry.Abi.GetFunction("piece");
        var t = (object?[])f.DecodeOutput(await CallAsync(f.Encode(HexConvert.FromHex(pieceId)), null, ct))[0]!;
        return new RegistryPiece((PieceStatus)(int)(BigInteger)t[0]!, t[2]!.ToString()!, t[3]!.ToString()!, t[4]!.ToString()!,
            t[5]!.ToString()!, (long)(BigInteger)t[6]!, (long)(BigInteger)t[7]!, HexConvert.ToHex((byte[])t[8]!));
    }

    /// <inheritdoc />
    public async Task<RegistryError?> SimulateAsync(SignedAction a, CancellationToken ct)
    {
        var abi = registry.Abi;
        var id = HexConvert.FromHex(a.Id);
        var record = HexConvert.FromHex(a.RecordHash);
        var (data, from) = a.Action switch
        {
            ActionType.Register => (abi.GetFunction("register").Encode(id, record,
                a.Makers.Select(m => (object?)Provenance.Ethereum.Address.Parse(m)).ToArray(), Provenance.Ethereum.Address.Parse(a.Account)), a.Signer),
            ActionType.AppendEvent => (abi.GetFunction("appendEvent").Encode(id, (int)a.Kind, record), a.Signer),
            ActionType.Flag => (abi.GetFunction("flag").Encode(id, record), a.Signer),
            ActionType.Unflag => (abi.GetFunction("unflag").Encode(id, record), a.Signer),
            ActionType.Revoke => (abi.GetFunction("revoke").Encode(id, record), a.Signer),
            ActionType.Claim => (abi.GetFunction("claim").Encode(id, Provenance.Ethereum.Address.Parse(a.Account)), a.Signer),
            _ => (abi.GetFunction("execute").Encode([RegistryAbi.ToTuple(a)]), (string?)null),
        };
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
    public async Task<(byte[] Signer, byte[] Receiver)> ContractDigestsAsync(SignedAction action, CancellationToken ct)
    {
        var f = registry.Abi.GetFunction("actionDigests");
        var result = f.DecodeOutput(await CallAsync(f.Encode([RegistryAbi.ToTuple(action)]), null, ct));
        return (result.Get<byte[]>(0), result.Get<byte[]>(1));
    }

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
