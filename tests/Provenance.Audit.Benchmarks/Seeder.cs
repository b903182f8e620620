using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Data.Sqlite;
using Provenance.Api.Chain;
using Provenance.Api.Custody;
using Provenance.Api.Data;
using Provenance.Api.Events;
using Provenance.Api.Hosting;
using Provenance.Api.Operations;
using Provenance.Api.Products;
using Provenance.Api.Records;
using Provenance.Ethereum;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.JsonRpc;
using Provenance.Ethereum.Submission;
using Provenance.Testing;
using ActionType = Provenance.Ethereum.Contracts.Registry.ActionType;
using EventKind = Provenance.Ethereum.Contracts.Registry.EventKind;
using SignedAction = Provenance.Api.Chain.SignedAction;

namespace Provenance.Audit.Benchmarks;

/// <summary>What to seed. <paramref name="SpanDays"/>: the chain's clock is moved so the history spans that many days (0: not moved).
/// <paramref name="SenderKey"/>: the funded account that sends the batches (default: dev account #3).</summary>
public sealed record SeedOptions(
    int Pieces, int Events, int BatchSize, int Artisans, int Handlers, int Certifiers, int SpanDays, string? SenderKey = null);

/// <summary>What was seeded.</summary>
public sealed record SeedResult(int Pieces, long Events, int Transactions, long FirstBlock, long LastBlock, double Seconds);

/// <summary>
/// Puts pieces and their histories on the real chain and in the gateway's store the way the gateway's write path does,
/// only in bulk: actors are onboarded through the gateway's API (own-wallet addresses whose keys the seeder holds; the
/// gateway's relayer grants their roles); every action is an EIP-712-signed <c>SignedAction</c> (the gateway's
/// <see cref="RegistryChain.SignAsync"/>) with an off-chain record canonicalised and hashed by the gateway's
/// <see cref="RecordHash"/>, sent in <c>executeBatch</c> transactions (the gateway's <see cref="RegistryCodec"/>, the
/// Ethereum layer's <see cref="TransactionSubmitter"/>); once a batch is mined and every action in it succeeded (one
/// <c>ActionSucceeded</c> per action, checked), its rows — piece, makers, record, confirmed operation, consumed nonce —
/// are stored with the gateway's own helpers in one transaction. The index is not written here: the gateway's indexer
/// (or its <c>rebuild-index</c> command) reads it from the chain.
/// </summary>
/// <remarks>
/// Each piece gets up to ten entries (events / pieces): registration, two processing steps, certification, handoff
/// artisan → handler, shipping, handoff → a second handler, export, sale, and payment confirmation — or, for every 20th
/// piece, a flag instead of the payment. Pieces go in rounds of 1,000 (each entry kind in its own batches), and the
/// chain's clock is moved forward before each transaction so the history spans <see cref="SeedOptions.SpanDays"/>.
/// </remarks>
public sealed class Seeder(Chain chain, Db db, HttpClient gateway, SeedOptions o, TextWriter log)
{
    private static readonly string[] Crafts = ["kani", "papier-mache", "walnut-carving", "carpet", "sozni"]; // keys of the craft catalogue (Products/Crafts)
    private static readonly string[] Clusters = ["Kanihama", "Srinagar Old City", "Anantnag", "Bandipora", "Ganderbal", "Budgam", "Pulwama", "Kupwara"];

    private sealed record Actor(string Id, EthKey Key, string Craft, string Cluster)
    {
        public string Address => Key.Address.ToString();
    }

    private sealed record Planned(SignedAction Action, EthKey Signer, EthKey? Receiver, string OperationKind, string ActorId, string Code,
        string RecordKind, CanonicalRecord Record, Actor? Registrant);

    private readonly Dictionary<string, long> _nonces = new(StringComparer.OrdinalIgnoreCase);
    private readonly long _deadline = DateTimeOffset.UtcNow.AddYears(10).ToUnixTimeSeconds();

