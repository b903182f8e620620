using System.Numerics;
using System.Text.Json.Nodes;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.JsonRpc;

namespace Provenance.Ethereum.Eth;

/// <summary>
/// One typed <see cref="RpcCall{T}"/> per Ethereum JSON-RPC method the gateway uses (execution-apis spec names).
/// Send one with <see cref="JsonRpcClientExtensions.SendAsync{T}"/> or add several to a <see cref="JsonRpcBatch"/>.
/// </summary>
public static class EthCalls
{
    /// <summary><c>eth_chainId</c>: the EIP-155 chain id.</summary>
    public static RpcCall<ulong> ChainId() => new(new JsonRpcRequest("eth_chainId"), EthJson.Quantity);

    /// <summary><c>eth_blockNumber</c>: the latest block number.</summary>
    public static RpcCall<ulong> BlockNumber() => new(new JsonRpcRequest("eth_blockNumber"), EthJson.Quantity);

    /// <summary><c>eth_getBlockByNumber</c> with transaction hashes only; null when the block does not exist.</summary>
    public static RpcCall<Block?> GetBlockByNumber(BlockParameter block) =>
        new(new JsonRpcRequest("eth_getBlockByNumber", block.ToRpcValue(), false), EthJson.Block);

    /// <summary><c>eth_getBlockByHash</c> with transaction hashes only; null when unknown.</summary>
    public static RpcCall<Block?> GetBlockByHash(string blockHash) =>
        new(new JsonRpcRequest("eth_getBlockByHash", EthJson.Hash32(blockHash, nameof(blockHash)), false), EthJson.Block);

    /// <summary><c>eth_getBalance</c> in wei.</summary>
    public static RpcCall<BigInteger> GetBalance(Address address, BlockParameter block = default) =>
        new(new JsonRpcRequest("eth_getBalance", address.ToLowerHex(), block.ToRpcValue()), EthJson.BigQuantity);

    /// <summary><c>eth_getTransactionCount</c>: the next nonce at <paramref name="block"/> (use <c>pending</c> for sending).</summary>
    public static RpcCall<ulong> GetTransactionCount(Address address, BlockParameter block = default) =>
        new(new JsonRpcRequest("eth_getTransactionCount", address.ToLowerHex(), block.ToRpcValue()), EthJson.Quantity);

    /// <summary><c>eth_getCode</c>: the runtime bytecode (empty for an account without code).</summary>
    public static RpcCall<byte[]> GetCode(Address address, BlockParameter block = default) =>
        new(new JsonRpcRequest("eth_getCode", address.ToLowerHex(), block.ToRpcValue()), EthJson.Data);

    /// <summary><c>eth_call</c>: the return data of a message call executed without a transaction.</summary>
    public static RpcCall<byte[]> Call(CallRequest call, BlockParameter block = default) =>
        new(new JsonRpcRequest("eth_call", ToJson(call), block.ToRpcValue()), EthJson.Data);

    /// <summary><c>eth_estimateGas</c>: the gas the call would use.</summary>
    public static RpcCall<ulong> EstimateGas(CallRequest call) =>
        new(new JsonRpcRequest("eth_estimateGas", ToJson(call)), EthJson.Quantity);

    /// <summary><c>eth_gasPrice</c> in wei.</summary>
    public static RpcCall<BigInteger> GasPrice() => new(new JsonRpcRequest("eth_gasPrice"), EthJson.BigQuantity);

    /// <summary><c>eth_maxPriorityFeePerGas</c> in wei (a tip suggestion; not in every node).</summary>
    public static RpcCall<BigInteger> MaxPriorityFeePerGas() =>
        new(new JsonRpcRequest("eth_maxPriorityFeePerGas"), EthJson.BigQuantity);

    /// <summary><c>eth_sendRawTransaction</c>: submits a signed, serialised transaction; returns its hash.</summary>
    public static RpcCall<string> SendRawTransaction(ReadOnlySpan<byte> signedTransaction) =>
        new(new JsonRpcRequest("eth_sendRawTransaction", HexConvert.ToHex(signedTransaction)), EthJson.Hash);

    /// <summary><c>eth_getTransactionReceipt</c>; null while not mined (a receipt without <c>blockHash</c> counts as not mined).</summary>
    public static RpcCall<TransactionReceipt?> GetTransactionReceipt(string transactionHash) =>
        new(new JsonRpcRequest("eth_getTransactionReceipt", EthJson.Hash32(transactionHash, nameof(transactionHash))), EthJson.Receipt);

    /// <summary><c>eth_getTransactionByHash</c>; null when the node does not know the transaction.</summary>
    public static RpcCall<EthTransaction?> GetTransactionByHash(string transactionHash) =>
        new(new JsonRpcRequest("eth_getTransactionByHash", EthJson.Hash32(transactionHash, nameof(transactionHash))), EthJson.Transaction);

    /// <summary><c>eth_getLogs</c>.</summary>
    public static RpcCall<IReadOnlyList<EthLog>> GetLogs(LogFilter filter) =>
        new(new JsonRpcRequest("eth_getLogs", ToJson(filter)), EthJson.Logs);

    internal static JsonObject ToJson(CallRequest call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var json = new JsonObject();
        if (call.From is { } from)
        {
            json["from"] = from.ToLowerHex();
        }

        if (call.To is { } to)
        {
            json["to"] = to.ToLowerHex();
        }

        if (call.Gas is { } gas)
        {
            json["gas"] = HexConvert.ToQuantity(gas);
        }

        if (call.Value is { } value)
        {
            json["value"] = HexConvert.ToQuantity(value);
        }

        if (call.Data is { } data)
        {
            // "data", not the spec's newer "input": every node reads "data", and Hardhat rejects both together.
            json["data"] = HexConvert.ToHex(data);
        }

        return json;
    }

    internal static JsonObject ToJson(LogFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var json = new JsonObject();
        if (filter.BlockHash is not null)
        {
            json["blockHash"] = EthJson.Hash32(filter.BlockHash, nameof(filter.BlockHash));
        }
        else
        {
            json["fromBlock"] = filter.FromBlock.ToRpcValue();
            json["toBlock"] = filter.ToBlock.ToRpcValue();
        }

        if (filter.Addresses.Count == 1)
        {
            json["address"] = filter.Addresses[0].ToLowerHex();
        }
        else if (filter.Addresses.Count > 1)
        {
            json["address"] = new JsonArray(filter.Addresses.Select(a => (JsonNode?)JsonValue.Create(a.ToLowerHex())).ToArray());
        }

        if (filter.Topics.Count > 0)
        {
            var topics = new JsonArray();
            foreach (var position in filter.Topics)
            {
                topics.Add(position switch
                {
                    null => null,
                    [var single] => JsonValue.Create(EthJson.Hash32(single, "topic")),
                    _ => new JsonArray(position.Select(t => (JsonNode?)JsonValue.Create(EthJson.Hash32(t, "topic"))).ToArray()),
                });
            }

            json["topics"] = topics;
        }

        return json;
    }
}
