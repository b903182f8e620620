using System.Diagnostics;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.JsonRpc;

namespace Provenance.Ethereum.Submission;

public sealed partial class TransactionSubmitter
{
    private readonly SemaphoreSlim _chainCheck = new(1, 1);
    private DateTimeOffset _lastChainCheck;

    /// <summary>How long a used nonce without any of our hashes must last before it counts as replaced.</summary>
    private static readonly TimeSpan ReplacementGracePeriod = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Waits until one of <paramref name="pending"/>'s hashes has a receipt with a block hash. Meanwhile it resends
    /// the bytes after <see cref="TransactionSubmitterOptions.RebroadcastAfter"/> and re-signs with both fee fields
    /// raised by <see cref="TransactionSubmitterOptions.FeeBumpPercent"/> after
    /// <see cref="TransactionSubmitterOptions.FeeBumpAfter"/> (each replacement goes through the BeforeSend hook).
    /// </summary>
    /// <exception cref="ReceiptTimeoutException">No receipt within <see cref="TransactionSubmitterOptions.ReceiptTimeout"/>.</exception>
    /// <exception cref="ChainResetException">The chain was reset after it was sent.</exception>
    /// <exception cref="TransactionReplacedException">Its nonce was mined with another transaction.</exception>
    public async Task<TransactionReceipt> WaitForReceiptAsync(PendingTransaction pending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var clock = Stopwatch.StartNew();
        var delay = _options.ReceiptPollInterval;
        var maxDelay = TimeSpan.FromSeconds(2);
        while (true)
        {
            ThrowIfReset(pending);
            try
            {
                if (await FindReceiptAsync(pending, cancellationToken).ConfigureAwait(false) is { } receipt)
                {
                    pending.Receipt = receipt;
                    pending.ConfirmedByNode = true;
                    ObserveBlock(pending.Generation, receipt.BlockNumber, receipt.BlockHash);
                    return receipt;
                }

                await CheckChainAsync(force: false, cancellationToken).ConfigureAwait(false);
                ThrowIfReset(pending);
                await KeepAliveAsync(pending, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcTransportException)
            {
                // The node is unavailable for now; keep waiting until the overall timeout.
            }

            var left = _options.ReceiptTimeout - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new ReceiptTimeoutException(pending.Hash, _options.ReceiptTimeout);
            }

            await Task.Delay(delay < left ? delay : left, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min((long)(delay.Ticks * 1.5), Math.Max(maxDelay.Ticks, delay.Ticks)));
        }
    }