    /// <summary>Onboards the actors, then seeds every piece and entry; throws when any action fails on chain.</summary>
    public async Task<SeedResult> RunAsync(CancellationToken ct)
    {
        if (o.Handlers < 2 || o.Artisans < 1 || o.Certifiers < 1)
        {
            throw new ArgumentException("seeding needs at least one artisan, two handlers and one certifier");
        }

        var watch = Stopwatch.StartNew();
        await using (var c = await db.OpenAsync(ct))
        {
            await Migrations.ApplyAsync(c, ct);
        }

        var (artisans, handlers, certifiers) = await OnboardAsync(ct);
        foreach (var actor in artisans.Concat(handlers).Concat(certifiers))
        {
            _nonces[actor.Address] = await chain.Registry.NonceAsync(actor.Address, ct);
        }

        log.WriteLine($"seed: {artisans.Length} artisans, {handlers.Length} handlers, {certifiers.Length} certifiers onboarded; roles granted");

        var perPiece = Math.Clamp(o.Events / Math.Max(1, o.Pieces), 1, 10);
        var transactions = (int)Math.Ceiling((double)o.Pieces * perPiece / o.BatchSize) + (10 * (int)Math.Ceiling(o.Pieces / 1000.0));
        var step = (long)o.SpanDays * 86_400 / Math.Max(1, transactions);
        var submitter = new TransactionSubmitter(chain.Eth, new EthKeySigner(EthKey.FromPrivateKey(o.SenderKey ?? DevChainProcess.DevAccounts[3].PrivateKey)),
            new TransactionSubmitterOptions { ExpectedChainId = (ulong)chain.Deployment.ChainId });
        await submitter.StartAsync(ct);
        await using var _ = submitter;

        var inFlight = new Queue<(PendingTransaction Tx, List<Planned> Batch)>();
        long events = 0, first = long.MaxValue, last = 0;
        var sent = 0;
        // Where the time goes (wall time of each phase of this loop; shown with the progress).
        var planning = new Stopwatch();
        var signing = new Stopwatch();
        var sending = new Stopwatch();
        var mining = new Stopwatch();
        var storing = new Stopwatch();
        var stored = Task.CompletedTask;
        async Task SettleAsync()
        {
            var (tx, batch) = inFlight.Dequeue();
            mining.Start();
            var receipt = await submitter.WaitForReceiptAsync(tx, ct);
            mining.Stop();
            CheckAllSucceeded(receipt, batch);
            storing.Start();
            await stored; // one batch's rows are written while the next batches are planned, signed and sent
            storing.Stop();
            stored = StoreAsync(batch, receipt, ct);
            events += batch.Count;
            first = Math.Min(first, (long)receipt.BlockNumber);
            last = Math.Max(last, (long)receipt.BlockNumber);
        }

        for (var round = 0; round < o.Pieces; round += 1000)
        {
            var pieces = Enumerable.Range(round, Math.Min(1000, o.Pieces - round))
                .Select(i => new Pieceplan(i, PieceCode.New(), artisans[i % artisans.Length], handlers[i % handlers.Length],
                    handlers[((i % handlers.Length) + 1 + ((i / handlers.Length) % (handlers.Length - 1))) % handlers.Length], // another handler
                    certifiers[i % certifiers.Length]))
                .ToList();
            for (var entry = 0; entry < perPiece; entry++)
            {
                foreach (var chunk in pieces.Chunk(o.BatchSize))
                {
                    planning.Start();
                    var batch = chunk.Select(p => Plan(p, entry)).ToList();
                    planning.Stop();
                    signing.Start();
                    await SignAsync(batch, ct);
                    signing.Stop();
                    sending.Start();
                    if (step > 0)
                    {
                        await chain.Eth.Rpc.SendAsync(new JsonRpcRequest("evm_increaseTime", JsonValue.Create(step)), ct);
                    }

                    var tx = await submitter.SubmitAsync(new TransactionRequest
                    {
                        To = Address.Parse(chain.Deployment.Address),
                        Data = chain.Codec.ExecuteBatch(batch.Select(b => b.Action).ToArray()),
                        GasLimit = 100_000 + (200_000UL * (ulong)batch.Count),
                    }, ct);
                    sending.Stop();
                    inFlight.Enqueue((tx, batch));
                    sent++;
                    if (inFlight.Count >= 4)
                    {
                        await SettleAsync();
                    }
                }
            }

            while (inFlight.Count > 0)
            {
                await SettleAsync();
            }

            await stored;

            log.WriteLine($"seed: {Math.Min(round + 1000, o.Pieces)} pieces, {events} entries, {sent} transactions, {watch.Elapsed.TotalSeconds:F0} s " +
                          $"(planning {planning.Elapsed.TotalSeconds:F0} s, signing {signing.Elapsed.TotalSeconds:F0} s, sending {sending.Elapsed.TotalSeconds:F0} s, " +
                          $"waiting for receipts {mining.Elapsed.TotalSeconds:F0} s, waiting for the store {storing.Elapsed.TotalSeconds:F0} s)");
        }

        return new SeedResult(o.Pieces, events, sent, first, last, watch.Elapsed.TotalSeconds);
    }

