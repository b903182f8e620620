using System.Numerics;

namespace Provenance.Ethereum.Eth;

/// <summary>
/// The header fields of a block (<c>eth_getBlockByNumber</c> / <c>eth_getBlockByHash</c> with hashes only).
/// Hashes are lower-case <c>0x</c> hex. <see cref="BaseFeePerGas"/> is null before London (EIP-1559).
/// </summary>
public sealed record Block(
    ulong Number,
    string Hash,
    string ParentHash,
    ulong Timestamp,
    BigInteger? BaseFeePerGas,
    ulong GasLimit,
    ulong GasUsed,
    IReadOnlyList<string> TransactionHashes)
{
    /// <summary>The block time as UTC.</summary>
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeSeconds((long)Timestamp);
}

/// <summary>A log entry (<c>eth_getLogs</c>, receipt <c>logs</c>). Topics and hashes are lower-case <c>0x</c> hex.</summary>
public sealed record EthLog(
    Address Address,
    IReadOnlyList<string> Topics,
    byte[] Data,
    ulong BlockNumber,
    string BlockHash,
    string TransactionHash,
    ulong TransactionIndex,
    ulong LogIndex,
    bool Removed);

/// <summary>
/// A transaction receipt (<c>eth_getTransactionReceipt</c>) of a mined transaction. <see cref="Succeeded"/> is
/// <c>status == 1</c> (EIP-658); a failed transaction reverted and its reason comes from replaying it with eth_call.
/// </summary>
public sealed record TransactionReceipt(
    string TransactionHash,
    ulong TransactionIndex,
    string BlockHash,
    ulong BlockNumber,
    Address From,
    Address? To,
    Address? ContractAddress,
    ulong GasUsed,
    ulong CumulativeGasUsed,
    BigInteger EffectiveGasPrice,
    bool Succeeded,
    byte Type,
    IReadOnlyList<EthLog> Logs);

/// <summary>A transaction as the node reports it (<c>eth_getTransactionByHash</c>); block fields are null while pending.</summary>
public sealed record EthTransaction(
    string Hash,
    ulong Nonce,
    Address From,
    Address? To,
    BigInteger Value,
    byte[] Input,
    ulong Gas,
    BigInteger? GasPrice,
    BigInteger? MaxFeePerGas,
    BigInteger? MaxPriorityFeePerGas,
    byte Type,
    ulong? ChainId,
    string? BlockHash,
    ulong? BlockNumber,
    ulong? TransactionIndex)
{
    /// <summary>True once the transaction is in a block.</summary>
    public bool IsMined => BlockHash is not null;
}

/// <summary>The call object of <c>eth_call</c> and <c>eth_estimateGas</c>.</summary>
public sealed record CallRequest
{
    /// <summary>The sender (msg.sender in the call).</summary>
    public Address? From { get; init; }

    /// <summary>The contract called; null to simulate a creation.</summary>
    public Address? To { get; init; }

    /// <summary>The calldata.</summary>
    public byte[]? Data { get; init; }

    /// <summary>Wei sent with the call.</summary>
    public BigInteger? Value { get; init; }

    /// <summary>A gas limit for the call.</summary>
    public ulong? Gas { get; init; }
}

/// <summary>
/// An <c>eth_getLogs</c> filter: a block range (or one block hash), contract addresses, and topics per position —
/// each position null (any) or a list of alternatives (OR).
/// </summary>
public sealed record LogFilter
{
    /// <summary>First block (inclusive); default <c>latest</c>.</summary>
    public BlockParameter FromBlock { get; init; }

    /// <summary>Last block (inclusive); default <c>latest</c>.</summary>
    public BlockParameter ToBlock { get; init; }

    /// <summary>Restrict to one block (EIP-234); excludes <see cref="FromBlock"/>/<see cref="ToBlock"/>.</summary>
    public string? BlockHash { get; init; }

    /// <summary>Emitting contracts (any when empty).</summary>
    public IReadOnlyList<Address> Addresses { get; init; } = [];

    /// <summary>Topic alternatives per position; null means any value.</summary>
    public IReadOnlyList<IReadOnlyList<string>?> Topics { get; init; } = [];
}

/// <summary>
/// Fee inputs for a new transaction. With a base fee (London, EIP-1559) send type 2 with
/// <see cref="MaxFeePerGas"/> = 2·baseFee + tip; otherwise a legacy transaction at <see cref="GasPrice"/>.
/// </summary>
public sealed record FeeData(BigInteger? BaseFeePerGas, BigInteger MaxPriorityFeePerGas, BigInteger GasPrice)
{
    /// <summary>True when the latest block has a base fee (type-2 transactions apply).</summary>
    public bool SupportsEip1559 => BaseFeePerGas is not null;

    /// <summary>2·baseFee + tip, or null without a base fee.</summary>
    public BigInteger? MaxFeePerGas => BaseFeePerGas is { } b ? (2 * b) + MaxPriorityFeePerGas : null;
}

/// <summary>One page of <see cref="EthClient.GetLogsPagedAsync"/>: the logs of blocks <see cref="FromBlock"/>..<see cref="ToBlock"/>.</summary>
public sealed record LogPage(ulong FromBlock, ulong ToBlock, IReadOnlyList<EthLog> Logs);
