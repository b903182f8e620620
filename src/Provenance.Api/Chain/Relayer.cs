using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Provenance.Api.Data;
using Provenance.Api.Hosting;
using Provenance.Api.Operations;
using Provenance.Api.Security;
using Provenance.Ethereum;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.JsonRpc;
using Provenance.Ethereum.Submission;

namespace Provenance.Api.Chain;

/// <summary>Makes a transaction signer for a private key (over Provenance.Ethereum's transaction signing).</summary>
public interface ISignerFactory
{
    /// <summary>A signer for <paramref name="privateKey"/> (the signer keeps its own copy).</summary>
    ITransactionSigner Create(ReadOnlySpan<byte> privateKey);
}

/// <summary>
/// The relayer: group-commits pending operations into <c>executeBatch</c> transactions from the gateway's relayer key
/// (role grants go as direct <c>grantRole</c> transactions). It waits a bounded window (Chain:BatchWindowMs) after the
/// first pending operation so that writes arriving together share a transaction. Each signed transaction is persisted
/// with its operations marked submitted before it is sent (the submitter's BeforeSend hook); receipts are decoded
/// into per-action outcomes (ActionSucceeded / ActionFailed with the decoded reason).
/// </summary>
public sealed partial class Relayer(
    Db db, IOptions<ChainOptions> options, IRegistryCodec codec, RelayerSignal signal, RelayerAccount account,
    EthClient eth, Deployment deployment, IRegistryChain chain, ILogger<Relayer> logger) : BackgroundService
{
    private sealed class PendingOp
    {
        public required string Id { get; init; }
        public required string Kind { get; init; }
        public required string ActionJson { get; init; }
    }

    private readonly List<Task> _receiptWaits = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _followed = new();
    private string[] _inFlight = [];

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TransactionSubmitter submitter;
        while (true)
        {
            try
            {
                submitter = await account.StartAsync(BeforeSendAsync, stoppingToken);
                _submitter = submitter;
                break;
            }
            catch (Exception e) when (e is RpcException or NotSupportedException or InvalidOperationException)
            {
                logger.LogWarning("Relayer: cannot start ({Reason}); retrying in 2 s", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }

        var o = options.Value;
        var recoverAt = 0L; // recover at once: transactions persisted before the last stop
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (Environment.TickCount64 >= recoverAt)
                {
                    await RecoverAsync(submitter, stoppingToken);
                    recoverAt = Environment.TickCount64 + (long)RecoverySweepInterval.TotalMilliseconds;
                }

                await ConfirmAsync(stoppingToken);
                var batch = await NextBatchAsync(o.MaxBatchSize, stoppingToken);
                if (batch.Count == 0)
                {
                    await signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
                    if (o.BatchWindowMs > 0)
                    {
                        await Task.Delay(o.BatchWindowMs, stoppingToken); // group commit: let concurrent writes join
                    }

                    continue;
                }

                foreach (var grant in batch.Where(b => b.Kind == "grantRole"))
                {
                    var g = JsonSerializer.Deserialize(grant.ActionJson, ApiJsonContext.Default.RoleGrant)!;
                    await SendAsync(submitter, [grant.Id], RegistryCall(codec.GrantRole(g.Role, g.Account)), stoppingToken);
                }

                var actions = batch.Where(b => b.Kind != "grantRole").ToList();
                if (actions.Count > 0)
                {
                    var signed = actions.Select(a => JsonSerializer.Deserialize(a.ActionJson, ApiJsonContext.Default.SignedAction)!).ToList();
                    await SendAsync(submitter, actions.Select(a => a.Id).ToArray(), BatchCall(signed), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Nothing may stop the relayer while operations wait (the node down or refusing, a chain reset seen
                // mid-send, a busy database): log, wait, and sweep for stranded transactions before going on.
                if (e is RpcTransportException)
                {
                    logger.LogWarning("Relayer: chain unreachable ({Reason}); retrying", e.Message);
                }
                else
                {
                    logger.LogError(e, "Relayer: pass failed; retrying");
                }

                recoverAt = 0;
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }

        await Task.WhenAll(_receiptWaits.ToArray());
    }

    private async Task<List<PendingOp>> NextBatchAsync(int max, CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<PendingOp>(new CommandDefinition(
            "SELECT id AS Id, kind AS Kind, action_json AS ActionJson FROM operations WHERE status = 'pending' ORDER BY rowid LIMIT @max",
            new { max }, cancellationToken: ct)), ct)).AsList();

    private TransactionRequest RegistryCall(byte[] data) => new() { To = Address.Parse(deployment.Address), Data = data };

    /// <summary>
    /// <c>executeBatch</c> of <paramref name="actions"/>, sent with an upper bound of its cost as the gas limit
    /// (docs/benchmarks.md: a relayed action costs at most ~115k, plus its makers), so no <c>eth_estimateGas</c> runs the whole batch once more on the node before it is
    /// sent. The unused part is not paid. An estimate would also be wrong here: against the latest block it
    /// undercounts a batch whose actions fail cheaply there (their nonces wait for a batch still pending), which then
    /// runs out of gas once mined. Above half the 30M block gas limit of the dev chains the batch is estimated, with
    /// that half as its least limit.
    /// </summary>
    private TransactionRequest BatchCall(IReadOnlyList<SignedAction> actions)
    {
        const ulong cap = 15_000_000;
        var bound = 60_000 + actions.Aggregate(0UL, (sum, a) => sum + 200_000 + (30_000 * (ulong)a.Makers.Length));
        var call = RegistryCall(codec.ExecuteBatch(actions));
        return bound <= cap ? call with { GasLimit = bound } : call with { MinGasLimit = cap };
    }

    private async Task SendAsync(TransactionSubmitter submitter, string[] operationIds, TransactionRequest request, CancellationToken ct)
    {
        _inFlight = operationIds;
        PendingTransaction pending;
        try
        {
            pending = await submitter.SubmitAsync(request, ct);
        }
        catch (ContractRevertedException e)
        {
            // Gas estimation reverted: the whole transaction would revert (nothing signed, nothing sent).
            await FailAsync(operationIds, "BatchReverted", $"The transaction would revert: {e.Message}", ct);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The node never took it (not delivered, or refused every nonce/fee the submitter tried): the signed
            // attempt persisted by BeforeSend can never be mined, so its operations wait for the next batch.
            await AbandonAsync(operationIds, ct);
            throw;
        }
        finally
        {
            _inFlight = [];
        }

        Follow(submitter, pending, operationIds, ct);
    }

    /// <summary>Waits for <paramref name="pending"/>'s receipt in the background; its operations count as followed meanwhile.</summary>
    private void Follow(TransactionSubmitter submitter, PendingTransaction pending, string[] operationIds, CancellationToken ct)
    {
        foreach (var id in operationIds)
        {
            _followed[id] = 0;
        }

        lock (_receiptWaits)
        {
            _receiptWaits.RemoveAll(t => t.IsCompleted);
            _receiptWaits.Add(Task.Run(() => AwaitReceiptAsync(submitter, pending, operationIds, ct), CancellationToken.None));
        }
    }

    private async Task BeforeSendAsync(BeforeSendContext context, CancellationToken ct)
    {
        var ids = _inFlight;
        var now = DateTimeOffset.UtcNow.ToString("O");
        await db.WriteAsync(async (c, tx) =>
        {
            if (context.Replaces is { } old)
            {
                await c.ExecuteAsync(new CommandDefinition(
                    "UPDATE chain_txs SET status = 'replaced' WHERE tx_hash = @old", new { old }, tx, cancellationToken: ct));
            }

            var txId = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO chain_txs(sender, nonce, tx_hash, raw_tx, status, created_at) VALUES (@sender, @nonce, @hash, @raw, 'sent', @now) RETURNING id",
                new { sender = account.Address, nonce = (long)context.Nonce, hash = context.Hash, raw = context.Raw, now }, tx, cancellationToken: ct));
            await RecordAttemptsAsync(c, tx, ids, context, ct);
            if (context.Replaces is { } replaced)
            {
                await c.ExecuteAsync(new CommandDefinition(
                    "UPDATE operations SET chain_tx_id = @txId, tx_hash = @hash, updated_at = @now WHERE tx_hash = @replaced",
                    new { txId, hash = context.Hash, now, replaced }, tx, cancellationToken: ct));
            }
            else
            {
                for (var i = 0; i < ids.Length; i++)
                {
                    await c.ExecuteAsync(new CommandDefinition(
                        "UPDATE operations SET status = 'submitted', chain_tx_id = @txId, batch_index = @i, tx_hash = @hash, updated_at = @now WHERE id = @id",
                        new { txId, i, hash = context.Hash, now, id = ids[i] }, tx, cancellationToken: ct));
                }
            }

            return txId;
        }, ct);
    }

    private async Task AwaitReceiptAsync(TransactionSubmitter submitter, PendingTransaction pending, string[] operationIds, CancellationToken ct)
    {
        try
        {
            var receipt = await submitter.WaitForReceiptAsync(pending, ct);
            await ApplyReceiptAsync(receipt, operationIds, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // shutting down: the persisted transaction is picked up again at the next start
        }
        catch (Exception e) when (e is TransactionReplacedException or ChainResetException)
        {
            // The transaction cannot be mined any more; its actions were not applied: send them again.
            logger.LogWarning("Relayer: transaction {Hash} dropped ({Reason}); its operations go back to pending", pending.Hash, e.Message);
            await ResetToPendingAsync(operationIds, ct);
        }
        catch (Exception e) when (e is ReceiptTimeoutException or RpcException)
        {
            // It may still be mined: keep the operations submitted (the recovery sweep re-sends the persisted bytes).
            logger.LogWarning("Relayer: no receipt yet for {Hash}: {Reason}", pending.Hash, e.Message);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Relayer: following {Hash} failed; the recovery sweep takes it up again", pending.Hash);
        }
        finally
        {
            foreach (var id in operationIds)
            {
                _followed.TryRemove(id, out _);
            }
        }
    }

    private async Task ApplyReceiptAsync(TransactionReceipt receipt, string[] operationIds, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow.ToString("O");
        var outcomes = new Dictionary<int, ActionFailedLog?>();
        foreach (var log in receipt.Logs)
        {
            switch (codec.Decode(log))
            {
                case ActionSucceededLog s:
                    outcomes[s.Index] = null;
                    break;
                case ActionFailedLog f:
                    outcomes[f.Index] = f;
                    break;
            }
        }

        var single = operationIds.Length == 1 && outcomes.Count == 0; // a grantRole transaction
        var replays = await ResolveReplaysAsync(operationIds, outcomes, receipt.TransactionHash, ct);
        await db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE chain_txs SET status = @status, block_number = @block WHERE tx_hash = @hash",
                new { status = receipt.Succeeded ? "mined" : "failed", block = (long)receipt.BlockNumber, hash = receipt.TransactionHash },
                tx, cancellationToken: ct));
            for (var i = 0; i < operationIds.Length; i++)
            {
                if (replays.TryGetValue(i, out var replay))
                {
                    await ApplyReplayAsync(c, tx, operationIds[i], replay, now, ct);
                    continue;
                }

                string? code = null;
                string? detail = null;
                if (!receipt.Succeeded)
                {
                    // executeBatch reverts as a whole only for want of gas or a fault of the batch, never for an action's
                    // rules: none of its actions ran, so they go again in a new batch, a bounded number of times.
                    var reverted = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                        "SELECT COUNT(*) FROM operation_attempts a JOIN chain_txs t ON t.tx_hash = a.tx_hash " +
                        "WHERE a.operation_id = @id AND t.status = 'failed' AND t.block_number IS NOT NULL",
                        new { id = operationIds[i] }, tx, cancellationToken: ct));
                    if (reverted < MaxRevertedAttempts)
                    {
                        await c.ExecuteAsync(new CommandDefinition(
                            ResetToPendingSql, new { now, ids = new[] { operationIds[i] } }, tx, cancellationToken: ct));
                        continue;
                    }

                    (code, detail) = ("TransactionReverted", $"The relayed transaction reverted as a whole {reverted} times; the action was not applied.");
                }
                else if (outcomes.TryGetValue(i, out var failed) && failed is not null)
                {
                    (code, detail) = (failed.Reason.Name, failed.Reason.Detail);
                }
                else if (!single && !outcomes.ContainsKey(i))
                {
                    (code, detail) = ("NoOutcome", "The batch logged no outcome for this action.");
                }

                await c.ExecuteAsync(new CommandDefinition(
                    "UPDATE operations SET status = CASE WHEN @code IS NULL THEN 'submitted' ELSE 'failed' END, " +
                    "block_number = @block, block_hash = @blockHash, tx_hash = @hash, error_code = @code, error_detail = @detail, updated_at = @now WHERE id = @id",
                    new { code, detail, block = (long)receipt.BlockNumber, blockHash = receipt.BlockHash, hash = receipt.TransactionHash, now, id = operationIds[i] },
                    tx, cancellationToken: ct));
            }

            return 0;
        }, ct);
        await ConfirmAsync(ct);
    }

    /// <summary>Marks succeeded operations confirmed once their block has Chain:Confirmations blocks (itself included).</summary>
    private async Task ConfirmAsync(CancellationToken ct)
    {
        var confirmations = Math.Max(1, options.Value.Confirmations);
        await ReconcileAsync(ct); // durability: operations whose block left the chain go back to pending
        var head = confirmations == 1 ? long.MaxValue : (long)await eth.GetBlockNumberAsync(ct);
        await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
            "UPDATE operations SET status = 'confirmed', updated_at = @now WHERE status = 'submitted' AND block_number IS NOT NULL " +
            "AND error_code IS NULL AND block_number + @depth <= @head",
            new { now = DateTimeOffset.UtcNow.ToString("O"), depth = confirmations - 1, head }, tx, cancellationToken: ct)), ct);
    }

    private Task FailAsync(string[] ids, string code, string detail, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
            "UPDATE operations SET status = 'failed', error_code = @code, error_detail = @detail, updated_at = @now WHERE id IN @ids",
            new { code, detail, now = DateTimeOffset.UtcNow.ToString("O"), ids }, tx, cancellationToken: ct)), ct);

    /// <summary>A persisted attempt that can never be mined: its transaction row fails, its operations wait again.</summary>
    private Task AbandonAsync(string[] ids, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE chain_txs SET status = 'failed' WHERE status = 'sent' AND id IN " +
                "(SELECT chain_tx_id FROM operations WHERE id IN @ids AND status = 'submitted')", new { ids }, tx, cancellationToken: ct));
            return await c.ExecuteAsync(new CommandDefinition(ResetToPendingSql, new { now = DateTimeOffset.UtcNow.ToString("O"), ids }, tx, cancellationToken: ct));
        }, ct);

    /// <summary>How many transactions reverted as a whole may carry an operation before it fails.</summary>
    private const int MaxRevertedAttempts = 3;

    /// <summary>
    /// Puts operations back to pending with nothing of a chain attempt left on them (transaction, block, error); the
    /// caller appends the <c>WHERE</c> clause and binds <c>@now</c>.
    /// </summary>
    private const string BackToPendingSql =
        "UPDATE operations SET status = 'pending', chain_tx_id = NULL, tx_hash = NULL, block_number = NULL, block_hash = NULL, " +
        "error_code = NULL, error_detail = NULL, updated_at = @now ";

    private const string ResetToPendingSql = BackToPendingSql + "WHERE id IN @ids AND status = 'submitted'";

    private Task ResetToPendingAsync(string[] ids, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
            ResetToPendingSql, new { now = DateTimeOffset.UtcNow.ToString("O"), ids }, tx, cancellationToken: ct)), ct);
}
