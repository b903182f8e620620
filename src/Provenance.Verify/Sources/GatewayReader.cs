using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Provenance.Ethereum;
using Provenance.Ethereum.Contracts.Registry;
using Provenance.Verify.Chain;

namespace Provenance.Verify.Sources;

/// <summary>A gateway answered something the verifier cannot read (wrong status, not the documented JSON).</summary>
public sealed class GatewayException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads what a Provenance gateway's HTTP API says: the audit listings <c>GET /api/audit/pieces</c> and
/// <c>GET /api/audit/events</c> (cursor-paged, auditor key) and, for every piece with a code, the public
/// <c>GET /api/pieces/{code}</c> (history with records, custody, owner, proof).
/// </summary>
public sealed class GatewayReader(HttpClient http, int pageSize = 500, int parallelism = 8)
{
    /// <summary>A client for <paramref name="baseUrl"/> sending <paramref name="apiKey"/> as a bearer token.</summary>
    public static HttpClient CreateClient(Uri baseUrl, string? apiKey, TimeSpan timeout)
    {
        var client = new HttpClient { BaseAddress = baseUrl, Timeout = timeout };
        if (!string.IsNullOrEmpty(apiKey))
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>Reads the gateway's pieces, histories, states and records.</summary>
    public async Task<IndexedView> ReadAsync(long chainId, Address registry, CancellationToken ct)
    {
        var pieces = new Dictionary<string, IndexedPiece>(StringComparer.OrdinalIgnoreCase);
        IndexedPiece Piece(string id) => pieces.TryGetValue(id, out var p) ? p : pieces[id] = new IndexedPiece(id);

        ulong? indexed = null;
        await foreach (var (item, block) in PagesAsync("/api/audit/pieces", ct))
        {
            indexed ??= block;
            var piece = Piece(Text(item, "pieceId")!);
            piece.Code = Text(item, "code");
            piece.States.Add(new StateClaim("GET /api/audit/pieces", (ulong)(Long(item, "stateBlock") ?? 0), Status(Text(item, "status")),
                Addr(Text(item, "custodian")), Addr(Text(item, "owner")), Long(item, "eventCount"), Text(item, "head")));
        }

        var events = new Dictionary<string, List<EventClaim>>(StringComparer.OrdinalIgnoreCase);
        ulong? eventsAsOf = null;
        await foreach (var (item, block) in PagesAsync("/api/audit/events", ct))
        {
            eventsAsOf ??= block;
            var id = Text(item, "pieceId")!;
            if (!events.TryGetValue(id, out var list))
            {
                events[id] = list = [];
            }

            list.Add(new EventClaim(Long(item, "seq") ?? 0, Text(item, "kind"), Addr(Text(item, "actor")), Addr(Text(item, "counterparty")),
                Text(item, "recordHash"), Text(item, "head"), (ulong)(Long(item, "blockNumber") ?? 0), (ulong)(Long(item, "logIndex") ?? 0),
                Text(item, "transactionHash")));
        }

        foreach (var (id, list) in events)
        {
            Piece(id).Histories.Add(new EventsClaim("GET /api/audit/events", eventsAsOf ?? 0, list));
        }

        var withCodes = pieces.Values.Where(p => p.Code is not null).ToList();
        await Parallel.ForEachAsync(withCodes, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (piece, token) => await ReadPiecePageAsync(piece, chainId, registry, token));
        return new IndexedView("gateway", indexed ?? eventsAsOf ?? 0, pieces, RecordsComplete: false);
    }

    private async Task ReadPiecePageAsync(IndexedPiece piece, long chainId, Address registry, CancellationToken ct)
    {
        var where = $"GET /api/pieces/{piece.Code}";
        using var response = await http.GetAsync($"/api/pieces/{Uri.EscapeDataString(piece.Code!)}", ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            lock (piece)
            {
                piece.Problems.Add($"{where} answers 404 for a piece GET /api/audit/pieces lists");
            }

            return;
        }

        var root = await ReadJsonAsync(response, where, ct);
        var proof = root.GetProperty("proof");
        var asOf = (ulong)(Long(proof, "indexedBlock") ?? 0);
        var entries = new List<EventClaim>();
        var records = new List<RecordClaim>();
        foreach (var e in root.GetProperty("events").EnumerateArray())
        {
            var chain = e.GetProperty("chain");
            entries.Add(new EventClaim(Long(e, "seq")!.Value, Text(e, "kind"), Addr(Nested(e, "actor", "address")),
                Addr(Nested(e, "counterparty", "address")), Nested(e, "record", "hash"), Text(e, "head"),
                (ulong)Long(chain, "blockNumber")!.Value, (ulong)Long(chain, "logIndex")!.Value, Text(chain, "txHash")));
            if (e.TryGetProperty("record", out var record) && record.ValueKind == JsonValueKind.Object)
            {
                records.Add(new RecordClaim($"{where} events[seq {Long(e, "seq")}].record", Text(record, "hash")!,
                    record.TryGetProperty("data", out var data) && data.ValueKind != JsonValueKind.Null ? data.GetRawText() : null));
            }
        }

        lock (piece)
        {
            piece.Histories.Add(new EventsClaim(where, asOf, entries));
            piece.Records.AddRange(records);
            piece.States.Add(new StateClaim(where, asOf, Status(Text(root, "status")), Addr(Nested(root, "custodian", "address")),
                Addr(Nested(root, "owner", "address")), Long(proof, "eventCount"), Text(proof, "head")));
            if (Long(proof, "chainId") is { } id && id != chainId)
            {
                piece.Problems.Add($"{where}: proof.chainId is {id}; the chain's id is {chainId}");
            }

            if (Addr(Text(proof, "contract")) is { } contract && contract != registry)
            {
                piece.Problems.Add($"{where}: proof.contract is {contract}; the registry is {registry}");
            }
        }
    }

    private async IAsyncEnumerable<(JsonElement Item, ulong IndexedBlock)> PagesAsync(
        string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? cursor = null;
        do
        {
            var url = $"{path}?limit={pageSize}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            using var response = await http.GetAsync(url, ct);
            var root = await ReadJsonAsync(response, "GET " + path, ct);
            var block = (ulong)(Long(root, "indexedBlock") ?? 0);
            foreach (var item in root.GetProperty("items").EnumerateArray())
            {
                yield return (item.Clone(), block);
            }

            cursor = Text(root, "nextCursor");
        }
        while (cursor is not null);
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new GatewayException($"{what} answered {(int)response.StatusCode}: {Shorten(text)}");
        }

        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new GatewayException($"{what} did not answer JSON: {Shorten(text)}", e);
        }
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    private static string? Nested(JsonElement e, string name, string inner) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? Text(v, inner) : null;

    private static Address? Addr(string? text) => Address.TryParse(text, out var a) ? a : null;

    private static PieceStatus? Status(string? text) => Enum.TryParse<PieceStatus>(text, ignoreCase: true, out var s) ? s : null;
}
