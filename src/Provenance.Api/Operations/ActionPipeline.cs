using System.Data;
using Microsoft.Data.Sqlite;
using Provenance.Api.Chain;
using Provenance.Api.Data;
using Provenance.Api.Hosting;
using Provenance.Api.Security;

namespace Provenance.Api.Operations;

/// <summary>How one party of an action authorises it.</summary>
public abstract record ActionSigning
{
    /// <summary>The gateway signs with the actor's custodial key.</summary>
    public sealed record Custodial(string ActorId) : ActionSigning;

    /// <summary>The gateway signs with a key it derived (the claim key).</summary>
    public sealed record WithKey(byte[] PrivateKey) : ActionSigning;

    /// <summary>The actor signed the typed data itself (own wallet).</summary>
    public sealed record Provided(ActionAuthorization Authorization) : ActionSigning;
}

/// <summary>Stores the rows that belong to an operation (records, pieces) in its transaction.</summary>
public delegate Task StoreRows(SqliteConnection connection, IDbTransaction tx, string operationId, CancellationToken ct);

/// <summary>One write: the action (signatures still empty), who authorises it, and the rows to store with it.</summary>
public sealed record ActionDraft(
    string Kind,
    string? ActorId,
    string? PieceCode,
    SignedAction Action,
    ActionSigning Signer,
    ActionSigning? Receiver,
    IReadOnlyCollection<string> RoleHolders,
    StoreRows? Store);

