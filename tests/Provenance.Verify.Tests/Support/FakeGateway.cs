using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Provenance.Verify.Tests.Support;

/// <summary>
/// A tiny HTTP server (HttpListener) that answers the gateway endpoints provenance-verify reads —
/// <c>/api/audit/pieces</c>, <c>/api/audit/events</c>, <c>/api/pieces/{code}</c> — from the actions a test made,
/// after passing them through <see cref="Alter"/> so a test can make it lie.
/// </summary>
public sealed class FakeGateway : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<IReadOnlyList<ActionRecord>> _actions;
    private readonly Func<ulong> _indexedBlock;
    private readonly long _chainId;
    private readonly string _contract;
    private readonly Task _loop;

    /// <summary>Starts on a free loopback port.</summary>
    public FakeGateway(Func<IReadOnlyList<ActionRecord>> actions, Func<ulong> indexedBlock, long chainId, string contract)
    {
        _actions = actions;
        _indexedBlock = indexedBlock;
        _chainId = chainId;
        _contract = contract;
        var port = FreePort();
        Url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The base URL.</summary>
    public Uri Url { get; }

    /// <summary>The bearer token the last request carried.</summary>
    public string? LastAuthorization { get; private set; }

    /// <summary>Rewrites the history the fake serves (identity by default).</summary>
    public Func<IReadOnlyList<ActionRecord>, IReadOnlyList<ActionRecord>> Alter { get; set; } = a => a;

    /// <summary>Page size of the listings (small, so paging is exercised).</summary>
    public int PageSize { get; set; } = 3;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            LastAuthorization = context.Request.Headers["Authorization"];
            var (status, body) = Answer(context.Request.Url!);
            var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private (int, JsonNode) Answer(Uri url)
    {
        var actions = Alter(_actions());
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        var offset = int.TryParse(query["cursor"], out var o) ? o : 0;
        var block = _indexedBlock();
        if (url.AbsolutePath == "/api/audit/events")
        {
            var items = actions.OrderBy(a => a.Block).ThenBy(a => a.LogIndex).Skip(offset).Take(PageSize).Select(Event).ToArray();
            return (200, Page(items, offset, actions.Count, block));
        }

        var pieces = actions.GroupBy(a => a.Code).Select(g => g.OrderBy(a => a.Seq).ToList()).ToList();
        if (url.AbsolutePath == "/api/audit/pieces")
        {
            var items = pieces.Skip(offset).Take(PageSize).Select(p => (JsonNode)new JsonObject
            {
                ["pieceId"] = p[0].PieceId, ["code"] = p[0].Code, ["status"] = p[^1].Status, ["custodian"] = p[^1].Custodian,
                ["owner"] = p[^1].Owner, ["eventCount"] = p[^1].Seq, ["head"] = p[^1].Head, ["stateBlock"] = p[^1].Block,
            }).ToArray();
            return (200, Page(items, offset, pieces.Count, block));
        }

        if (url.AbsolutePath.StartsWith("/api/pieces/", StringComparison.Ordinal))
        {
            var code = url.AbsolutePath["/api/pieces/".Length..];
            var p = pieces.FirstOrDefault(x => x[0].Code == code);
            if (p is null)
            {
                return (404, new JsonObject { ["status"] = 404, ["title"] = "Not found" });
            }

            return (200, new JsonObject
            {
                ["code"] = code, ["pieceId"] = p[0].PieceId, ["status"] = p[^1].Status,
                ["custodian"] = new JsonObject { ["address"] = p[^1].Custodian },
                ["owner"] = p[^1].Owner is null ? null : new JsonObject { ["address"] = p[^1].Owner },
                ["events"] = new JsonArray(p.Select(a => (JsonNode)new JsonObject
                {
                    ["seq"] = a.Seq, ["kind"] = a.Kind, ["actor"] = new JsonObject { ["address"] = a.Actor },
                    ["counterparty"] = a.Counterparty is null ? null : new JsonObject { ["address"] = a.Counterparty },
                    ["record"] = a.RecordJson is null ? null : new JsonObject
                    {
                        ["hash"] = a.RecordHash, ["check"] = "verified", ["data"] = JsonNode.Parse(a.RecordJson),
                    },
                    ["head"] = a.Head,
                    ["chain"] = new JsonObject { ["txHash"] = a.TxHash, ["blockNumber"] = a.Block, ["logIndex"] = a.LogIndex },
                }).ToArray()),
                ["proof"] = new JsonObject
                {
                    ["chainId"] = _chainId, ["contract"] = _contract, ["eventCount"] = p[^1].Seq, ["head"] = p[^1].Head, ["indexedBlock"] = block,
                },
            });
        }

        return (404, new JsonObject { ["status"] = 404 });
    }

    private JsonNode Page(JsonNode[] items, int offset, int total, ulong block) => new JsonObject
    {
        ["items"] = new JsonArray(items), ["indexedBlock"] = block,
        ["nextCursor"] = offset + PageSize < total ? (offset + PageSize).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
    };

    private static JsonNode Event(ActionRecord a) => new JsonObject
    {
        ["blockNumber"] = a.Block, ["logIndex"] = a.LogIndex, ["transactionHash"] = a.TxHash, ["pieceId"] = a.PieceId, ["pieceCode"] = a.Code,
        ["seq"] = a.Seq, ["kind"] = a.Kind, ["actor"] = a.Actor, ["counterparty"] = a.Counterparty, ["recordHash"] = a.RecordHash, ["head"] = a.Head,
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
