using System.Numerics;
using System.Threading.Channels;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.JsonRpc;
using Provenance.Ethereum.Transactions;

namespace Provenance.Ethereum.Submission;

/// <summary>
/// One sequential submitter per signing key (our Ethereum notes, rules 5–8). Requests go through one queue that
/// estimates gas, chooses fees (type 2 with <c>maxFee = 2·baseFee + tip</c> when the chain has a base fee, else
/// legacy EIP-155), allocates the nonce (from <c>eth_getTransactionCount(pending)</c>), signs, hands the signed
/// bytes to <see cref="TransactionSubmitterOptions.BeforeSend"/> and sends. On "nonce too low"/"already known" it
/// first asks the node whether our own hash is known; it resynchronises the nonce on conflicts; it gives a nonce
/// back only when the send certainly never reached the node (and, the queue being sequential, no later nonce was
/// handed out). It detects a chain reset (chain id, genesis hash, head going back, a block it saw replaced). Waiting
/// for a receipt rebroadcasts a stuck transaction and bumps both fee fields by ≥10% after a while (EIP-1559
/// replacement rule), building on the last fees tried when the node refused a bump.
/// </summary>
public sealed partial class TransactionSubmitter : IAsyncDisposable
{
    private readonly EthClient _eth;
    private readonly ITransactionSigner _signer;
    private readonly TransactionSubmitterOptions _options;
    private readonly Channel<WorkItem> _queue = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private Task? _loop;

    // Nonce and chain state; written under _gate.
    private ulong? _nextNonce;
    private ulong _chainId;
    private string? _genesisHash;
    private ulong _lastBlock;
    private (ulong Number, string Hash)? _anchor;
    private long _generation;
    private ChainResetInfo? _lastReset;
    private string? _fault;

    // Fee cache (queue thread and monitors).
    private FeeData? _fees;
    private DateTimeOffset _feesAt;

    /// <summary>Creates a submitter for <paramref name="signer"/>'s account; call <see cref="StartAsync"/> before submitting.</summary>
    public TransactionSubmitter(EthClient eth, ITransactionSigner signer, TransactionSubmitterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(eth);
        ArgumentNullException.ThrowIfNull(signer);
        _options = options ?? new TransactionSubmitterOptions();
        _options.Validate();
        _eth = eth;
        _signer = signer;
    }

    /// <summary>The sending account.</summary>
    public Address Address => _signer.Address;

    /// <summary>The chain id transactions are signed for (read at start).</summary>
    public ulong ChainId => _chainId;

    /// <summary>The nonce the next new transaction gets, when known (null until resynchronised).</summary>
    public ulong? NextNonce
    {
        get { lock (_gate) { return _nextNonce; } }
    }