/// <summary>
/// The write path: pre-check by simulation when the chain's state is settled (decoded custom error → 403/404/409/422,
/// nothing stored; a handoff after signing, since its simulation checks the signatures), allocate the signers' nonces
/// (under their locks) and sign, then one SQLite transaction storing the rows, the pending operation and the consumed
/// nonces; the relayer is woken. Acknowledged means durable.
/// </summary>
public sealed class ActionPipeline(
    Db db, IRegistryChain chain, SignerNonces nonces, OperationStore operations, CustodialKeys keys, RelayerSignal relayer,
    TimeProvider time)
{
    /// <summary>Validity of a gateway-made signature.</summary>
    public static readonly TimeSpan SignatureLifetime = TimeSpan.FromDays(30);

    /// <summary>Runs one draft through the pipeline; returns the operation id.</summary>
    public async Task<string> SubmitAsync(ActionDraft draft, CancellationToken ct) =>
        (await SubmitManyAsync([draft], ct))[0];

    /// <summary>
    /// Runs drafts in order as one unit: all are checked before any is stored, and all are stored in one transaction.
    /// </summary>
    public async Task<IReadOnlyList<string>> SubmitManyAsync(IReadOnlyList<ActionDraft> drafts, CancellationToken ct)
    {
        // A direct call is simulated from its signer and carries no signature: its pre-check runs before the signers'
        // locks, so they are never held across that eth_call. A handoff simulates execute(action), whose signatures carry
        // the nonces allocated under the locks.
        foreach (var draft in drafts.Where(d => !NeedsSignatures(d)))
        {
            await PreCheckAsync(draft, draft.Action, ct);
        }

        var signers = drafts.SelectMany(d => d.Receiver is null ? [d.Action.Signer] : new[] { d.Action.Signer, d.Action.Account }).ToList();
        await using var locks = WriteScope.Defer(await nonces.LockAsync(signers, ct)); // held to commit

        var next = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        async Task<long> Allocate(string signer)
        {
            if (!next.TryGetValue(signer, out var n))
            {
                n = await nonces.PeekAsync(signer, ct);
            }

            next[signer] = n + 1;
            return n;
        }

        var signed = new List<(ActionDraft Draft, SignedAction Action, List<(string Signer, long Nonce)> Used)>();
        foreach (var draft in drafts)
        {
            var used = new List<(string, long)>();
            var auth = await AuthorizeAsync(draft.Action, false, draft.Signer, Allocate, used, ct);
            var receiverAuth = draft.Receiver is null
                ? ActionAuthorization.None
                : await AuthorizeAsync(draft.Action, true, draft.Receiver, Allocate, used, ct);
            signed.Add((draft, draft.Action with { Auth = auth, ReceiverAuth = receiverAuth }, used));
        }

        foreach (var (draft, action, _) in signed.Where(s => NeedsSignatures(s.Draft)))
        {
            await PreCheckAsync(draft, action, ct);
        }

        var ids = await db.WriteAsync(async (c, tx) =>
        {
            var result = new List<string>();
            foreach (var (draft, action, used) in signed)
            {
                foreach (var (signer, nonce) in used)
                {
                    await SignerNonces.ConsumeAsync(c, tx, signer, nonce, ct);
                }

                var id = await OperationStore.InsertActionAsync(c, tx, draft.Kind, draft.ActorId, draft.PieceCode, action, ct);
                if (draft.Store is not null)
                {
                    await draft.Store(c, tx, id, ct);
                }

                result.Add(id);
            }

            return result;
        }, ct);
        relayer.Notify();
        return ids;
    }

    private static bool NeedsSignatures(ActionDraft draft) => draft.Action.Action == ActionType.Handoff;

    /// <summary>
    /// When nothing concerning the piece or the actors is in flight, simulates the action (decoded custom error →
    /// problem, nothing stored); otherwise only checks that the chain answers (503 when it does not).
    /// </summary>
    private async Task PreCheckAsync(ActionDraft draft, SignedAction action, CancellationToken ct)
    {
        var nonceHolders = NeedsSignatures(draft) ? new[] { action.Signer, action.Account } : [];
        if (!await operations.IsSettledAsync(draft.PieceCode, draft.RoleHolders, nonceHolders, ct))
        {
            await chain.HeadAsync(ct);
        }
        else if (await chain.SimulateAsync(action, ct) is { } error)
        {
            throw new ApiProblemException(error.Status, TitleOf(error.Status), error.Detail, error.Name);
        }
    }

    private async Task<ActionAuthorization> AuthorizeAsync(
        SignedAction action, bool asReceiver, ActionSigning signing, Func<string, Task<long>> allocate,
        List<(string, long)> used, CancellationToken ct)
    {
        var signer = asReceiver ? action.Account : action.Signer;
        var nonce = await allocate(signer);
        used.Add((signer, nonce));
        var deadline = time.GetUtcNow().Add(SignatureLifetime).ToUnixTimeSeconds();
        switch (signing)
        {
            case ActionSigning.Custodial custodial:
                var key = await keys.OpenAsync(custodial.ActorId, ct)
                          ?? throw ApiProblemException.Unprocessable($"Actor {custodial.ActorId} signs with its own wallet: supply its signature.", "SignatureRequired");
                try
                {
                    return new ActionAuthorization(nonce, deadline, await chain.SignAsync(action, asReceiver, nonce, deadline, key, ct));
                }
                finally
                {
                    Array.Clear(key);
                }

            case ActionSigning.WithKey withKey:
                return new ActionAuthorization(nonce, deadline, await chain.SignAsync(action, asReceiver, nonce, deadline, withKey.PrivateKey, ct));
            case ActionSigning.Provided provided:
                var a = provided.Authorization;
                if (a.Nonce != nonce)
                {
                    throw ApiProblemException.Conflict($"Signature of {signer} carries nonce {a.Nonce}; the next nonce is {nonce}. Fetch fresh typed data.", "InvalidNonce");
                }

                if (a.Deadline <= time.GetUtcNow().ToUnixTimeSeconds())
                {
                    throw ApiProblemException.Unprocessable($"Signature of {signer} expired at {a.Deadline}.", "ExpiredSignature");
                }

                var recovered = await chain.RecoverAsync(action, asReceiver, a, ct);
                if (recovered is null || !string.Equals(recovered, signer, StringComparison.OrdinalIgnoreCase))
                {
                    throw ApiProblemException.Forbidden($"The signature does not recover to {signer}.", "InvalidSignature");
                }

                return a;
            default:
                throw new InvalidOperationException("unknown signing");
        }
    }

    private static string TitleOf(int status) => status switch
    {
        403 => "Not allowed",
        404 => "Not found",
        409 => "Conflict",
        _ => "Invalid action",
    };
}
