using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.JsonRpc;
using Provenance.Ethereum.Submission;

namespace Provenance.Api.Chain;

/// <summary>
/// Exactly-once for acknowledged writes (see docs/durability.md). At least once: an operation is re-sent until a
/// canonical block holds its outcome — after a restart the persisted raw transactions are re-sent
/// (<c>RecoverAsync</c>, <see cref="TransactionSubmitter.ResubmitAsync"/>); a transaction that can no longer be mined, or whose block left
/// the chain (reorg, dev chain restarted from an older state), puts its operations back to pending. At most once: each
/// operation is one EIP-712-signed action with the signer's registry nonce, which the contract consumes once; a re-sent
/// action whose nonce is already consumed fails with <c>InvalidNonce</c> without effect, and the relayer then takes the
/// outcome from the earlier transaction that carried it (every attempt is recorded in <c>operation_attempts</c>).
/// </summary>
public sealed partial class Relayer
{
    private long _lastReconcileTicks;
    private TransactionSubmitter? _submitter;

    /// <summary>What an action's <c>InvalidNonce</c> failure turned out to mean.</summary>
    private abstract record Replay
    {
        /// <summary>An earlier action of the signer is not on chain yet: send this one again after it.</summary>
        public sealed record Retry : Replay;

        /// <summary>An earlier transaction of ours carried the action: its outcome counts.</summary>
        public sealed record Applied(string TxHash, long Block, string BlockHash, string? Code, string? Detail) : Replay;
    }

    /// <summary>How often the relayer looks for persisted transactions that nothing follows any more.</summary>
    private static readonly TimeSpan RecoverySweepInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// At start, after a failed pass and every <see cref="RecoverySweepInterval"/>: transactions that were persisted
    /// and sent, whose operations have no outcome yet and are not followed to a receipt (a restart, a receipt wait that
    /// gave up while the node was away), are sent again as the same bytes. Those the node knows (pooled or mined) are
    /// followed to their receipt; those whose nonce went to another transaction can never be mined, so their operations
    /// go back to pending and are batched anew (their signed actions are still valid: they never ran).
    /// </summary>
    private async Task RecoverAsync(TransactionSubmitter submitter, CancellationToken ct)
    {
        // The operations first (few: submitted, no block yet), from the index on status; a resubmission the node
        // refuses for its fees is re-signed higher, and the BeforeSend hook then moves them to the new transaction's row.
        var waiting = await db.ReadAsync(c => c.QueryAsync<(string Id, long TxId)>(new CommandDefinition(
            "SELECT o.id, o.chain_tx_id FROM operations o JOIN chain_txs t ON t.id = o.chain_tx_id " +
            "WHERE o.status = 'submitted' AND o.block_number IS NULL AND t.status = 'sent' ORDER BY o.batch_index",
            cancellationToken: ct)), ct);
        var operations = waiting.GroupBy(w => w.TxId)
            .Where(g => !g.Any(w => _followed.ContainsKey(w.Id)))
            .ToDictionary(g => g.Key, g => g.Select(w => w.Id).ToArray());
        if (operations.Count == 0)
        {
            return;
        }

        var stuck = (await db.ReadAsync(c => c.QueryAsync<(long Id, string Hash, byte[] Raw, long Nonce)>(new CommandDefinition(
            "SELECT id, tx_hash, raw_tx, nonce FROM chain_txs WHERE id IN @ids ORDER BY nonce",
            new { ids = operations.Keys.ToArray() }, cancellationToken: ct)), ct)).AsList();
        logger.LogWarning("Relayer: re-sending {Count} persisted transaction(s) that nothing follows", stuck.Count);

        var results = await submitter.ResubmitAsync(stuck.Select(t => new PersistedTransaction(t.Raw, t.Hash, (ulong)t.Nonce)), ct);
        foreach (var result in results)
        {
            var txId = stuck.First(t => t.Hash == result.Transaction.Hash).Id;
            var ids = operations[txId];
            if (result.Outcome == ResubmitOutcome.Known && result.Pending is { } pending)
            {
                Follow(submitter, pending, ids, ct);
            }
            else if (result.Outcome == ResubmitOutcome.Known &&
                     await eth.GetTransactionReceiptAsync(result.Transaction.Hash, ct) is { } receipt)
            {
                await ApplyReceiptAsync(receipt, ids, ct);
            }
            else
            {
                logger.LogWarning("Relayer: transaction {Hash} cannot be mined ({Outcome}); its operations are batched again",
                    result.Transaction.Hash, result.Outcome);
                await AbandonAsync(ids, ct);
            }
        }
    }