    /// <summary>
    /// Reads the chain id (and checks it against <see cref="TransactionSubmitterOptions.ExpectedChainId"/>), the
    /// genesis hash, the head and the pending nonce, then starts the queue.
    /// </summary>
    /// <exception cref="InvalidOperationException">The node serves another chain than expected.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("The submitter is already started.");
        }

        var chain = await ReadChainAsync(null, null, cancellationToken).ConfigureAwait(false);
        if (_options.ExpectedChainId is { } expected && expected != chain.ChainId)
        {
            throw new InvalidOperationException($"The node serves chain id {chain.ChainId}, expected {expected}.");
        }

        var nonce = await NodeNonceAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _chainId = chain.ChainId;
            _lastBlock = chain.Head;
            _anchor = _options.ReorgTolerance == 0 ? (chain.Head, chain.HeadHash) : null;
            _genesisHash = chain.Genesis;
            _nextNonce = nonce;
        }

        _lastChainCheck = DateTimeOffset.UtcNow;
        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>
    /// Queues a transaction and returns once the node accepted it (or, when the answer was lost, once its nonce is
    /// held for it and it will be rebroadcast). Calls from many threads are served in order, one at a time.
    /// </summary>
    /// <exception cref="ContractRevertedException">Gas estimation reverted (nothing was signed).</exception>
    /// <exception cref="RpcException">The node rejected it or was unreachable; its nonce was not consumed.</exception>
    /// <exception cref="TransactionSubmissionException">It could not be placed after resynchronising.</exception>
    public Task<PendingTransaction> SubmitAsync(TransactionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var item = new WorkItem(request, null, cancellationToken);
        Enqueue(item);
        return item.Sent.Task;
    }

    /// <summary>Submits and then waits for the receipt (see <see cref="WaitForReceiptAsync"/>).</summary>
    public async Task<TransactionReceipt> SubmitAndWaitAsync(TransactionRequest request, CancellationToken cancellationToken)
    {
        var pending = await SubmitAsync(request, cancellationToken).ConfigureAwait(false);
        return await WaitForReceiptAsync(pending, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends persisted signed transactions again (after a restart or a chain rollback), in nonce order, through the
    /// queue. Each is decoded with <see cref="TransactionDecoder"/> and must match its stored hash and nonce, this
    /// sender and the chain id (else it is <see cref="ResubmitOutcome.Rejected"/> unsent). When the node refuses its
    /// fees (below the base fee, or "replacement underpriced"), it is re-signed with both fee fields raised by
    /// <see cref="TransactionSubmitterOptions.FeeBumpPercent"/> (through the BeforeSend hook, <c>Replaces</c> = the
    /// stored hash), raising again from the refused fees up to <see cref="TransactionSubmitterOptions.MaxSendAttempts"/>
    /// times; the returned <see cref="PendingTransaction"/> can be fee-bumped by <see cref="WaitForReceiptAsync"/> like
    /// a new one. Transactions with the same nonce (one and its fee-bumped replacements) are one slot: only the one with
    /// the highest fees is sent, and all of them get its result (its hashes include theirs). Each result says whether
    /// the node has it, its nonce went to another transaction (sign the action anew), or it was rejected. The next
    /// nonce is resynchronised afterwards, never below a run of nonces the node has just confirmed having.
    /// </summary>
    public async Task<IReadOnlyList<ResubmitResult>> ResubmitAsync(
        IEnumerable<PersistedTransaction> transactions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var item = new WorkItem(null, [.. transactions.OrderBy(t => t.Nonce)], cancellationToken);
        Enqueue(item);
        await item.Sent.Task.ConfigureAwait(false);
        return item.ResubmitResults!;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stopping
            }
        }

        while (_queue.Reader.TryRead(out var item))
        {
            item.Sent.TrySetException(new ObjectDisposedException(nameof(TransactionSubmitter)));
        }

        _stop.Dispose();
    }

    private void Enqueue(WorkItem item)
    {
        if (_loop is null)
        {
            throw new InvalidOperationException("Call StartAsync first.");
        }

        if (!_queue.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(nameof(TransactionSubmitter));
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        await foreach (var item in _queue.Reader.ReadAllAsync(stop).ConfigureAwait(false))
        {
            if (item.CancellationToken.IsCancellationRequested)
            {
                item.Sent.TrySetCanceled(item.CancellationToken);
                continue;
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, item.CancellationToken);
            try
            {
                if (item.Request is not null)
                {
                    item.Sent.TrySetResult(await SendNewAsync(item.Request, linked.Token).ConfigureAwait(false));
                }
                else
                {
                    item.ResubmitResults = await ResendPersistedAsync(item.Persisted!, linked.Token).ConfigureAwait(false);
                    item.Sent.TrySetResult(null!);
                }
            }
            catch (OperationCanceledException e) when (item.CancellationToken.IsCancellationRequested || stop.IsCancellationRequested)
            {
                item.Sent.TrySetCanceled(e.CancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The request fails; the queue goes on with the next one.
                item.Sent.TrySetException(e);
            }
        }
    }

    private async Task<PendingTransaction> SendNewAsync(TransactionRequest request, CancellationToken ct)
    {
        await CheckChainAsync(force: false, ct).ConfigureAwait(false);
        ThrowIfFaulted();
        var gas = request.GasLimit ?? Math.Max(await EstimateGasAsync(request, ct).ConfigureAwait(false), request.MinGasLimit ?? 0);
        var fees = await CurrentFeesAsync(force: false, ct).ConfigureAwait(false);
        string? replaces = null;
        Exception? last = null;
        for (var attempt = 1; attempt <= _options.MaxSendAttempts; attempt++)
        {
            var (nonce, generation) = await NonceAsync(ct).ConfigureAwait(false);
            var tx = new UnsignedTransaction(_chainId, nonce, request.To, request.Value, request.Data, gas, fees);
            var signed = _signer.Sign(tx);
            await BeforeSendAsync(new BeforeSendContext(signed.ToArray(), signed.HashHex, nonce, replaces), ct).ConfigureAwait(false);
            var outcome = await SendRawAsync(signed, ct).ConfigureAwait(false);
            switch (outcome.Kind)
            {
                case SendOutcomeKind.Accepted:
                case SendOutcomeKind.Unconfirmed:
                    Advance(nonce, generation);
                    return new PendingTransaction(nonce, tx, signed, generation, outcome.Kind == SendOutcomeKind.Accepted);
                case SendOutcomeKind.NotDelivered:
                    // Never reached the node and nothing later was handed out: the nonce stays free.
                    throw outcome.Error!;
                case SendOutcomeKind.NonceConflict:
                    Resync();
                    break;
                case SendOutcomeKind.FeeTooLow:
                    // Build on the fees just refused (not on the cached network fees again).
                    fees = await RaisedFeesAsync(fees, ct).ConfigureAwait(false);
                    break;
                default:
                    throw outcome.Error!;
            }

            replaces = signed.HashHex;
            last = outcome.Error;
        }

        throw new TransactionSubmissionException(
            $"No nonce could be placed for {Address} after {_options.MaxSendAttempts} attempts: {last?.Message}", last);
    }

    private async Task<ulong> EstimateGasAsync(TransactionRequest request, CancellationToken ct)
    {
        var estimate = await _eth.EstimateGasAsync(
            new CallRequest { From = Address, To = request.To, Data = request.Data, Value = request.Value }, ct).ConfigureAwait(false);
        return estimate + (estimate * (ulong)_options.GasMarginPercent / 100);
    }

    private async Task<TransactionFees> CurrentFeesAsync(bool force, CancellationToken ct)
    {
        var fees = _fees;
        if (force || fees is null || DateTimeOffset.UtcNow - _feesAt >= _options.FeeRefreshInterval)
        {
            fees = await _eth.GetFeeDataAsync(ct).ConfigureAwait(false);
            _fees = fees;
            _feesAt = DateTimeOffset.UtcNow;
        }

        return fees.MaxFeePerGas is { } maxFee
            ? new Eip1559Fees(maxFee, fees.MaxPriorityFeePerGas)
            : new LegacyFees(fees.GasPrice);
    }

    /// <summary>The next nonce and the chain generation it belongs to (read from the node when not known).</summary>
    private async Task<(ulong Nonce, long Generation)> NonceAsync(CancellationToken ct)
    {
        while (true)
        {
            long generation;
            lock (_gate)
            {
                if (_nextNonce is { } known)
                {
                    return (known, _generation);
                }

                generation = _generation;
            }

            var count = await NodeNonceAsync(ct).ConfigureAwait(false);
            lock (_gate)
            {
                if (generation == _generation)
                {
                    _nextNonce ??= count;
                    return (_nextNonce.Value, generation);
                }
            }

            // A chain reset was detected while the count was read: read it again from the new chain.
        }
    }

    /// <summary>
    /// The node's next nonce for our account: the larger of its pending and latest counts (Anvil derives "pending"
    /// from the highest pooled nonce and can answer below the mined count while its pool still holds a mined one).
    /// </summary>
    private async Task<ulong> NodeNonceAsync(CancellationToken ct)
    {
        var batch = new JsonRpcBatch();
        var pending = batch.Add(EthCalls.GetTransactionCount(Address, BlockParameter.Pending));
        var latest = batch.Add(EthCalls.GetTransactionCount(Address, BlockParameter.Latest));
        await _eth.Rpc.SendBatchAsync(batch, ct).ConfigureAwait(false);
        return Math.Max(await pending.ConfigureAwait(false), await latest.ConfigureAwait(false));
    }

    /// <summary>Moves past <paramref name="used"/>, unless a chain reset since made that nonce meaningless.</summary>
    private void Advance(ulong used, long generation)
    {
        lock (_gate)
        {
            if (generation == _generation)
            {
                _nextNonce = used + 1;
            }
        }
    }

    private void Resync()
    {
        lock (_gate)
        {
            _nextNonce = null;
        }
    }

    private Task BeforeSendAsync(BeforeSendContext context, CancellationToken ct) =>
        _options.BeforeSend?.Invoke(context, ct) ?? Task.CompletedTask;

    private void ThrowIfFaulted()
    {
        if (_fault is { } fault)
        {
            throw new InvalidOperationException(fault);
        }
    }

    private async Task<IReadOnlyList<ResubmitResult>> ResendPersistedAsync(PersistedTransaction[] transactions, CancellationToken ct)
    {
        await CheckChainAsync(force: true, ct).ConfigureAwait(false);
        ThrowIfFaulted();
        var generation = Volatile.Read(ref _generation);
        var results = new ResubmitResult[transactions.Length];
        var slots = new SortedDictionary<ulong, List<(int Index, SignedTransaction Signed)>>();
        for (var i = 0; i < transactions.Length; i++)
        {
            if (Validate(transactions[i], out var signed) is { } invalid)
            {
                results[i] = new ResubmitResult(transactions[i], ResubmitOutcome.Rejected, null, invalid);
                continue;
            }

            var nonce = signed!.Transaction.Nonce;
            if (!slots.TryGetValue(nonce, out var slot))
            {
                slots[nonce] = slot = [];
            }

            slot.Add((i, signed));
        }

        foreach (var slot in slots.Values)
        {
            var (index, signed) = slot.OrderByDescending(s => PricePerGas(s.Signed.Transaction)).ThenByDescending(s => s.Index).First();
            var result = await ResendOneAsync(transactions[index], signed, generation, ct).ConfigureAwait(false);
            foreach (var (member, sibling) in slot)
            {
                result.Pending?.AddHash(sibling.HashHex);
                results[member] = result with { Transaction = transactions[member] };
            }
        }

        // The node's count can lag sends it has just accepted (its pool is updated asynchronously on some nodes):
        // never go below a contiguous run of nonces it confirmed having. A gap left by a rejected one is not skipped:
        // the next request fills it.
        var next = await NodeNonceAsync(ct).ConfigureAwait(false);
        foreach (var nonce in results.Where(r => r.Outcome == ResubmitOutcome.Known).Select(r => r.Pending!.Nonce).Distinct().Order())
        {
            if (nonce == next)
            {
                next++;
            }
        }

        lock (_gate)
        {
            _nextNonce = generation == _generation ? next : null;
        }

        return results;
    }

    private async Task<ResubmitResult> ResendOneAsync(PersistedTransaction persisted, SignedTransaction signed, long generation, CancellationToken ct)
    {
        var nonce = signed.Transaction.Nonce;
        var fields = UnsignedTransaction.FromTransaction(signed.Transaction);
        var outcome = await SendRawAsync(signed, ct).ConfigureAwait(false);
        if (outcome.Kind is SendOutcomeKind.Accepted or SendOutcomeKind.Unconfirmed)
        {
            return new ResubmitResult(
                persisted, ResubmitOutcome.Known,
                new PendingTransaction(nonce, fields, signed, generation, outcome.Kind == SendOutcomeKind.Accepted), null);
        }

        if (IsFeeRefusal(outcome) && fields is not null)
        {
            // Its fees no longer do (the base fee rose, or another of ours is pooled with more): re-sign it higher.
            var pending = new PendingTransaction(nonce, fields, signed, generation, confirmedByNode: false);
            outcome = await BumpFeesAsync(pending, ct).ConfigureAwait(false);
            if (outcome.Kind is SendOutcomeKind.Accepted or SendOutcomeKind.Unconfirmed)
            {
                pending.ConfirmedByNode = outcome.Kind == SendOutcomeKind.Accepted;
                return new ResubmitResult(persisted, ResubmitOutcome.Known, pending, null);
            }
        }

        return outcome.Kind == SendOutcomeKind.NonceConflict && outcome.SendError == SendErrorKind.NonceTooLow
            ? new ResubmitResult(persisted, ResubmitOutcome.NonceUsedByOther, null, outcome.Error)
            : new ResubmitResult(persisted, ResubmitOutcome.Rejected, null, outcome.Error);
    }

    /// <summary>Decodes a persisted transaction and checks it is ours, for this chain, and what the store says it is.</summary>
    private Exception? Validate(PersistedTransaction persisted, out SignedTransaction? signed)
    {
        signed = null;
        try
        {
            signed = TransactionDecoder.Decode(persisted.Raw);
        }
        catch (FormatException e)
        {
            return new TransactionSubmissionException($"Persisted transaction {persisted.Hash} does not decode: {e.Message}", e);
        }

        var tx = signed.Transaction;
        ulong? chainId = tx switch
        {
            TypedTransaction t => t.ChainId,
            LegacyTransaction t => t.ChainId,
            _ => null,
        };
        string? problem = null;
        if (!string.Equals(signed.HashHex, persisted.Hash, StringComparison.OrdinalIgnoreCase))
        {
            problem = $"its bytes hash to {signed.HashHex}";
        }
        else if (tx.Nonce != persisted.Nonce)
        {
            problem = $"its bytes carry nonce {tx.Nonce}, the store says {persisted.Nonce}";
        }
        else if (chainId is { } id && id != _chainId)
        {
            problem = $"it is signed for chain id {id}, the node serves {_chainId}";
        }
        else
        {
            try
            {
                var sender = signed.RecoverSender();
                problem = sender == Address ? null : $"it is signed by {sender}, not by {Address}";
            }
            catch (FormatException e)
            {
                problem = $"its signature does not recover: {e.Message}";
            }
        }

        return problem is null ? null : new TransactionSubmissionException($"Persisted transaction {persisted.Hash} was not sent: {problem}.");
    }

    private static BigInteger PricePerGas(Transaction tx) => tx switch
    {
        Eip1559Transaction t => t.MaxFeePerGas,
        Eip2930Transaction t => t.GasPrice,
        LegacyTransaction t => t.GasPrice,
        _ => 0,
    };

    private sealed class WorkItem(TransactionRequest? request, PersistedTransaction[]? persisted, CancellationToken cancellationToken)
    {
        public TransactionRequest? Request { get; } = request;

        public PersistedTransaction[]? Persisted { get; } = persisted;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<PendingTransaction> Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<ResubmitResult>? ResubmitResults { get; set; }
    }
}