    /// <summary>
    /// Checks chain id, genesis hash, head and the highest block the submitter has seen (at start, in a chain check,
    /// or in one of its receipts) against the node (throttled to <see cref="TransactionSubmitterOptions.ChainCheckInterval"/>
    /// unless <paramref name="force"/>). A reset is: another chain id, another genesis hash, the head more than
    /// <see cref="TransactionSubmitterOptions.ReorgTolerance"/> blocks below the highest block seen, or a block held
    /// final replaced (the highest block seen; with a tolerance T, one T below a head seen). The genesis hash alone
    /// cannot tell: a dev chain restarted within the same second
    /// (Anvil, Hardhat's <c>hardhat_reset</c>) has the same one, and <c>evm_revert</c> keeps it. On a reset it
    /// resynchronises the nonce, fails the waits of earlier transactions with <see cref="ChainResetException"/> and
    /// calls <see cref="TransactionSubmitterOptions.OnChainReset"/>. Returns the reset, if one was detected now.
    /// </summary>
    public async Task<ChainResetInfo?> CheckChainAsync(bool force, CancellationToken cancellationToken)
    {
        if (!force && DateTimeOffset.UtcNow - _lastChainCheck < _options.ChainCheckInterval)
        {
            return null;
        }

        await _chainCheck.WaitAsync(cancellationToken).ConfigureAwait(false);
        ChainResetInfo? reset = null;
        try
        {
            if (!force && DateTimeOffset.UtcNow - _lastChainCheck < _options.ChainCheckInterval)
            {
                return null;
            }

            // The anchor is a block we hold final: with a reorg tolerance T, one at least T below a head we saw.
            var tolerance = _options.ReorgTolerance;
            (ulong Number, string Hash)? anchor;
            ulong? candidate = null;
            lock (_gate)
            {
                anchor = _anchor;
                if (tolerance > 0 && _lastBlock >= tolerance && (anchor is null || _lastBlock - tolerance > anchor.Value.Number))
                {
                    candidate = _lastBlock - tolerance;
                }
            }

            var chain = await ReadChainAsync(anchor, candidate, cancellationToken).ConfigureAwait(false);
            _lastChainCheck = DateTimeOffset.UtcNow;
            lock (_gate)
            {
                string? reason = null;
                if (chain.ChainId != _chainId)
                {
                    reason = $"chain id changed from {_chainId} to {chain.ChainId}";
                    _fault = $"The node now serves chain id {chain.ChainId}; this submitter signs for {_chainId}. Restart it against the right node.";
                }
                else if (!string.Equals(chain.Genesis, _genesisHash, StringComparison.OrdinalIgnoreCase))
                {
                    reason = $"genesis hash changed from {_genesisHash} to {chain.Genesis}";
                }
                else if (chain.Head + _options.ReorgTolerance < _lastBlock)
                {
                    reason = $"head went back from block {_lastBlock} to {chain.Head}";
                }
                else if (anchor is { } a && chain.AtAnchor is { } now && !string.Equals(now.Hash, a.Hash, StringComparison.OrdinalIgnoreCase))
                {
                    reason = $"block {a.Number} was replaced ({a.Hash} is now {now.Hash}) at head {chain.Head}";
                }

                if (reason is not null)
                {
                    reset = new ChainResetInfo(_chainId, chain.ChainId, _genesisHash, chain.Genesis, _lastBlock, chain.Head, reason);
                    _genesisHash = chain.Genesis;
                    _lastBlock = chain.Head;
                    _anchor = tolerance == 0 ? (chain.Head, chain.HeadHash) : null;
                    _nextNonce = null;
                    _lastReset = reset;
                    _fees = null;
                    Interlocked.Increment(ref _generation);
                }
                else
                {
                    _lastBlock = Math.Max(_lastBlock, chain.Head);
                    if (tolerance == 0)
                    {
                        // Follow the head (keep a higher block a receipt reported meanwhile).
                        if (_anchor is not { } current || current == anchor || current.Number <= chain.Head)
                        {
                            _anchor = (chain.Head, chain.HeadHash);
                        }
                    }
                    else if (chain.AtCandidate is { } deep && (_anchor is not { } current || deep.Number > current.Number))
                    {
                        _anchor = (deep.Number, deep.Hash);
                    }
                }
            }
        }
        finally
        {
            _chainCheck.Release();
        }

        if (reset is not null && _options.OnChainReset is { } callback)
        {
            await callback(reset, cancellationToken).ConfigureAwait(false);
        }

        return reset;
    }

    private sealed record ChainView(ulong ChainId, ulong Head, string HeadHash, string? Genesis, Block? AtAnchor, Block? AtCandidate);

    /// <summary>
    /// Chain id, latest block, genesis block, and the blocks at <paramref name="anchor"/>'s number and at
    /// <paramref name="candidate"/> (a deeper block to hold final next), in one batch.
    /// </summary>
    private async Task<ChainView> ReadChainAsync((ulong Number, string Hash)? anchor, ulong? candidate, CancellationToken ct)
    {
        var batch = new JsonRpcBatch();
        var chainId = batch.Add(EthCalls.ChainId());
        var head = batch.Add(EthCalls.GetBlockByNumber(BlockParameter.Latest));
        var genesis = batch.Add(EthCalls.GetBlockByNumber(BlockParameter.Earliest));
        var atAnchor = anchor is { } a ? batch.Add(EthCalls.GetBlockByNumber(a.Number)) : Task.FromResult<Block?>(null);
        var atCandidate = candidate is { } c ? batch.Add(EthCalls.GetBlockByNumber(c)) : Task.FromResult<Block?>(null);
        await _eth.Rpc.SendBatchAsync(batch, ct).ConfigureAwait(false);
        var latest = await head.ConfigureAwait(false)
            ?? throw new InvalidOperationException("The node returned no latest block.");
        return new ChainView(
            await chainId.ConfigureAwait(false), latest.Number, latest.Hash, (await genesis.ConfigureAwait(false))?.Hash,
            await atAnchor.ConfigureAwait(false), await atCandidate.ConfigureAwait(false));
    }

