using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Provenance.Ethereum.Hex;

namespace Provenance.Ethereum.Eth;

// Wire shapes of the Ethereum JSON-RPC results (all quantities and data as hex strings), read with a
// source-generated context and mapped to the typed records in EthModels.cs.

internal sealed class BlockDto
{
    public string? Number { get; set; }
    public string? Hash { get; set; }
    public string? ParentHash { get; set; }
    public string? Timestamp { get; set; }
    public string? BaseFeePerGas { get; set; }
    public string? GasLimit { get; set; }
    public string? GasUsed { get; set; }
    public JsonElement Transactions { get; set; }
}

internal sealed class LogDto
{
    public string? Address { get; set; }
    public string[]? Topics { get; set; }
    public string? Data { get; set; }
    public string? BlockNumber { get; set; }
    public string? BlockHash { get; set; }
    public string? TransactionHash { get; set; }
    public string? TransactionIndex { get; set; }
    public string? LogIndex { get; set; }
    public bool? Removed { get; set; }
}

internal sealed class ReceiptDto
{
    public string? TransactionHash { get; set; }
    public string? TransactionIndex { get; set; }
    public string? BlockHash { get; set; }
    public string? BlockNumber { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }
    public string? ContractAddress { get; set; }
    public string? GasUsed { get; set; }
    public string? CumulativeGasUsed { get; set; }
    public string? EffectiveGasPrice { get; set; }
    public string? Status { get; set; }
    public string? Type { get; set; }
    public LogDto[]? Logs { get; set; }
}

internal sealed class TransactionDto
{
    public string? Hash { get; set; }
    public string? Nonce { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }
    public string? Value { get; set; }
    public string? Input { get; set; }
    public string? Gas { get; set; }
    public string? GasPrice { get; set; }
    public string? MaxFeePerGas { get; set; }
    public string? MaxPriorityFeePerGas { get; set; }
    public string? Type { get; set; }
    public string? ChainId { get; set; }
    public string? BlockHash { get; set; }
    public string? BlockNumber { get; set; }
    public string? TransactionIndex { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(BlockDto))]
[JsonSerializable(typeof(LogDto[]))]
[JsonSerializable(typeof(ReceiptDto))]
[JsonSerializable(typeof(TransactionDto))]
internal sealed partial class EthJsonContext : JsonSerializerContext;

/// <summary>Reads JSON-RPC results into the typed records; a missing or malformed field is a <see cref="FormatException"/>.</summary>
internal static class EthJson
{
    public static ulong Quantity(JsonElement result) => HexConvert.ParseQuantityUInt64(String(result, "result"));

    public static BigInteger BigQuantity(JsonElement result) => HexConvert.ParseQuantity(String(result, "result"));

    public static byte[] Data(JsonElement result) => HexConvert.FromHex(String(result, "result"));

    public static string Hash(JsonElement result) => Hash32(String(result, "result"), "result");

