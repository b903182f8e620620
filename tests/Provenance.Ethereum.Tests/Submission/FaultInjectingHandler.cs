using System.Net;
using System.Text;
using System.Text.Json;

namespace Provenance.Ethereum.Tests.Submission;

/// <summary>What to do with one <c>eth_sendRawTransaction</c> on its way to the real node.</summary>
internal enum SendFault
{
    None,

    /// <summary>Fail as if the connection was refused; the node never sees it.</summary>
    DropBeforeNode,

    /// <summary>Forward it, then lose the answer (connection reset).</summary>
    LoseAnswer,

    /// <summary>Forward it, then answer "already known" instead.</summary>
    AnswerAlreadyKnown,

    /// <summary>Forward it, then answer "nonce too low" instead.</summary>
    AnswerNonceTooLow,

    /// <summary>Do not forward it; answer "replacement transaction underpriced" (as a pool holding a pricier one would).</summary>
    RefuseUnderpriced,
}

/// <summary>A proxy in front of a real node that injects faults into sends (other calls pass through).</summary>
internal sealed class FaultInjectingHandler(Func<int, SendFault> decide) : DelegatingHandler(new SocketsHttpHandler())
{
    private int _sends;

    public int Sends => Volatile.Read(ref _sends);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsStringAsync(cancellationToken);
        using var doc = JsonDocument.Parse(body);
        if (doc.RootElement.ValueKind != JsonValueKind.Object || doc.RootElement.GetProperty("method").GetString() != "eth_sendRawTransaction")
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var fault = decide(Interlocked.Increment(ref _sends));
        var id = doc.RootElement.GetProperty("id").GetRawText();
        switch (fault)
        {
            case SendFault.DropBeforeNode:
                throw new HttpRequestException(HttpRequestError.ConnectionError, "injected: connection refused");
            case SendFault.RefuseUnderpriced:
                return Error(id, "replacement transaction underpriced");
        }

        var response = await base.SendAsync(request, cancellationToken);
        return fault switch
        {
            SendFault.LoseAnswer => throw new HttpRequestException(HttpRequestError.ResponseEnded, "injected: connection reset"),
            SendFault.AnswerAlreadyKnown => Error(id, "already known"),
            SendFault.AnswerNonceTooLow => Error(id, "nonce too low"),
            _ => response,
        };
    }

    private static HttpResponseMessage Error(string id, string message) => new(HttpStatusCode.OK)
    {
        Content = new StringContent($$$"""{"jsonrpc":"2.0","id":{{{id}}},"error":{"code":-32000,"message":"{{{message}}}"}}""", Encoding.UTF8, "application/json"),
    };
}
