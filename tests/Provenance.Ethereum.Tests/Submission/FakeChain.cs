using System.Net;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.JsonRpc;
using Provenance.Ethereum.Submission;
using Provenance.Ethereum.Transactions;

namespace Provenance.Ethereum.Tests.Submission;

/// <summary>
/// The signer of the fault tests: our own EIP-1559/EIP-155 signing with a fixed key (so <see cref="FakeChain"/> reads
/// real transactions with <see cref="TransactionDecoder"/>), counting signatures. With
/// <paramref name="fixedSignature"/> every transaction carries one well-formed signature that does not recover to
/// <see cref="Address"/> (the fake node does not check senders): for the throughput test, where ~1 ms per signature
/// would dominate and the signature is not what is tested.
/// </summary>
internal sealed class FakeSigner(EthKey? key = null, bool fixedSignature = false) : ITransactionSigner
{
    /// <summary>The default key (not a dev account: nothing else uses it).</summary>
    public static readonly EthKey DefaultKey = EthKey.FromPrivateKey("0x" + new string('1', 63) + "7");

    private static readonly EthSignature Fixed = DefaultKey.Sign(new byte[32]);

    private readonly EthKeySigner _inner = new(key ?? DefaultKey);

    public Address Address => _inner.Address;

    public int Signed;

    public SignedTransaction Sign(UnsignedTransaction tx)
    {
        Interlocked.Increment(ref Signed);
        return fixedSignature ? tx.ToTransaction().WithSignature(Fixed) : _inner.Sign(tx);
    }

    /// <summary>Nonce and fee fields of signed bytes (legacy: the gas price in both).</summary>
    public static (ulong Nonce, BigInteger MaxFee, BigInteger Tip) Parse(byte[] raw) => TransactionDecoder.Decode(raw).Transaction switch
    {
        Eip1559Transaction t => (t.Nonce, t.MaxFeePerGas, t.MaxPriorityFeePerGas),
        LegacyTransaction t => (t.Nonce, t.GasPrice, t.GasPrice),
        var t => throw new InvalidOperationException($"unexpected {t.Type}"),
    };
}

