using System.Text.Json;

namespace Provenance.Ethereum.JsonRpc;

/// <summary>A JSON-RPC 2.0 error object (<c>code</c>, <c>message</c>, optional <c>data</c>, kept raw).</summary>
public sealed record JsonRpcError(long Code, string Message, JsonElement? Data)
{
    /// <summary>-32700: the node could not parse the request.</summary>
    public const long ParseError = -32700;

    /// <summary>-32600: the request object is invalid.</summary>
    public const long InvalidRequest = -32600;

    /// <summary>-32601: the method does not exist or is not available.</summary>
    public const long MethodNotFound = -32601;

    /// <summary>-32004: method not supported (EIP-1474; Hardhat answers unknown methods with it).</summary>
    public const long MethodNotSupported = -32004;

    /// <summary>-32602: invalid method parameters.</summary>
    public const long InvalidParams = -32602;

    /// <summary>-32603: internal JSON-RPC error (Hardhat uses it for reverted calls too).</summary>
    public const long InternalError = -32603;

    /// <summary>-32000: generic server error (geth: nonce too low, already known, …).</summary>
    public const long ServerError = -32000;

    /// <summary>-32005: limit exceeded (EIP-1474), used by providers to refuse a log range.</summary>
    public const long LimitExceeded = -32005;

    /// <summary>3: execution reverted, with the revert data in <c>data</c> (geth, Anvil).</summary>
    public const long ExecutionReverted = 3;

    /// <summary>True for "method not found" (-32601) and "method not supported" (-32004).</summary>
    public bool IsMethodUnavailable => Code is MethodNotFound or MethodNotSupported;

    /// <summary>The <c>data</c> member as JSON text, for logs and messages (null when absent).</summary>
    public string? DataText => Data is { } d ? d.GetRawText() : null;
}