    /// <summary>
    /// Remembers a block a receipt of the current chain generation named: the head was at least there, and, with no
    /// reorg tolerance, that block is the one to check for replacement (with a tolerance, the next chain check picks
    /// a block that many below it).
    /// </summary>
    private void ObserveBlock(long generation, ulong number, string hash)
    {
        lock (_gate)
        {
            if (generation != _generation)
            {
                return;
            }

            _lastBlock = Math.Max(_lastBlock, number);
            if (_options.ReorgTolerance == 0 && (_anchor is not { } current || number > current.Number))
            {
                _anchor = (number, hash);
            }
        }
    }

    private void ThrowIfReset(PendingTransaction pending)
    {
        if (pending.Generation != Volatile.Read(ref _generation))
        {
            lock (_gate)
            {
                throw new ChainResetException(_lastReset!);
            }
        }
    }

    private async Task<TransactionReceipt?> FindReceiptAsync(PendingTransaction pending, CancellationToken ct)
    {
        var hashes = pending.Hashes;
        var batch = new JsonRpcBatch();
        var receipts = hashes.Select(h => batch.Add(EthCalls.GetTransactionReceipt(h))).ToList();
        var mined = batch.Add(EthCalls.GetTransactionCount(Address, BlockParameter.Latest));
        await _eth.Rpc.SendBatchAsync(batch, ct).ConfigureAwait(false);
        foreach (var r in receipts)
        {
            if (await r.ConfigureAwait(false) is { } receipt)
            {
                return receipt;
            }
        }

        if (await mined.ConfigureAwait(false) <= pending.Nonce)
        {
            pending.NonceUsedSince = null;
            return null;
        }

        // The nonce is used, yet no receipt of ours: ours may have been mined just now (a node can count the nonce
        // before it serves the receipt). Conclude "replaced" only when the node does not know any of our hashes
        // and that lasts a grace period.
        var lookups = new JsonRpcBatch();
        var known = hashes.Select(h => lookups.Add(EthCalls.GetTransactionByHash(h))).ToList();
        await _eth.Rpc.SendBatchAsync(lookups, ct).ConfigureAwait(false);
        foreach (var transaction in known)
        {
            if (await transaction.ConfigureAwait(false) is not null)
            {
                pending.NonceUsedSince = null;
                return null;
            }
        }

        var since = pending.NonceUsedSince ??= DateTimeOffset.UtcNow;
        if (DateTimeOffset.UtcNow - since >= ReplacementGracePeriod)
        {
            throw new TransactionReplacedException(pending.Nonce, hashes);
        }

        return null;
    }

    /// <summary>Rebroadcasts or fee-bumps a transaction that has waited too long.</summary>
    private async Task KeepAliveAsync(PendingTransaction pending, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        if (pending.Transaction is not null && now - pending.LastFeeChangeAt >= _options.FeeBumpAfter)
        {
            await BumpFeesAsync(pending, ct).ConfigureAwait(false);
            return;
        }

        if (now - pending.LastSentAt >= _options.RebroadcastAfter)
        {
            var outcome = await SendRawAsync(pending.Current, ct).ConfigureAwait(false);
            pending.LastSentAt = now;
            if (outcome.Kind == SendOutcomeKind.Accepted)
            {
                pending.ConfirmedByNode = true;
            }
        }
    }
}
