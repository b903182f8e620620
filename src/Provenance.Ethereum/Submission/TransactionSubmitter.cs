using System.Numerics;
using System.Threading.Channels;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.JsonRpc;

namespace Provenance.Ethereum.Submission;

/// <summary>
/// One sequential submitter per signing key (our Ethereum notes, rules 5–8). Requests go through one queue that
/// estimates gas, chooses fees (type 2 with <c>maxFee = 2·baseFee + tip</c> when the chain has a base fee, else
/// legacy EIP-155), allocates the nonce (from <c>eth_getTransactionCount(pending)</c>), signs, hands the signed
/// bytes to <see cref="TransactionSubmitterOptions.BeforeSend"/> and sends. On "nonce too low"/"already known" it
/// first asks the node whether our own hash is known; it resynchronises the nonce on conflicts; it gives a nonce
/// back only when the send certainly never reached the node (and, the queue being sequential, no later nonce was
/// handed out). It detects a chain reset (chain id, genesis hash, head going back). Waiting for a receipt
/// rebroadcasts a stuck transaction and bumps both fee fields by ≥10% after a while.
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

        var (chainId, head, genesis) = await ReadChainAsync(cancellationToken).ConfigureAwait(false);
        if (_options.ExpectedChainId is { } expected && expected != chainId)
        {
            throw new InvalidOperationException($"The node serves chain id {chainId}, expected {expected}.");
        }

        var nonce = await _eth.GetTransactionCountAsync(Address, BlockParameter.Pending, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _chainId = chainId;
            _lastBlock = head;
            _genesisHash = genesis;
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
    /// queue. Each result says whether the node has it, its nonce went to another transaction (sign the action
    /// anew), or the node rejected it. The nonce is resynchronised afterwards.
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
        var gas = request.GasLimit ?? await EstimateGasAsync(request, ct).ConfigureAwait(false);
        var fees = await CurrentFeesAsync(force: false, ct).ConfigureAwait(false);
        string? replaces = null;
        Exception? last = null;
        for (var attempt = 1; attempt <= _options.MaxSendAttempts; attempt++)
        {
            var nonce = await NonceAsync(ct).ConfigureAwait(false);
            var tx = new UnsignedTransaction(_chainId, nonce, request.To, request.Value, request.Data, gas, fees);
            var signed = _signer.Sign(tx);
            await BeforeSendAsync(new BeforeSendContext(signed.Raw, signed.Hash, nonce, replaces), ct).ConfigureAwait(false);
            var outcome = await SendRawAsync(signed, ct).ConfigureAwait(false);
            switch (outcome.Kind)
            {
                case SendOutcomeKind.Accepted:
                case SendOutcomeKind.Unconfirmed:
                    Advance(nonce);
                    return new PendingTransaction(nonce, tx, signed, Volatile.Read(ref _generation), outcome.Kind == SendOutcomeKind.Accepted);
                case SendOutcomeKind.NotDelivered:
                    // Never reached the node and nothing later was handed out: the nonce stays free.
                    throw outcome.Error!;
                case SendOutcomeKind.NonceConflict:
                    Resync();
                    break;
                case SendOutcomeKind.FeeTooLow:
                    var fresh = await CurrentFeesAsync(force: true, ct).ConfigureAwait(false);
                    fees = fees.Bump(_options.FeeBumpPercent) is Eip1559Fees b && fresh is Eip1559Fees f ? b.Max(f) : fresh;
                    break;
                default:
                    throw outcome.Error!;
            }

            replaces = signed.Hash;
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

    private async Task<ulong> NonceAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            if (_nextNonce is { } known)
            {
                return known;
            }
        }

        var pending = await _eth.GetTransactionCountAsync(Address, BlockParameter.Pending, ct).ConfigureAwait(false);
        lock (_gate)
        {
            _nextNonce ??= pending;
            return _nextNonce.Value;
        }
    }

    private void Advance(ulong used)
    {
        lock (_gate)
        {
            _nextNonce = used + 1;
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
        var results = new List<ResubmitResult>(transactions.Length);
        foreach (var persisted in transactions)
        {
            var signed = new SignedTransaction(persisted.Raw, persisted.Hash);
            var outcome = await SendRawAsync(signed, ct).ConfigureAwait(false);
            results.Add(outcome.Kind switch
            {
                SendOutcomeKind.Accepted or SendOutcomeKind.Unconfirmed => new ResubmitResult(
                    persisted, ResubmitOutcome.Known,
                    new PendingTransaction(persisted.Nonce, null, signed, Volatile.Read(ref _generation), outcome.Kind == SendOutcomeKind.Accepted),
                    null),
                SendOutcomeKind.NonceConflict when outcome.SendError == SendErrorKind.NonceTooLow =>
                    new ResubmitResult(persisted, ResubmitOutcome.NonceUsedByOther, null, outcome.Error),
                _ => new ResubmitResult(persisted, ResubmitOutcome.Rejected, null, outcome.Error),
            });
        }

        Resync();
        return results;
    }

    private sealed class WorkItem(TransactionRequest? request, PersistedTransaction[]? persisted, CancellationToken cancellationToken)
    {
        public TransactionRequest? Request { get; } = request;

        public PersistedTransaction[]? Persisted { get; } = persisted;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<PendingTransaction> Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<ResubmitResult>? ResubmitResults { get; set; }
    }
}