    /// <summary>A piece of the plan: its index, code and parties.</summary>
    private sealed record Pieceplan(int Index, string Code, Actor Artisan, Actor Handler, Actor NextHandler, Actor Certifier)
    {
        public string PieceId => PieceRegistrar.PieceId(Code);
    }

    /// <summary>Entry <paramref name="entry"/> (0-based) of <paramref name="p"/>'s history, with its record; signatures still empty.</summary>
    private Planned Plan(Pieceplan p, int entry)
    {
        var at = DateTimeOffset.UtcNow.ToString("O");
        CanonicalRecord Event(string kind, Actor actor, string? step, string? location, string? notes) =>
            RecordHash.Of(new EventRecord("provenance.event/v1", p.Code, kind, actor.Address, at, step, location, notes, null),
                ApiJsonContext.Default.EventRecord);
        Planned Append(EventKind kind, Actor actor, CanonicalRecord record) =>
            new(new SignedAction(ActionType.AppendEvent, actor.Address, p.PieceId, kind, record.HashHex, SignedAction.ZeroAddress, [],
                ActionAuthorization.None, ActionAuthorization.None), actor.Key, null, "appendEvent", actor.Id, p.Code, "event", record, null);
        Planned Handoff(Actor from, Actor to)
        {
            var record = RecordHash.Of(new HandoffRecord("provenance.handoff/v1", p.Code, from.Address, to.Address, at, from.Cluster, null),
                ApiJsonContext.Default.HandoffRecord);
            return new(new SignedAction(ActionType.Handoff, from.Address, p.PieceId, EventKind.Handoff, record.HashHex, to.Address, [],
                ActionAuthorization.None, ActionAuthorization.None), from.Key, to.Key, "handoff", from.Id, p.Code, "handoff", record, null);
        }

        var a = p.Artisan;
        switch (entry)
        {
            case 0:
                var claimSigner = EthKey.FromPrivateKey(Keccak.Keccak256(Encoding.UTF8.GetBytes("provenance-seed/claim/" + p.Code))).Address.ToString();
                var record = RecordHash.Of(new PieceRecord("provenance.piece/v1", p.Code, a.Craft, $"{a.Craft} piece {p.Index}",
                    "Seeded for the auditor benchmark.", ["wool"], "200 x 100 cm", ["hand work"], [new MakerRecord(a.Id, a.Address, "making")], [],
                    $"GI-{p.Index:D7}", a.Address, at), ApiJsonContext.Default.PieceRecord);
                return new(new SignedAction(ActionType.Register, a.Address, p.PieceId, EventKind.Registration, record.HashHex, claimSigner,
                    [a.Address], ActionAuthorization.None, ActionAuthorization.None), a.Key, null, "register", a.Id, p.Code, "piece", record, a);
            case 1:
                return Append(EventKind.Processing, a, Event("processing", a, "weaving", a.Cluster, null));
            case 2:
                return Append(EventKind.Processing, a, Event("processing", a, "washing", a.Cluster, null));
            case 3:
                return Append(EventKind.Certification, p.Certifier, Event("certification", p.Certifier, null, null, "GI certified"));
            case 4:
                return Handoff(a, p.Handler);
            case 5:
                return Append(EventKind.Shipping, p.Handler, Event("shipping", p.Handler, null, "Srinagar", null));
            case 6:
                return Handoff(p.Handler, p.NextHandler);
            case 7:
                return Append(EventKind.Export, p.NextHandler, Event("export", p.NextHandler, null, "Delhi ICD", null));
            case 8:
                return Append(EventKind.Sale, p.NextHandler, Event("sale", p.NextHandler, null, "Paris", null));
            default:
                if (p.Index % 20 == 0)
                {
                    var flag = RecordHash.Of(new StatusRecord("provenance.status/v1", p.Code, "flag", p.Certifier.Address, at,
                        "Seeded flag: suspected copy reported", null), ApiJsonContext.Default.StatusRecord);
                    return new(new SignedAction(ActionType.Flag, p.Certifier.Address, p.PieceId, EventKind.Flag, flag.HashHex,
                        SignedAction.ZeroAddress, [], ActionAuthorization.None, ActionAuthorization.None), p.Certifier.Key, null, "flag",
                        p.Certifier.Id, p.Code, "status", flag, null);
                }

                return Append(EventKind.PaymentConfirmed, a, Event("paymentConfirmed", a, null, null, "Paid in full"));
        }
    }

