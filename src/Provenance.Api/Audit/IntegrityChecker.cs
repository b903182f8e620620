using System.Numerics;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Provenance.Api.Chain;
using Provenance.Api.Data;
using Provenance.Api.Hosting;
using Provenance.Api.Products;
using Provenance.Api.Records;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Hex;

namespace Provenance.Api.Audit;

/// <summary>One thing the store says that the chain contradicts.</summary>
/// <param name="PieceCode">the piece code, when the store knows it</param>
/// <param name="PieceId">the piece id</param>
/// <param name="Seq">the history entry concerned, if any</param>
/// <param name="Problem">recordMismatch, recordMissingInStore, recordMissingOnChain, headMismatch, eventCountDifference or pieceMissingOnChain</param>
/// <param name="Detail">both sides in words</param>
public sealed record IntegrityProblem(string? PieceCode, string PieceId, long? Seq, string Problem, string Detail);

/// <summary>What an integrity check counted.</summary>
public sealed record IntegrityTotals(
    long Pieces, long RecordsChecked, long RecordsVerified, long RecordsMismatched, long RecordsMissingInStore, long RecordsMissingOnChain,
    long HeadMismatches, long EventCountDifferences, long PiecesMissingOnChain, long PiecesPending);

/// <summary>The outcome of an integrity check, as of the indexer's cursor block.</summary>
public sealed record IntegrityReport(
    DateTimeOffset CheckedAt, long Block, long ChainId, string Contract, bool Clean, IntegrityTotals Totals, IntegrityProblem[] Problems);

/// <summary>
/// Checks the gateway's store against the chain, piece by piece, in one read snapshot of the store and as of the
/// indexer's cursor block on the chain: every off-chain record is re-canonicalised (RFC 8785) and re-hashed and
/// compared with the hash the chain's event carries; the hash chain is folded again from the indexed events and
/// compared with <c>piece(id).head</c>; the chain's event count with the indexed events and the projection; records
/// of confirmed operations must be on chain.
/// </summary>
public sealed class IntegrityChecker(Db db, EthClient eth, RegistryAbi registry, Deployment deployment, IOptions<AuditOptions> options, TimeProvider time)
{
    // A class: Dapper maps a NULL expression column (MAX(code) of a piece known only from the chain) only onto properties.
    private sealed class PieceKey
    {
        public required string PieceId { get; init; }
        public string? Code { get; init; }
    }

    private sealed record EventRow(long Seq, string Kind, string? Actor, string? Counterparty, string? RecordHash, string ArgsJson, long BlockNumber);

    private sealed record RecordRow(string Hash, string Kind, string Json, string? OperationStatus);

    private sealed class Tally
    {
        public long Checked, Verified, Mismatched, MissingInStore, MissingOnChain, Heads, Counts, Pieces, Pending;
    }

    /// <summary>Checks every piece, or only <paramref name="pieceCode"/>.</summary>
    public async Task<IntegrityReport> CheckAsync(string? pieceCode, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: true); // one read snapshot of the store (WAL), without the write lock
        var block = await AuditStore.IndexedBlockAsync(c, tx, ct);
        string? onlyId = null;
        if (pieceCode is not null)
        {
            var code = PieceCode.Normalize(pieceCode) ?? throw ApiProblemException.BadRequest($"piece '{pieceCode}' is not a piece code.");
            onlyId = PieceRegistrar.PieceId(code);
        }

        var pieces = (await c.QueryAsync<PieceKey>(new CommandDefinition(
            "SELECT piece_id AS PieceId, MAX(code) AS Code FROM (SELECT piece_id, code FROM pieces UNION ALL SELECT piece_id, NULL FROM piece_state) " +
            "WHERE @only IS NULL OR piece_id = @only GROUP BY piece_id ORDER BY piece_id", new { only = onlyId }, tx, cancellationToken: ct))).ToList();
        if (onlyId is not null && pieces.Count == 0)
        {
            throw ApiProblemException.NotFound($"No piece with code {pieceCode}.", "UnknownPiece");
        }

