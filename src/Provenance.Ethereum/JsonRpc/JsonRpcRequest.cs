using System.Text.Json;
using System.Text.Json.Nodes;

namespace Provenance.Ethereum.JsonRpc;

/// <summary>
/// One JSON-RPC 2.0 call: a method and its positional parameters. The client assigns the <c>id</c>.
/// Parameters are immutable once built: they are rendered to JSON at construction.
/// </summary>
public sealed class JsonRpcRequest
{
    /// <summary>Creates a call of <paramref name="method"/> with positional <paramref name="parameters"/>.</summary>
    public JsonRpcRequest(string method, params JsonNode?[] parameters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        Method = method;
        var array = new JsonArray();
        foreach (var p in parameters)
        {
            array.Add(p?.DeepClone());
        }

        ParamsJson = array.ToJsonString();
    }

    /// <summary>The method name, e.g. <c>eth_call</c>.</summary>
    public string Method { get; }

    /// <summary>The <c>params</c> array as JSON text.</summary>
    public string ParamsJson { get; }

    /// <summary>A timeout for this call that overrides <see cref="JsonRpcClientOptions.RequestTimeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Method}{ParamsJson}";

    internal void WriteTo(Utf8JsonWriter writer, long id)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0");
        writer.WriteNumber("id"u8, id);
        writer.WriteString("method"u8, Method);
        writer.WritePropertyName("params"u8);
        writer.WriteRawValue(ParamsJson, skipInputValidation: true);
        writer.WriteEndObject();
    }
}

/// <summary>One answer of a batch: the <c>result</c> or the <c>error</c> of the call at the same position.</summary>
public sealed record JsonRpcResponse(JsonRpcRequest Request, JsonElement Result, JsonRpcError? Error)
{
    /// <summary>True when the node answered with a result.</summary>
    public bool IsSuccess => Error is null;

    /// <summary>The result, or throws the node's error as <see cref="JsonRpcException"/>.</summary>
    public JsonElement GetResultOrThrow() =>
        Error is null ? Result : throw new JsonRpcException(Request.Method, Error);
}

/// <summary>
/// A typed JSON-RPC call: the request and how to read its <c>result</c> (one type per RPC method, as Nethereum's
/// RPC layer has). Build them with <c>EthCalls</c>; send with <see cref="JsonRpcClientExtensions"/>.
/// </summary>
public sealed record RpcCall<T>(JsonRpcRequest Request, Func<JsonElement, T> Parse);
