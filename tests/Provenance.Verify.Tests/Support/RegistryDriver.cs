using System.Diagnostics;
using System.Numerics;
using System.Text;
using Provenance.Ethereum;
using Provenance.Ethereum.Abi;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.JsonRpc;
using Provenance.Ethereum.Transactions;
using Provenance.Testing;

namespace Provenance.Verify.Tests.Support;

/// <summary>One action the test made, with what the chain recorded for it (read back independently of the verifier).</summary>
public sealed record ActionRecord(
    string Code, string PieceId, long Seq, string Kind, string Actor, string? Counterparty, string RecordHash, string? RecordJson,
    string Head, ulong Block, ulong LogIndex, string TxHash, string Status, string Custodian, string? Owner);

/// <summary>
/// A Hardhat node with the registry deployed, driven directly (no gateway) with eth-core signing and eth-rpc: role
/// grants, registrations, events, two-signature handoffs, flags and claims. Every action is recorded with the head
/// and event count that <c>piece(id)</c> returns right after it.
/// </summary>
public sealed class RegistryDriver : IAsyncLifetime
{
    private static readonly SemaphoreSlim CompileLock = new(1, 1);
    private readonly Dictionary<Address, ulong> _nonces = [];
    private ContractAbi _abi = null!;
    private ulong _chainId;
    private int _codeCounter;

    /// <summary>The node.</summary>
    public DevChainProcess Node { get; private set; } = null!;

    /// <summary>The client.</summary>
    public EthClient Eth { get; private set; } = null!;

    /// <summary>The registry address.</summary>
    public Address Registry { get; private set; }

    /// <summary>The block the registry was deployed in.</summary>
    public ulong DeployBlock { get; private set; }

    /// <summary>Every action so far, in order.</summary>
    public List<ActionRecord> Actions { get; } = [];

    /// <summary>Dev account #0, the admin (also registrar and certifier).</summary>
    public EthKey Admin { get; } = Key(0);

    /// <summary>Artisans #1 and #2.</summary>
    public EthKey Artisan { get; } = Key(1);

    /// <summary>A second artisan.</summary>
    public EthKey Artisan2 { get; } = Key(2);

    /// <summary>Handler #3.</summary>
    public EthKey Handler { get; } = Key(3);

    /// <summary>Certifier #4.</summary>
    public EthKey Certifier { get; } = Key(4);