    /// <summary>Records which transaction (and batch slot) carried each operation, in the send's transaction.</summary>
    private static async Task RecordAttemptsAsync(SqliteConnection c, IDbTransaction tx, string[] ids, BeforeSendContext context, CancellationToken ct)
    {
        if (context.Replaces is { } replaced)
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT OR IGNORE INTO operation_attempts(operation_id, tx_hash, batch_index) " +
                "SELECT operation_id, @hash, batch_index FROM operation_attempts WHERE tx_hash = @replaced",
                new { hash = context.Hash, replaced }, tx, cancellationToken: ct));
            return;
        }

        for (var i = 0; i < ids.Length; i++)
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT OR IGNORE INTO operation_attempts(operation_id, tx_hash, batch_index) VALUES (@id, @hash, @i)",
                new { id = ids[i], hash = context.Hash, i }, tx, cancellationToken: ct));
        }
    }

    /// <summary>Decides what each <c>InvalidNonce</c> failure (nonce not consumed by this transaction) means.</summary>
    private async Task<Dictionary<int, Replay>> ResolveReplaysAsync(
        string[] operationIds, Dictionary<int, ActionFailedLog?> outcomes, string txHash, CancellationToken ct)
    {
        var result = new Dictionary<int, Replay>();
        var reconciled = false;
        foreach (var (index, failed) in outcomes)
        {
            if (failed is not { NonceConsumed: false } || !failed.Reason.Name.EndsWith("InvalidNonce", StringComparison.Ordinal) || index >= operationIds.Length)
            {
                continue;
            }

            var id = operationIds[index];
            var onChain = await chain.NonceAsync(failed.Signer, ct);
            if (onChain == failed.Nonce)
            {
                // The earlier actions it waited for were mined after it (in a later transaction): its turn is now.
                result[index] = new Replay.Retry();
                continue;
            }

            if (onChain < failed.Nonce)
            {
                // A gap: an earlier action of this signer is not on chain (yet). Retry if the action holding the
                // chain's next nonce is still on its way — including one held confirmed in a block that has just left
                // the chain (reconciled first, once per receipt). Without one the gap cannot close and the failure stands.
                if (!reconciled)
                {
                    await ReconcileAsync(ct, force: true);
                    reconciled = true;
                }

                var filler = await db.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COUNT(*) FROM operations WHERE status IN ('pending','submitted') AND id <> @id AND (" +
                    "(lower(signer) = lower(@s) AND json_extract(action_json, '$.auth.nonce') = @next) OR " +
                    "(lower(receiver) = lower(@s) AND json_extract(action_json, '$.receiverAuth.nonce') = @next))",
                    new { id, s = failed.Signer, next = onChain }, cancellationToken: ct)), ct);
                if (filler > 0)
                {
                    result[index] = new Replay.Retry();
                }

                continue;
            }

            // Consumed before: find the earlier transaction of ours that carried this action.
            var attempts = await db.ReadAsync(c => c.QueryAsync<(string Hash, long Slot)>(new CommandDefinition(
                "SELECT tx_hash, batch_index FROM operation_attempts WHERE operation_id = @id AND tx_hash <> @txHash",
                new { id, txHash }, cancellationToken: ct)), ct);
            foreach (var (hash, slot) in attempts)
            {
                var receipt = await eth.GetTransactionReceiptAsync(hash, ct);
                if (receipt is not { Succeeded: true, BlockHash: { } blockHash })
                {
                    continue;
                }

                foreach (var decoded in receipt.Logs.Select(codec.Decode))
                {
                    if (decoded is ActionSucceededLog s && s.Index == slot)
                    {
                        result[index] = new Replay.Applied(hash, (long)receipt.BlockNumber, blockHash, null, null);
                    }
                    else if (decoded is ActionFailedLog f && f.Index == slot && f.NonceConsumed)
                    {
                        result[index] = new Replay.Applied(hash, (long)receipt.BlockNumber, blockHash, f.Reason.Name, f.Reason.Detail);
                    }
                }

                if (result.ContainsKey(index))
                {
                    logger.LogInformation("Relayer: operation {Id} was already applied by {Hash}; the re-sent copy had no effect", id, hash);
                    break;
                }
            }
        }

        return result;
    }

    private static Task ApplyReplayAsync(SqliteConnection c, IDbTransaction tx, string id, Replay replay, string now, CancellationToken ct) =>
        replay switch
        {
            Replay.Applied a => c.ExecuteAsync(new CommandDefinition(
                "UPDATE operations SET status = CASE WHEN @code IS NULL THEN 'submitted' ELSE 'failed' END, tx_hash = @hash, " +
                "block_number = @block, block_hash = @blockHash, error_code = @code, error_detail = @detail, updated_at = @now WHERE id = @id",
                new { hash = a.TxHash, block = a.Block, blockHash = a.BlockHash, code = a.Code, detail = a.Detail, now, id }, tx, cancellationToken: ct)),
            _ => c.ExecuteAsync(new CommandDefinition(
                BackToPendingSql + "WHERE id = @id", new { now, id }, tx, cancellationToken: ct)),
        };

    /// <summary>
    /// Every couple of seconds: operations whose recorded block is no longer on the chain (its hash changed, or the
    /// chain is now shorter) go back to pending — submitted or confirmed — so they are sent again.
    /// </summary>
    private async Task ReconcileAsync(CancellationToken ct, bool force = false)
    {
        var now = Environment.TickCount64;
        if (!force && now - Interlocked.Read(ref _lastReconcileTicks) < 2000)
        {
            return;
        }

        Interlocked.Exchange(ref _lastReconcileTicks, now);
        var head = (long)await eth.GetBlockNumberAsync(ct);
        var window = Math.Max(64, options.Value.Confirmations * 4L);
        var blocks = await db.ReadAsync(c => c.QueryAsync<(long Number, string Hash)>(new CommandDefinition(
            "SELECT DISTINCT block_number, block_hash FROM operations WHERE status IN ('submitted','confirmed') " +
            "AND block_number IS NOT NULL AND block_hash IS NOT NULL AND block_number > @from",
            new { from = head - window }, cancellationToken: ct)), ct);
        // Every recorded block's header in one JSON-RPC batch (one round trip, not one per block).
        var batch = new JsonRpcBatch();
        var headers = blocks.Select(b => (b.Number, b.Hash, Block: b.Number > head ? Task.FromResult<Block?>(null) : batch.Add(EthCalls.GetBlockByNumber((ulong)b.Number))))
            .ToList();
        await eth.Rpc.SendBatchAsync(batch, ct);
        var gone = new List<(long, string)>();
        foreach (var (number, hash, header) in headers)
        {
            var block = await header;
            if (block is null || !string.Equals(block.Hash, hash, StringComparison.OrdinalIgnoreCase))
            {
                gone.Add((number, hash));
            }
        }

        if (gone.Count == 0)
        {
            return;
        }

        var hashes = gone.Select(g => g.Item2).ToArray();
        var count = await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
            BackToPendingSql + "WHERE status IN ('submitted','confirmed') AND block_hash IN @hashes",
            new { now = DateTimeOffset.UtcNow.ToString("O"), hashes }, tx, cancellationToken: ct)), ct);
        logger.LogWarning("Relayer: {Blocks} block(s) left the chain (reorg or rollback); {Count} operation(s) go back to pending", gone.Count, count);
        if (_submitter is { } submitter)
        {
            // Our transactions in those blocks may be gone with them: take the account's nonce from the chain again
            // (a reorg that keeps the height is not a chain reset to the submitter).
            await submitter.ResubmitAsync([], ct);
        }

        signal.Notify();
    }
}