/// <summary>
/// An in-process node for fault injection: chain id 31337, one account, real transactions (decoded with
/// <see cref="TransactionDecoder"/>), automine (a send with the next nonce is mined into its own block; a nonce gap is
/// refused like Hardhat's automine; "already known"/"nonce too low" like geth; a replacement must raise both fee
/// fields by <see cref="MinReplacementPercent"/>), optional "manual mining" mode where sends stay pooled, hooks to drop
/// sends, and block hashes that change when the chain is reset (but not when only the pool is lost).
/// </summary>
internal sealed class FakeChain : HttpMessageHandler
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (ulong Nonce, ulong? Block, byte[] Raw)> _txs = [];
    private readonly Dictionary<ulong, string> _minedByNonce = [];
    private readonly Dictionary<ulong, string> _pooledByNonce = [];

    private int _epoch;

    public ulong ChainId { get; set; } = 31337;
    public string Genesis { get; set; } = "0x" + new string('a', 64);

    /// <summary>How much a replacement must raise both fee fields (geth: 10).</summary>
    public int MinReplacementPercent { get; set; } = 10;
    public ulong Head { get; set; } = 10;
    public ulong MinedNonce { get; private set; }
    public bool Automine { get; set; } = true;
    public BigInteger BaseFee { get; set; } = 1_000;
    public List<string> Calls { get; } = [];

    /// <summary>Before a send is processed: return an exception to throw (HttpRequestException = transport failure) or an error JSON to answer.</summary>
    public Func<byte[], int, (Exception? Throw, string? ErrorJson, bool ProcessFirst)>? OnSend { get; set; }

    public int Sends;

    public List<byte[]> Accepted { get; } = [];

    public EthClient CreateEth() =>
        new(new JsonRpcClient(new HttpClient(this, disposeHandler: false), new JsonRpcClientOptions { Endpoint = new Uri("http://fake-chain.invalid/"), RetryOnConnectionLost = false }));

    /// <summary>Another sender uses nonce <paramref name="nonce"/> behind our back (mined at once).</summary>
    public void MineForeign(ulong nonce)
    {
        lock (_gate)
        {
            if (_pooledByNonce.Remove(nonce, out var ours))
            {
                _txs.Remove(ours); // the pool drops a transaction whose nonce was mined by another
            }

            var hash = "0x" + new string('f', 62) + $"{nonce % 256:x2}";
            _txs[hash] = (nonce, ++Head, []);
            _minedByNonce[nonce] = hash;
            MinedNonce = Math.Max(MinedNonce, nonce + 1);
        }
    }

    /// <summary>Mines every pooled transaction in nonce order.</summary>
    public void MineAll()
    {
        lock (_gate)
        {
            while (_pooledByNonce.Remove(MinedNonce, out var hash))
            {
                var tx = _txs[hash];
                _txs[hash] = (tx.Nonce, ++Head, tx.Raw);
                _minedByNonce[tx.Nonce] = hash;
                MinedNonce++;
            }
        }
    }

    /// <summary>Forgets everything, as a restarted in-memory node does: blocks above genesis get new hashes.</summary>
    public void Reset(string? newGenesis = null)
    {
        lock (_gate)
        {
            _txs.Clear();
            _minedByNonce.Clear();
            _pooledByNonce.Clear();
            MinedNonce = 0;
            Head = 0;
            _epoch++;
            if (newGenesis is not null)
            {
                Genesis = newGenesis;
            }
        }
    }

    /// <summary>Forgets the pooled (unmined) transactions only, as a node restarted on its persisted chain does.</summary>
    public void DropPool()
    {
        lock (_gate)
        {
            foreach (var hash in _pooledByNonce.Values)
            {
                _txs.Remove(hash);
            }

            _pooledByNonce.Clear();
        }
    }

    /// <summary>Mines <paramref name="count"/> empty blocks.</summary>
    public void MineEmpty(int count)
    {
        lock (_gate)
        {
            Head += (ulong)count;
        }
    }

    /// <summary>The signed bytes of a transaction the node knows (pooled or mined).</summary>
    public byte[]? Raw(string hash)
    {
        lock (_gate)
        {
            return _txs.TryGetValue(hash, out var t) ? t.Raw : null;
        }
    }

    /// <summary>The hash of block <paramref name="number"/> in the current chain (genesis: <see cref="Genesis"/>).</summary>
    public string BlockHash(ulong number) =>
        number == 0 ? Genesis : HexConvert.ToHex(Keccak.Keccak256($"{Genesis}/{_epoch}/{number}"));

    public IReadOnlyList<ulong> MinedNonces()
    {
        lock (_gate)
        {
            return [.. _minedByNonce.Keys.Order()];
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsStringAsync(cancellationToken);
        using var doc = JsonDocument.Parse(body);
        string json;
        if (doc.RootElement.ValueKind == JsonValueKind.Array)
        {
            var answers = new List<string>();
            foreach (var call in doc.RootElement.EnumerateArray())
            {
                answers.Add(Answer(call));
            }

            json = "[" + string.Join(",", answers) + "]";
        }
        else
        {
            json = Answer(doc.RootElement);
        }

        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
    }

    private string Answer(JsonElement call)
    {
        var id = call.GetProperty("id").GetRawText();
        var method = call.GetProperty("method").GetString()!;
        var p = call.GetProperty("params");
        lock (Calls)
        {
            Calls.Add(method);
        }

        string Result(string r) => "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + r + "}";
        string Error(string m) => "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32000,\"message\":" + JsonSerializer.Serialize(m) + "}}";
        string Q(BigInteger v) => $"\"{HexConvert.ToQuantity(v)}\"";

        lock (_gate)
        {
            switch (method)
            {
                case "eth_chainId":
                    return Result(Q(ChainId));
                case "eth_blockNumber":
                    return Result(Q(Head));
                case "eth_getBlockByNumber":
                    var tag = p[0].GetString()!;
                    var number = tag switch { "earliest" => 0UL, "latest" or "pending" => Head, _ => HexConvert.ParseQuantityUInt64(tag) };
                    if (number > Head)
                    {
                        return Result("null");
                    }

                    return Result($$"""{"number":{{Q(number)}},"hash":"{{BlockHash(number)}}","parentHash":"0x{{new string('0', 64)}}","timestamp":"0x1","gasLimit":"0x1c9c380","gasUsed":"0x0","baseFeePerGas":{{Q(BaseFee)}},"transactions":[]}""");
                case "eth_maxPriorityFeePerGas":
                    return Result(Q(100));
                case "eth_gasPrice":
                    return Result(Q(BaseFee + 100));
                case "eth_estimateGas":
                    return Result(Q(50_000));
                case "eth_getTransactionCount":
                    var pending = p[1].GetString() == "pending";
                    var count = MinedNonce;
                    while (pending && _pooledByNonce.ContainsKey(count))
                    {
                        count++;
                    }

                    return Result(Q(count));
                case "eth_getTransactionByHash":
                    var h = p[0].GetString()!;
                    return _txs.TryGetValue(h, out var t) ? Result(TxJson(h, t, t.Block is { } tb ? BlockHash(tb) : null)) : Result("null");
                case "eth_getTransactionReceipt":
                    var rh = p[0].GetString()!;
                    return _txs.TryGetValue(rh, out var r) && r.Block is { } b ? Result(ReceiptJson(rh, b, BlockHash(b))) : Result("null");
                case "eth_sendRawTransaction":
                    return Send(HexConvert.FromHex(p[0].GetString()!), Result, Error);
                default:
                    return Error($"method {method} not faked");
            }
        }
    }

    private string Send(byte[] raw, Func<string, string> result, Func<string, string> error)
    {
        var n = Interlocked.Increment(ref Sends);
        string? injectedError = null;
        if (OnSend?.Invoke(raw, n) is { } inject)
        {
            if (inject.Throw is not null && !inject.ProcessFirst)
            {
                throw inject.Throw;
            }

            injectedError = inject.ErrorJson;
            if (inject.ProcessFirst)
            {
                _ = Process(raw, result, error);
                if (inject.Throw is not null)
                {
                    throw inject.Throw;
                }
            }

            if (injectedError is not null)
            {
                return error(injectedError);
            }
        }

        return Process(raw, result, error);
    }

    private string Process(byte[] raw, Func<string, string> result, Func<string, string> error)
    {
        ulong nonce;
        BigInteger maxFee, tip;
        try
        {
            (nonce, maxFee, tip) = FakeSigner.Parse(raw);
        }
        catch (FormatException e)
        {
            return error($"invalid transaction: {e.Message}");
        }

        var hash = HexConvert.ToHex(Keccak.Keccak256(raw));
        if (_txs.ContainsKey(hash))
        {
            return error("already known");
        }

        if (nonce < MinedNonce)
        {
            return error("nonce too low");
        }

        if (maxFee < BaseFee)
        {
            return error("max fee per gas less than block base fee");
        }

        if (_pooledByNonce.TryGetValue(nonce, out var existing))
        {
            var (_, oldFee, oldTip) = FakeSigner.Parse(_txs[existing].Raw);
            var min = 100 + MinReplacementPercent;
            if (maxFee * 100 < oldFee * min || tip * 100 < oldTip * min)
            {
                return error("replacement transaction underpriced");
            }

            _txs.Remove(existing);
        }

        var pendingCount = MinedNonce;
        while (_pooledByNonce.ContainsKey(pendingCount))
        {
            pendingCount++;
        }

        if (Automine && nonce > MinedNonce)
        {
            return error($"Nonce too high. Expected nonce to be {MinedNonce} but got {nonce}.");
        }

        Accepted.Add(raw);
        _txs[hash] = (nonce, null, raw);
        _pooledByNonce[nonce] = hash;
        if (Automine)
        {
            MineAll();
        }

        return result($"\"{hash}\"");
    }

    private static string TxJson(string hash, (ulong Nonce, ulong? Block, byte[] Raw) t, string? blockHash) =>
        $$"""{"hash":"{{hash}}","nonce":"{{HexConvert.ToQuantity(t.Nonce)}}","from":"{{FakeSigner.DefaultKey.Address.ToLowerHex()}}","to":null,"value":"0x0","input":"0x","gas":"0x5208","type":"0x2","blockHash":{{(blockHash is null ? "null" : $"\"{blockHash}\"")}},"blockNumber":{{(t.Block is { } n ? $"\"{HexConvert.ToQuantity(n)}\"" : "null")}},"transactionIndex":null}""";

    private static string ReceiptJson(string hash, ulong block, string blockHash) =>
        $$"""{"transactionHash":"{{hash}}","transactionIndex":"0x0","blockHash":"{{blockHash}}","blockNumber":"{{HexConvert.ToQuantity(block)}}","from":"{{FakeSigner.DefaultKey.Address.ToLowerHex()}}","to":null,"contractAddress":null,"gasUsed":"0x5208","cumulativeGasUsed":"0x5208","effectiveGasPrice":"0x1","status":"0x1","type":"0x2","logs":[]}""";
}