    public static Block? Block(JsonElement result)
    {
        if (result.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var dto = result.Deserialize(EthJsonContext.Default.BlockDto) ?? throw new FormatException("block is null");
        var hashes = new List<string>();
        if (dto.Transactions.ValueKind == JsonValueKind.Array)
        {
            foreach (var t in dto.Transactions.EnumerateArray())
            {
                hashes.Add(Hash32(
                    t.ValueKind == JsonValueKind.String ? t.GetString() : t.TryGetProperty("hash", out var h) ? h.GetString() : null,
                    "transactions[]"));
            }
        }

        return new Block(
            U64(dto.Number, "number"),
            Hash32(dto.Hash, "hash"),
            Hash32(dto.ParentHash, "parentHash"),
            U64(dto.Timestamp, "timestamp"),
            dto.BaseFeePerGas is null ? null : HexConvert.ParseQuantity(dto.BaseFeePerGas),
            U64(dto.GasLimit, "gasLimit"),
            U64(dto.GasUsed, "gasUsed"),
            hashes);
    }

    public static IReadOnlyList<EthLog> Logs(JsonElement result)
    {
        var dtos = result.Deserialize(EthJsonContext.Default.LogDtoArray) ?? throw new FormatException("logs are null");
        return Array.ConvertAll(dtos, Log);
    }

    public static TransactionReceipt? Receipt(JsonElement result)
    {
        if (result.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var dto = result.Deserialize(EthJsonContext.Default.ReceiptDto) ?? throw new FormatException("receipt is null");
        if (dto.BlockHash is null || dto.BlockNumber is null)
        {
            return null; // some nodes answer a pending receipt without a block: it does not count yet
        }

        return new TransactionReceipt(
            Hash32(dto.TransactionHash, "transactionHash"),
            U64(dto.TransactionIndex, "transactionIndex"),
            Hash32(dto.BlockHash, "blockHash"),
            U64(dto.BlockNumber, "blockNumber"),
            Addr(dto.From, "from"),
            OptionalAddr(dto.To),
            OptionalAddr(dto.ContractAddress),
            U64(dto.GasUsed, "gasUsed"),
            U64(dto.CumulativeGasUsed, "cumulativeGasUsed"),
            dto.EffectiveGasPrice is null ? BigInteger.Zero : HexConvert.ParseQuantity(dto.EffectiveGasPrice),
            U64(dto.Status, "status") == 1,
            (byte)(dto.Type is null ? 0 : U64(dto.Type, "type")),
            Array.ConvertAll(dto.Logs ?? [], Log));
    }

    public static EthTransaction? Transaction(JsonElement result)
    {
        if (result.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var dto = result.Deserialize(EthJsonContext.Default.TransactionDto) ?? throw new FormatException("transaction is null");
        return new EthTransaction(
            Hash32(dto.Hash, "hash"),
            U64(dto.Nonce, "nonce"),
            Addr(dto.From, "from"),
            OptionalAddr(dto.To),
            Big(dto.Value, "value"),
            HexConvert.FromHex(dto.Input ?? "0x"),
            U64(dto.Gas, "gas"),
            dto.GasPrice is null ? null : HexConvert.ParseQuantity(dto.GasPrice),
            dto.MaxFeePerGas is null ? null : HexConvert.ParseQuantity(dto.MaxFeePerGas),
            dto.MaxPriorityFeePerGas is null ? null : HexConvert.ParseQuantity(dto.MaxPriorityFeePerGas),
            (byte)(dto.Type is null ? 0 : U64(dto.Type, "type")),
            dto.ChainId is null ? null : U64(dto.ChainId, "chainId"),
            dto.BlockHash is null ? null : Hash32(dto.BlockHash, "blockHash"),
            dto.BlockNumber is null ? null : U64(dto.BlockNumber, "blockNumber"),
            dto.TransactionIndex is null ? null : U64(dto.TransactionIndex, "transactionIndex"));
    }

    /// <summary>Validates and lower-cases a 32-byte hash.</summary>
    public static string Hash32(string? value, string field) =>
        HexConvert.IsHexData(value, 32)
            ? value!.ToLowerInvariant()
            : throw new FormatException($"{field} is not a 32-byte hash: '{value}'");

    private static EthLog Log(LogDto dto) => new(
        Addr(dto.Address, "address"),
        Array.ConvertAll(dto.Topics ?? [], t => Hash32(t, "topics[]")),
        HexConvert.FromHex(dto.Data ?? "0x"),
        U64(dto.BlockNumber, "blockNumber"),
        Hash32(dto.BlockHash, "blockHash"),
        Hash32(dto.TransactionHash, "transactionHash"),
        U64(dto.TransactionIndex, "transactionIndex"),
        U64(dto.LogIndex, "logIndex"),
        dto.Removed ?? false);

    private static string String(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw new FormatException($"{field} is not a string: {element.GetRawText()}");

    private static ulong U64(string? value, string field) =>
        value is null ? throw new FormatException($"{field} is missing") : HexConvert.ParseQuantityUInt64(value);

    private static BigInteger Big(string? value, string field) =>
        value is null ? throw new FormatException($"{field} is missing") : HexConvert.ParseQuantity(value);

    private static Address Addr(string? value, string field) =>
        Address.TryParse(value, out var a) ? a : throw new FormatException($"{field} is not an address: '{value}'");

    private static Address? OptionalAddr(string? value) =>
        value is null ? null : Addr(value, "address");
}