        var problems = new List<IntegrityProblem>();
        var tally = new Tally();
        foreach (var batch in pieces.Chunk(256))
        {
            var onChain = new RegistryPiece?[batch.Length];
            await Parallel.ForAsync(0, batch.Length, new ParallelOptions { MaxDegreeOfParallelism = options.Value.IntegrityParallelism, CancellationToken = ct },
                async (i, token) => onChain[i] = block > 0 ? await ReadPieceAsync(batch[i].PieceId, (ulong)block, token) : null);
            for (var i = 0; i < batch.Length; i++)
            {
                await CheckPieceAsync(c, tx, batch[i], onChain[i], tally, problems, ct);
            }
        }

        var totals = new IntegrityTotals(pieces.Count, tally.Checked, tally.Verified, tally.Mismatched, tally.MissingInStore,
            tally.MissingOnChain, tally.Heads, tally.Counts, tally.Pieces, tally.Pending);
        return new IntegrityReport(time.GetUtcNow(), block, deployment.ChainId, deployment.Address, problems.Count == 0, totals, problems.ToArray());
    }

    private static async Task CheckPieceAsync(
        SqliteConnection c, System.Data.Common.DbTransaction tx, PieceKey piece, RegistryPiece? chain, Tally tally,
        List<IntegrityProblem> problems, CancellationToken ct)
    {
        void Problem(long? seq, string problem, string detail) => problems.Add(new IntegrityProblem(piece.Code, piece.PieceId, seq, problem, detail));

        var events = (await c.QueryAsync<EventRow>(new CommandDefinition(
            "SELECT seq AS Seq, kind AS Kind, actor AS Actor, counterparty AS Counterparty, record_hash AS RecordHash, args_json AS ArgsJson, " +
            "block_number AS BlockNumber FROM chain_events WHERE piece_id = @id ORDER BY seq", new { id = piece.PieceId }, tx, cancellationToken: ct))).ToList();
        var projected = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT event_count FROM piece_state WHERE piece_id = @id", new { id = piece.PieceId }, tx, cancellationToken: ct));
        var records = piece.Code is null ? [] : (await c.QueryAsync<RecordRow>(new CommandDefinition(
            "SELECT r.hash AS Hash, r.kind AS Kind, r.json AS Json, o.status AS OperationStatus FROM records r " +
            "LEFT JOIN operations o ON o.id = r.operation_id WHERE r.piece_code = @code ORDER BY r.seq", new { code = piece.Code }, tx,
            cancellationToken: ct))).ToList();

        if (chain is null || chain.Status == PieceStatus.None)
        {
            if (events.Count > 0 || records.Any(r => r.OperationStatus == "confirmed"))
            {
                tally.Pieces++;
                Problem(null, "pieceMissingOnChain", "the store has a confirmed registration or indexed events; piece(id) is unknown on chain");
            }
            else
            {
                tally.Pending++;
            }

            return;
        }

        // Event count: the chain, the indexed events, the projection.
        var seqs = events.Select(e => e.Seq).ToHashSet();
        var gaps = Enumerable.Range(1, (int)chain.EventCount).Where(s => !seqs.Contains(s)).ToList();
        if (events.Count != chain.EventCount || projected != chain.EventCount || gaps.Count > 0)
        {
            tally.Counts++;
            Problem(gaps.Count > 0 ? gaps[0] : null, "eventCountDifference",
                $"chain eventCount {chain.EventCount}; indexed events {events.Count}; projection {projected?.ToString() ?? "none"}" +
                (gaps.Count > 0 ? $"; entries missing from the store: {string.Join(", ", gaps)}" : ""));
        }

        // Head: folded again from the indexed events.
        var head = SignedAction.ZeroHash;
        foreach (var e in events)
        {
            head = HeadChain.Next(head, piece.PieceId, e.Seq, Enum.Parse<EventKind>(e.Kind), e.Actor, e.Counterparty, e.RecordHash, Makers(e.ArgsJson));
        }

        if (!string.Equals(head, chain.Head, StringComparison.OrdinalIgnoreCase))
        {
            tally.Heads++;
            Problem(null, "headMismatch", $"piece(id).head is {chain.Head}; the fold of the {events.Count} indexed events gives {head}");
        }

        // Records the chain's events carry.
        var byHash = records.GroupBy(r => r.Hash.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var e in events.Where(e => e.RecordHash is not null && e.RecordHash != SignedAction.ZeroHash))
        {
            tally.Checked++;
            if (!byHash.TryGetValue(e.RecordHash!.ToLowerInvariant(), out var stored))
            {
                tally.MissingInStore++;
                Problem(e.Seq, "recordMissingInStore", $"the chain's {e.Kind} event carries record hash {e.RecordHash}; the store has no such record");
                continue;
            }

            var actual = HashOf(stored[0].Json);
            if (!string.Equals(actual, e.RecordHash, StringComparison.OrdinalIgnoreCase))
            {
                tally.Mismatched++;
                Problem(e.Seq, "recordMismatch", $"the stored {stored[0].Kind} record hashes to {actual}; the chain's {e.Kind} event carries {e.RecordHash}");
            }
            else
            {
                tally.Verified++;
            }
        }

        // Records whose operation was confirmed must be on chain.
        var onChainHashes = events.Where(e => e.RecordHash is not null).Select(e => e.RecordHash!.ToLowerInvariant()).ToHashSet();
        foreach (var r in records.Where(r => r.OperationStatus == "confirmed" && !onChainHashes.Contains(r.Hash.ToLowerInvariant())))
        {
            tally.MissingOnChain++;
            Problem(null, "recordMissingOnChain", $"the {r.Kind} record {r.Hash} belongs to a confirmed operation but no indexed chain event of the piece carries it");
        }
    }

    private async Task<RegistryPiece> ReadPieceAsync(string pieceId, ulong block, CancellationToken ct)
    {
        var f = registry.Abi.GetFunction("piece");
        var data = await eth.CallAsync(new CallRequest
        {
            To = Provenance.Ethereum.Address.Parse(deployment.Address), Data = f.Encode(HexConvert.FromHex(pieceId)),
        }, block, ct);
        var t = (object?[])f.DecodeOutput(data)[0]!;
        return new RegistryPiece((PieceStatus)(int)(BigInteger)t[0]!, t[2]!.ToString()!, t[3]!.ToString()!, t[4]!.ToString()!,
            t[5]!.ToString()!, (long)(BigInteger)t[6]!, (long)(BigInteger)t[7]!, HexConvert.ToHex((byte[])t[8]!));
    }

    private static string[] Makers(string argsJson)
    {
        using var doc = JsonDocument.Parse(argsJson);
        return doc.RootElement.TryGetProperty("makers", out var m) && m.ValueKind == JsonValueKind.Array
            ? m.EnumerateArray().Select(a => a.GetString()!).ToArray()
            : [];
    }

    private static string HashOf(string json)
    {
        try
        {
            return HexConvert.ToHex(RecordHash.OfStored(json));
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return "(not valid JSON)";
        }
    }
}

