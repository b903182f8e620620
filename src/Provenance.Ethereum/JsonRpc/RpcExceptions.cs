using System.Net;
using System.Text.Json;

namespace Provenance.Ethereum.JsonRpc;

/// <summary>Base of every failure of a JSON-RPC 2.0 call: a node's error answer, a transport failure or a timeout.</summary>
public abstract class RpcException : Exception
{
    /// <summary>Creates the exception for the named RPC method.</summary>
    protected RpcException(string method, string message, Exception? inner = null)
        : base(message, inner) => Method = method;

    /// <summary>The JSON-RPC method (or <c>batch</c>) that failed.</summary>
    public string Method { get; }
}

/// <summary>
/// A JSON-RPC 2.0 error object answered by the node (<c>{"code", "message", "data"}</c>): the node received and
/// rejected the call. <see cref="Data"/> is kept raw because nodes put revert data there in different shapes.
/// </summary>
public class JsonRpcException : RpcException
{
    /// <summary>Creates the exception from the node's error object.</summary>
    public JsonRpcException(string method, JsonRpcError error, Exception? inner = null)
        : base(method, $"{method} failed: {error.Message} (code {error.Code})", inner) => Error = error;

    /// <summary>The node's error object.</summary>
    public JsonRpcError Error { get; }

    /// <summary>The JSON-RPC error code (e.g. -32000 for a generic server error, 3 for an execution revert).</summary>
    public long Code => Error.Code;

    /// <summary>The node's error message, unchanged.</summary>
    public string RpcMessage => Error.Message;

    /// <summary>The raw <c>error.data</c> member, when present.</summary>
    public JsonElement? ErrorData => Error.Data;
}

/// <summary>What went wrong below JSON-RPC.</summary>
public enum RpcTransportFailure
{
    /// <summary>No connection could be made (refused, name not resolved, network unreachable): the request was certainly not delivered.</summary>
    Unreachable,

    /// <summary>The connection broke during the exchange: the node may or may not have received the request.</summary>
    ConnectionLost,

    /// <summary>The endpoint answered with an HTTP error status and no JSON-RPC answer.</summary>
    HttpStatus,

    /// <summary>The answer was not a valid JSON-RPC 2.0 response (or did not match the request ids).</summary>
    InvalidResponse,
}

/// <summary>An HTTP or network failure of a JSON-RPC call (no JSON-RPC answer was received).</summary>
public class RpcTransportException : RpcException
{
    /// <summary>Creates the exception.</summary>
    public RpcTransportException(
        string method,
        RpcTransportFailure failure,
        string message,
        HttpStatusCode? statusCode = null,
        Exception? inner = null,
        bool? certainlyNotDelivered = null)
        : base(method, message, inner)
    {
        Failure = failure;
        StatusCode = statusCode;
        _certainlyNotDelivered = certainlyNotDelivered ?? failure == RpcTransportFailure.Unreachable;
    }

    private readonly bool _certainlyNotDelivered;

    /// <summary>The kind of failure.</summary>
    public RpcTransportFailure Failure { get; }

    /// <summary>The HTTP status for <see cref="RpcTransportFailure.HttpStatus"/>.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>True when the node could not be reached at all (a gateway answers 503).</summary>
    public bool IsUnreachable => Failure == RpcTransportFailure.Unreachable;

    /// <summary>
    /// True only when the request certainly never reached the node (no connection was ever made for it); false
    /// whenever it might have been delivered, which matters for sends: a nonce may be reused only in the first case.
    /// </summary>
    public virtual bool CertainlyNotDelivered => _certainlyNotDelivered;
}

/// <summary>A JSON-RPC call that got no answer within its timeout; the node may still have received it.</summary>
public sealed class RpcTimeoutException : RpcTransportException
{
    /// <summary>Creates the exception.</summary>
    public RpcTimeoutException(string method, TimeSpan timeout, Exception? inner = null)
        : base(method, RpcTransportFailure.ConnectionLost, $"{method} got no answer within {timeout.TotalSeconds:0.###} s", null, inner)
        => Timeout = timeout;

    /// <summary>The timeout that expired.</summary>
    public TimeSpan Timeout { get; }

    /// <inheritdoc />
    public override bool CertainlyNotDelivered => false;
}