    /// <summary>Allocates the signers' nonces in plan order, then signs every action (and a handoff's receiver) in parallel.</summary>
    private async Task SignAsync(List<Planned> batch, CancellationToken ct)
    {
        long Next(string signer)
        {
            var n = _nonces.GetValueOrDefault(signer);
            _nonces[signer] = n + 1;
            return n;
        }

        var nonces = batch.Select(b => (Signer: Next(b.Action.Signer), Receiver: b.Receiver is null ? -1 : Next(b.Action.Account))).ToArray();
        var signed = new SignedAction[batch.Count];
        await Parallel.ForAsync(0, batch.Count, new ParallelOptions { CancellationToken = ct }, async (i, token) =>
        {
            var b = batch[i];
            var auth = new ActionAuthorization(nonces[i].Signer, _deadline,
                await chain.Registry.SignAsync(b.Action, false, nonces[i].Signer, _deadline, b.Signer.ExportPrivateKey(), token));
            var receiverAuth = b.Receiver is null ? ActionAuthorization.None : new ActionAuthorization(nonces[i].Receiver, _deadline,
                await chain.Registry.SignAsync(b.Action, true, nonces[i].Receiver, _deadline, b.Receiver.ExportPrivateKey(), token));
            signed[i] = b.Action with { Auth = auth, ReceiverAuth = receiverAuth };
        });
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i] = batch[i] with { Action = signed[i] };
        }
    }

    /// <summary>Every action of the batch must have logged ActionSucceeded; the first ActionFailed is reported.</summary>
    private void CheckAllSucceeded(Provenance.Ethereum.Eth.TransactionReceipt receipt, List<Planned> batch)
    {
        if (!receipt.Succeeded)
        {
            throw new InvalidOperationException($"executeBatch {receipt.TransactionHash} reverted");
        }

        var decoded = receipt.Logs.Select(chain.Codec.Decode).ToList();
        if (decoded.OfType<ActionFailedLog>().FirstOrDefault() is { } failed)
        {
            throw new InvalidOperationException(
                $"action {failed.Index} ({batch[failed.Index].Action.Action} of {batch[failed.Index].Code}) failed: {failed.Reason.Name}: {failed.Reason.Detail}");
        }

        var succeeded = decoded.OfType<ActionSucceededLog>().Count();
        if (succeeded != batch.Count)
        {
            throw new InvalidOperationException($"executeBatch {receipt.TransactionHash}: {succeeded} of {batch.Count} actions succeeded");
        }
    }

    /// <summary>
    /// The rows the gateway's write path stores with each action, its operation confirmed by <paramref name="receipt"/>,
    /// in one transaction of the seeder's own (the only writer of this process; not under the group writer's savepoint,
    /// which made SQLite copy every page the batch touched to a statement journal first).
    /// </summary>
    private async Task StoreAsync(List<Planned> batch, Provenance.Ethereum.Eth.TransactionReceipt receipt, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: false);
        await StoreRowsAsync(c, tx, batch, receipt, ct);
        await tx.CommitAsync(ct);
    }

    private static async Task StoreRowsAsync(
        SqliteConnection c, SqliteTransaction tx, List<Planned> batch, Provenance.Ethereum.Eth.TransactionReceipt receipt, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow.ToString("O");
        for (var i = 0; i < batch.Count; i++)
        {
            var b = batch[i];
            if (b.Registrant is { } artisan)
            {
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO pieces(code, piece_id, registrant_id, claim_signer, created_at) VALUES (@code, @pieceId, @registrant, @claimSigner, @now); " +
                    "INSERT INTO piece_makers(piece_code, actor_id, part) VALUES (@code, @registrant, 'making')",
                    new { code = b.Code, pieceId = b.Action.Id, registrant = artisan.Id, claimSigner = b.Action.Account, now }, tx, cancellationToken: ct));
            }

            var operationId = await OperationStore.InsertActionAsync(c, tx, b.OperationKind, b.ActorId, b.Code, b.Action, ct);
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE operations SET status = 'confirmed', tx_hash = @hash, block_number = @block, block_hash = @blockHash, batch_index = @i, " +
                "updated_at = @now WHERE id = @operationId",
                new { hash = receipt.TransactionHash, block = (long)receipt.BlockNumber, blockHash = receipt.BlockHash, i, now, operationId },
                tx, cancellationToken: ct));
            await RecordStore.InsertAsync(c, (System.Data.IDbTransaction)tx, b.Code, b.RecordKind, b.ActorId, b.Record, operationId, ct);
            await SignerNonces.ConsumeAsync(c, tx, b.Action.Signer, b.Action.Auth.Nonce, ct);
            if (b.Receiver is not null)
            {
                await SignerNonces.ConsumeAsync(c, tx, b.Action.Account, b.Action.ReceiverAuth.Nonce, ct);
            }
        }
    }

    /// <summary>Onboards the artisans, handlers and certifiers through the gateway's API and waits until their roles are on chain.</summary>
    private async Task<(Actor[] Artisans, Actor[] Handlers, Actor[] Certifiers)> OnboardAsync(CancellationToken ct)
    {
        var operations = new List<string>();
        var salt = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)); // fresh actors every run
        async Task<Actor> OnboardOne(string kind, int i, Func<string, object> body, string craft = "", string cluster = "")
        {
            var key = EthKey.FromPrivateKey(Keccak.Keccak256(Encoding.UTF8.GetBytes($"provenance-seed/{salt}/{kind}/{i}")));
            using var response = await gateway.PostAsJsonAsync($"/api/actors/{kind}", body(key.Address.ToString()), ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"POST /api/actors/{kind}: {(int)response.StatusCode} {text}");
            }

            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.TryGetProperty("roleOperationId", out var op) && op.GetString() is { } id)
            {
                operations.Add(id);
            }

            return new Actor(doc.RootElement.GetProperty("id").GetString()!, key, craft, cluster);
        }

        var artisans = new Actor[o.Artisans];
        for (var i = 0; i < o.Artisans; i++)
        {
            var craft = Crafts[i % Crafts.Length];
            var cluster = Clusters[i % Clusters.Length];
            artisans[i] = await OnboardOne("artisans", i, address => new { name = $"Artisan {i}", craft, cluster, village = cluster, address }, craft, cluster);
        }

        var handlers = new Actor[o.Handlers];
        for (var i = 0; i < o.Handlers; i++)
        {
            handlers[i] = await OnboardOne("handlers", i, address => new
            {
                businessName = $"Handler {i}", kind = (i % 3) switch { 0 => "middleman", 1 => "exporter", _ => "retailer" }, location = "Srinagar", address,
            }, cluster: "Srinagar");
        }

        var certifiers = new Actor[o.Certifiers];
        for (var i = 0; i < o.Certifiers; i++)
        {
            certifiers[i] = await OnboardOne("certifiers", i, address => new { name = $"Certifier {i}", accreditation = "GI lab", address });
        }

        foreach (var id in operations)
        {
            for (var attempt = 0; ; attempt++)
            {
                using var doc = JsonDocument.Parse(await gateway.GetStringAsync($"/api/operations/{id}", ct));
                var status = doc.RootElement.GetProperty("status").GetString();
                if (status == "confirmed")
                {
                    break;
                }

                if (status == "failed" || attempt > 1200)
                {
                    throw new InvalidOperationException($"role grant {id} is {status}");
                }

                await Task.Delay(100, ct);
            }
        }

        return (artisans, handlers, certifiers);
    }
}