    /// <summary>A second handler (a fresh key, funded at start).</summary>
    public EthKey Handler2 { get; } = EthKey.Generate();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await CompileAsync();
        Node = await DevChainProcess.StartHardhatAsync();
        var dir = Directory.CreateTempSubdirectory("provenance-verify-").FullName;
        var file = await Node.DeployRegistryAsync(Path.Combine(dir, "deployment.json"));
        using var deployment = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(file));
        Registry = Address.Parse(deployment.RootElement.GetProperty("address").GetString()!);
        DeployBlock = deployment.RootElement.GetProperty("deployBlock").GetUInt64();
        _abi = ContractAbi.Load(Path.Combine(RepoPaths.Root, deployment.RootElement.GetProperty("abi").GetString()!));
        Eth = new EthClient(new JsonRpcClient(new HttpClient(), new JsonRpcClientOptions { Endpoint = new Uri(Node.RpcUrl) }));
        _chainId = await Eth.GetChainIdAsync(default);

        await SendAsync(Admin, Call("grantRole", Role("REGISTRAR_ROLE"), Admin.Address));
        await SendAsync(Admin, Call("grantRole", Role("ARTISAN_ROLE"), Artisan.Address));
        await SendAsync(Admin, Call("grantRole", Role("ARTISAN_ROLE"), Artisan2.Address));
        await SendAsync(Admin, Call("grantRole", Role("HANDLER_ROLE"), Handler.Address));
        await SendAsync(Admin, Call("grantRole", Role("HANDLER_ROLE"), Handler2.Address));
        await SendAsync(Admin, Call("grantRole", Role("CERTIFIER_ROLE"), Certifier.Address));
        await FundAsync(Handler2.Address);
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await Node.DisposeAsync();

    /// <summary>A fresh, valid-looking piece code (15 chars of the piece alphabet).</summary>
    public string NewCode()
    {
        const string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        var n = Interlocked.Increment(ref _codeCounter);
        var random = Guid.NewGuid().ToByteArray();
        var chars = Enumerable.Range(0, 12).Select(i => alphabet[random[i] % 32]).ToArray();
        return "VT" + new string(chars) + alphabet[n % 32];
    }

    /// <summary>A canonical (RFC 8785) record, so its keccak256 is the hash of its bytes as written.</summary>
    public static string Record(string code, string what, int n) => $"{{\"n\":{n},\"piece\":\"{code}\",\"what\":\"{what}\"}}";

    /// <summary>Registers <paramref name="code"/> by <paramref name="artisan"/> with the given makers; returns the claim key.</summary>
    public async Task<EthKey> RegisterAsync(EthKey artisan, string code, params EthKey[] makers)
    {
        var claim = EthKey.Generate();
        var json = Record(code, "registration", 1);
        var sorted = makers.Select(m => m.Address).OrderBy(a => a).Select(a => (object?)a).ToArray();
        await ActAsync(artisan, code, "Registration", json, Call("register", Id(code), Hash(json), sorted, claim.Address), claim.Address);
        return claim;
    }

    /// <summary>Appends an event of <paramref name="kind"/> (Processing … Note).</summary>
    public Task AppendAsync(EthKey actor, string code, string kind, int n) =>
        ActAsync(actor, code, kind, Record(code, kind, n), Call("appendEvent", Id(code), (int)Enum.Parse<Provenance.Ethereum.Contracts.Registry.EventKind>(kind), Hash(Record(code, kind, n))), null);

    /// <summary>Hands custody from <paramref name="from"/> to <paramref name="to"/> with <paramref name="to"/>'s signature.</summary>
    public async Task HandoffAsync(EthKey from, EthKey to, string code, int n)
    {
        var json = Record(code, "handoff", n);
        var nonce = (BigInteger)(await Read("nonces", to.Address))[0]!;
        var deadline = new BigInteger(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds());
        object?[] none = [BigInteger.Zero, BigInteger.Zero, Array.Empty<byte>()];
        object?[] action =
        [
            2, from.Address, Id(code), 0, Hash(json), to.Address, Array.Empty<object?>(), none,
            new object?[] { nonce, deadline, Array.Empty<byte>() },
        ];
        var digests = await Read("actionDigests", [action]);
        var signature = to.Sign((byte[])digests[1]!).ToHex();
        await ActAsync(from, code, "Handoff", json,
            Call("handoff", Id(code), to.Address, Hash(json), new object?[] { nonce, deadline, HexConvert.FromHex(signature) }), to.Address);
    }

    /// <summary>Flags, unflags or revokes (<paramref name="function"/> = flag/unflag/revoke).</summary>
    public Task StatusAsync(EthKey actor, string code, string function, int n)
    {
        var kind = function switch { "flag" => "Flag", "unflag" => "Unflag", _ => "Revocation" };
        var json = Record(code, function, n);
        return ActAsync(actor, code, kind, json, Call(function, Id(code), Hash(json)), null);
    }

    /// <summary>Claims with the claim key for <paramref name="owner"/> (the claim key is funded first).</summary>
    public async Task ClaimAsync(EthKey claimKey, string code, Address owner)
    {
        await FundAsync(claimKey.Address);
        await ActAsync(claimKey, code, "Claim", null, Call("claim", Id(code), owner), owner);
    }

    /// <summary>keccak256 of a piece code.</summary>
    public static byte[] Id(string code) => Keccak.Keccak256(Encoding.UTF8.GetBytes(code));

    private async Task ActAsync(EthKey actor, string code, string kind, string? json, byte[] data, Address? counterparty)
    {
        var receipt = await SendAsync(actor, data);
        var id = HexConvert.ToHex(Id(code));
        var log = receipt.Logs.Single(l => l.Topics.Count > 1 && l.Topics[1] == id);
        var state = (object?[])(await Read("piece", Id(code)))[0]!;
        var owner = (Address)state[5]!;
        Actions.Add(new ActionRecord(code, id, (long)(BigInteger)state[6]!, kind, actor.Address.ToString(), counterparty?.ToString(),
            json is null ? HexConvert.ToHex(new byte[32]) : HexConvert.ToHex(Hash(json)), json, HexConvert.ToHex((byte[])state[8]!),
            log.BlockNumber, log.LogIndex, log.TransactionHash, ((Provenance.Ethereum.Contracts.Registry.PieceStatus)(byte)(BigInteger)state[0]!).ToString(),
            ((Address)state[2]!).ToString(), owner.IsZero ? null : owner.ToString()));
    }

    private async Task FundAsync(Address to)
    {
        var fees = await Eth.GetFeeDataAsync(default);
        await SendRawAsync(Admin, new Eip1559Transaction
        {
            ChainId = _chainId, Nonce = await NonceAsync(Admin), To = to, Value = BigInteger.Pow(10, 18), GasLimit = 21_000,
            MaxFeePerGas = fees.MaxFeePerGas ?? fees.GasPrice, MaxPriorityFeePerGas = fees.MaxPriorityFeePerGas,
        });
    }

    private async Task<TransactionReceipt> SendAsync(EthKey from, byte[] data)
    {
        var fees = await Eth.GetFeeDataAsync(default);
        return await SendRawAsync(from, new Eip1559Transaction
        {
            ChainId = _chainId, Nonce = await NonceAsync(from), To = Registry, Data = data, GasLimit = 3_000_000,
            MaxFeePerGas = fees.MaxFeePerGas ?? fees.GasPrice, MaxPriorityFeePerGas = fees.MaxPriorityFeePerGas,
        });
    }

    private async Task<TransactionReceipt> SendRawAsync(EthKey from, Transaction tx)
    {
        var signed = tx.Sign(from);
        var hash = await Eth.SendRawTransactionAsync(signed.RawBytes.ToArray(), default);
        var receipt = await Eth.WaitForReceiptAsync(hash, null, default);
        if (!receipt.Succeeded)
        {
            throw new InvalidOperationException($"transaction {hash} reverted");
        }

        return receipt;
    }

    private async Task<ulong> NonceAsync(EthKey key)
    {
        if (!_nonces.TryGetValue(key.Address, out var nonce))
        {
            nonce = await Eth.GetTransactionCountAsync(key.Address, BlockParameter.Pending, default);
        }

        _nonces[key.Address] = nonce + 1;
        return nonce;
    }

    private byte[] Call(string function, params object?[] args) => _abi.GetFunction(function).Encode(args);

    private async Task<AbiValues> Read(string function, params object?[] args)
    {
        var f = _abi.GetFunction(function);
        return f.DecodeOutput(await Eth.CallAsync(new CallRequest { To = Registry, Data = f.Encode(args) }, BlockParameter.Latest, default));
    }

    private static byte[] Role(string name) => Keccak.Keccak256(name);

    private static byte[] Hash(string json) => Keccak.Keccak256(Encoding.UTF8.GetBytes(json));

    private static EthKey Key(int index) => EthKey.FromPrivateKey(HexConvert.FromHex(DevChainProcess.DevAccounts[index].PrivateKey));

    private static async Task CompileAsync()
    {
        await CompileLock.WaitAsync();
        try
        {
            var cli = Path.Combine(RepoPaths.Root, "node_modules", "hardhat", "internal", "cli", "cli.js");
            using var compile = Process.Start(new ProcessStartInfo("node", $"\"{cli}\" compile --quiet")
            {
                WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            var error = compile.StandardError.ReadToEndAsync();
            await compile.WaitForExitAsync();
            if (compile.ExitCode != 0)
            {
                throw new InvalidOperationException($"hardhat compile failed: {await error}");
            }
        }
        finally
        {
            CompileLock.Release();
        }
    }
}
