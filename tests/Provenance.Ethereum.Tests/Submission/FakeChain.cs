using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.JsonRpc;
using Provenance.Ethereum.Submission;

namespace Provenance.Ethereum.Tests.Submission;

/// <summary>
/// A fake signer whose "raw transaction" is readable text (nonce, fees, gas, calldata) and whose hash is a SHA-256:
/// enough for the <see cref="FakeChain"/> to play a node with a nonce-checking pool.
/// </summary>
internal sealed class FakeSigner(Address address) : ITransactionSigner
{
    public Address Address { get; } = address;

    public int Signed;

    public SignedTransaction Sign(UnsignedTransaction tx)
    {
        Interlocked.Increment(ref Signed);
        var fees = tx.Fees switch
        {
            Eip1559Fees f => $"2:{f.MaxFeePerGas}:{f.MaxPriorityFeePerGas}",
            LegacyFees l => $"0:{l.GasPrice}:0",
            _ => throw new InvalidOperationException(),
        };
        var text = $"{tx.ChainId}|{tx.Nonce}|{fees}|{tx.GasLimit}|{HexConvert.ToHex(tx.Data)}";
        var raw = Encoding.UTF8.GetBytes(text);
        return new SignedTransaction(raw, HexConvert.ToHex(SHA256.HashData(raw)));
    }

    public static (ulong Nonce, string Fees, BigInteger MaxFee, BigInteger Tip) Parse(byte[] raw)
    {
        var parts = Encoding.UTF8.GetString(raw).Split('|');
        var fees = parts[2].Split(':');
        return (ulong.Parse(parts[1]), parts[2], BigInteger.Parse(fees[1]), BigInteger.Parse(fees[2]));
    }
}

/// <summary>
/// An in-process node for fault injection: chain id 31337, one account, automine (a send with the next nonce is
/// mined into its own block; a nonce gap is refused like Hardhat's automine; "already known"/"nonce too low"
/// like geth), optional "manual mining" mode where sends stay pooled, and hooks to drop sends.
/// </summary>
internal sealed class FakeChain : HttpMessageHandler
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (ulong Nonce, ulong? Block, byte[] Raw)> _txs = [];
    private readonly Dictionary<ulong, string> _minedByNonce = [];
    private readonly Dictionary<ulong, string> _pooledByNonce = [];

    public ulong ChainId { get; set; } = 31337;
    public string Genesis { get; set; } = "0x" + new string('a', 64);
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

    /// <summary>Forgets everything, as a restarted in-memory node does.</summary>
    public void Reset(string? newGenesis = null)
    {
        lock (_gate)
        {
            _txs.Clear();
            _minedByNonce.Clear();
            _pooledByNonce.Clear();
            MinedNonce = 0;
            Head = 0;
            if (newGenesis is not null)
            {
                Genesis = newGenesis;
            }
        }
    }

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
                    var tag = p[0].GetString();
                    var number = tag is "earliest" or "0x0" ? 0 : Head;
                    var hash = number == 0 ? Genesis : "0x" + number.ToString("x64");
                    return Result($$"""{"number":{{Q(number)}},"hash":"{{hash}}","parentHash":"0x{{new string('0', 64)}}","timestamp":"0x1","gasLimit":"0x1c9c380","gasUsed":"0x0","baseFeePerGas":{{Q(BaseFee)}},"transactions":[]}""");
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
                    return _txs.TryGetValue(h, out var t) ? Result(TxJson(h, t)) : Result("null");
                case "eth_getTransactionReceipt":
                    var rh = p[0].GetString()!;
                    return _txs.TryGetValue(rh, out var r) && r.Block is { } b ? Result(ReceiptJson(rh, b)) : Result("null");
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
        var hash = HexConvert.ToHex(SHA256.HashData(raw));
        var (nonce, _, maxFee, tip) = FakeSigner.Parse(raw);
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
            var (_, _, oldFee, oldTip) = FakeSigner.Parse(_txs[existing].Raw);
            if (maxFee * 10 < oldFee * 11 || tip * 10 < oldTip * 11)
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

    private static string TxJson(string hash, (ulong Nonce, ulong? Block, byte[] Raw) t) =>
        $$"""{"hash":"{{hash}}","nonce":"{{HexConvert.ToQuantity(t.Nonce)}}","from":"0x1000000000000000000000000000000000000001","to":null,"value":"0x0","input":"0x","gas":"0x5208","type":"0x2","blockHash":{{(t.Block is { } b ? $"\"0x{b:x64}\"" : "null")}},"blockNumber":{{(t.Block is { } n ? $"\"{HexConvert.ToQuantity(n)}\"" : "null")}},"transactionIndex":null}""";

    private static string ReceiptJson(string hash, ulong block) =>
        $$"""{"transactionHash":"{{hash}}","transactionIndex":"0x0","blockHash":"0x{{block:x64}}","blockNumber":"{{HexConvert.ToQuantity(block)}}","from":"0x1000000000000000000000000000000000000001","to":null,"contractAddress":null,"gasUsed":"0x5208","cumulativeGasUsed":"0x5208","effectiveGasPrice":"0x1","status":"0x1","type":"0x2","logs":[]}""";
}