/// <summary>
/// The registry's hash-chain step (docs/contract.md): <c>keccak256(abi.encode(head, id, seq, kind, actor,
/// counterparty, recordHash, makersHash))</c>, eight 32-byte words; <c>makersHash</c> is the keccak256 of the
/// registration's makers, each left-padded to 32 bytes.
/// </summary>
public static class HeadChain
{
    /// <summary>The head after one entry.</summary>
    public static string Next(string previous, string pieceId, long seq, EventKind kind, string? actor, string? counterparty, string? recordHash, IReadOnlyList<string> makers)
    {
        var words = new byte[32 * 8];
        HexConvert.FromHex(previous).CopyTo(words, 0);
        HexConvert.FromHex(pieceId).CopyTo(words, 32);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(words.AsSpan(64 + 24, 8), seq);
        words[96 + 31] = (byte)kind;
        Address(actor).CopyTo(words.AsSpan(128 + 12));
        Address(counterparty).CopyTo(words.AsSpan(160 + 12));
        HexConvert.FromHex(recordHash ?? SignedAction.ZeroHash).CopyTo(words, 192);
        if (kind == EventKind.Registration)
        {
            var packed = new byte[32 * makers.Count];
            for (var i = 0; i < makers.Count; i++)
            {
                Address(makers[i]).CopyTo(packed.AsSpan((32 * i) + 12));
            }

            Keccak.Keccak256(packed).CopyTo(words, 224);
        }

        return HexConvert.ToHex(Keccak.Keccak256(words));
    }

    private static ReadOnlySpan<byte> Address(string? text) =>
        text is null ? new byte[20] : Provenance.Ethereum.Address.Parse(text).Bytes;
}
