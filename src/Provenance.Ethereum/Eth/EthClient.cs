using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using Provenance.Ethereum.JsonRpc;

namespace Provenance.Ethereum.Eth;

/// <summary>
/// Typed Ethereum JSON-RPC methods (execution-apis <c>eth_*</c>) over an <see cref="IJsonRpcClient"/>, plus what the
/// raw methods lack: revert decoding for <c>eth_call</c>/<c>eth_estimateGas</c>, EIP-1559 fee data, receipt waiting
/// with backoff and an overall timeout, and <c>eth_getLogs</c> paged by block range with splitting of refused pages.
/// Thread-safe.
/// </summary>
public sealed class EthClient
{
    private readonly EthClientOptions _options;

    /// <summary>Creates the client; <paramref name="options"/> are validated here.</summary>
    public EthClient(IJsonRpcClient rpc, EthClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        _options = options ?? new EthClientOptions();
        _options.Validate();
        Rpc = rpc;
    }

    /// <summary>The JSON-RPC client underneath (for batches and other methods).</summary>
    public IJsonRpcClient Rpc { get; }

    /// <summary>The revert decoder used for <see cref="ContractRevertedException.Reason"/>.</summary>
    public RevertDecoder RevertDecoder => _options.RevertDecoder;

    /// <summary><c>eth_chainId</c>.</summary>
    public Task<ulong> GetChainIdAsync(CancellationToken cancellationToken) =>
        Rpc.SendAsync(EthCalls.ChainId(), cancellationToken);

    /// <summary><c>eth_blockNumber</c>.</summary>
    public Task<ulong> GetBlockNumberAsync(CancellationToken cancellationToken) =>
        Rpc.SendAsync(EthCalls.BlockNumber(), cancellationToken);

    /// <summary><c>eth_getBlockByNumber</c> (header and transaction hashes); null when the block does not exist.</summary>
    public Task<Block?> GetBlockByNumberAsync(BlockParameter block, CancellationToken cancellationToken) =>
        Rpc.SendAsync(EthCalls.GetBlockByNumber(block), cancellationToken);

    /// <summary><c>eth_getBlockByHash</c>; null when the node does not know the block.</summary>
    public Task<Block?> GetBlockByHashAsync(string blockHash, CancellationToken cancellationToken) =>
        Rpc.SendAsync(EthCalls.GetBlockByHash(blockHash), cancellationToken);

    /// <summary><c>eth_getBalance</c> in wei.</summary>
    public Task<BigInteger> GetBalanceAsync(Address address, BlockParameter block, CancellationToken cancellationToken) =>
        Rpc.SendAsync(EthCalls.GetBalance(address, block), cancellationToken);

    /// <summary><c>eth_getTransactionCount</c>: the next nonce (<see cref="BlockParameter.Pending"/> includes the pool).</summary>
    public Task<ulong> GetTransactionCountAsync(Address address, BlockParameter block, CancellationToken cancellationToken) =>
        Rpc.SendAsync(EthCalls.GetTransactionCount(address, block), cancellationToken);

    /// <summary><c>eth_getCode</c>.</summary>
    public Task<byte[]> GetCodeAsync(Address address, BlockParameter block, CancellationToken cancellationToken) =>
        Rpc.SendAsync(EthCalls.GetCode(address, block), cancellationToken);

    /// <summary><c>eth_gasPrice</c>.</summary>
    public Task<BigInteger> GetGasPriceAsync(CancellationToken cancellationToken) =>
        Rpc.SendAsync(EthCalls.GasPrice(), cancellationToken);

    /// <summary><c>eth_sendRawTransaction</c>: returns the transaction hash the node computed.</summary>
    public Task<string> SendRawTransactionAsync(byte[] signedTransaction, CancellationToken cancellationToken) =>
        Rpc.SendAsync(EthCalls.SendRawTransaction(signedTransaction), cancellationToken);

    /// <summary><c>eth_getTransactionReceipt</c>; null until mined (a receipt counts only with a block hash).</summary>
    public Task<TransactionReceipt?> GetTransactionReceiptAsync(string transactionHash, CancellationToken cancellationToken) =>
        Rpc.SendAsync(EthCalls.GetTransactionReceipt(transactionHash), cancellationToken);

    /// <summary><c>eth_getTransactionByHash</c>; null when the node does not know it (neither pooled nor mined).</summary>
    public Task<EthTransaction?> GetTransactionByHashAsync(string transactionHash, CancellationToken cancellationToken) =>
        Rpc.SendAsync(EthCalls.GetTransactionByHash(transactionHash), cancellationToken);

    /// <summary><c>eth_getLogs</c> in one call (see <see cref="GetLogsPagedAsync"/> for large ranges).</summary>
    public Task<IReadOnlyList<EthLog>> GetLogsAsync(LogFilter filter, CancellationToken cancellationToken) =>
        Rpc.SendAsync(EthCalls.GetLogs(filter), cancellationToken);

    /// <summary><c>eth_call</c> at <paramref name="block"/>.</summary>
    /// <exception cref="ContractRevertedException">The call reverted; the reason is decoded.</exception>
    public Task<byte[]> CallAsync(CallRequest call, BlockParameter block, CancellationToken cancellationToken) =>
        WithRevertDecodingAsync(EthCalls.Call(call, block), cancellationToken);

    /// <summary><c>eth_estimateGas</c>.</summary>
    /// <exception cref="ContractRevertedException">The call would revert; the reason is decoded.</exception>
    public Task<ulong> EstimateGasAsync(CallRequest call, CancellationToken cancellationToken) =>
        WithRevertDecodingAsync(EthCalls.EstimateGas(call), cancellationToken);

    /// <summary>
    /// Fee data for a new transaction in one batch: the latest block's <c>baseFeePerGas</c>,
    /// <c>eth_maxPriorityFeePerGas</c> (falling back to gasPrice − baseFee, then to the configured tip, when the
    /// node lacks it) and <c>eth_gasPrice</c>.
    /// </summary>
    public async Task<FeeData> GetFeeDataAsync(CancellationToken cancellationToken)
    {
        var batch = new JsonRpcBatch();
        var latest = batch.Add(EthCalls.GetBlockByNumber(BlockParameter.Latest));
        var tip = batch.Add(EthCalls.MaxPriorityFeePerGas());
        var gasPrice = batch.Add(EthCalls.GasPrice());
        await Rpc.SendBatchAsync(batch, cancellationToken).ConfigureAwait(false);

        var block = await latest.ConfigureAwait(false) ?? throw new InvalidOperationException("The node has no latest block.");
        var price = await gasPrice.ConfigureAwait(false);
        BigInteger priority;
        try
        {
            priority = await tip.ConfigureAwait(false);
        }
        catch (JsonRpcException e) when (e.Error.IsMethodUnavailable || e.Code == JsonRpcError.InvalidParams)
        {
            priority = block.BaseFeePerGas is { } b && price > b ? price - b : _options.FallbackPriorityFee;
        }

        return new FeeData(block.BaseFeePerGas, priority, price);
    }

    /// <summary>
    /// Polls <c>eth_getTransactionReceipt</c> with exponential backoff until a receipt with a block hash appears.
    /// Transport failures while polling are retried until the overall timeout; a node error is thrown.
    /// </summary>
    /// <exception cref="ReceiptTimeoutException">No receipt within <see cref="ReceiptWaitOptions.Timeout"/>.</exception>
    public async Task<TransactionReceipt> WaitForReceiptAsync(
        string transactionHash, ReceiptWaitOptions? options, CancellationToken cancellationToken)
    {
        var wait = options ?? _options.ReceiptWait;
        wait.Validate();
        var call = EthCalls.GetTransactionReceipt(transactionHash);
        var clock = Stopwatch.StartNew();
        var delay = wait.InitialDelay;
        while (true)
        {
            try
            {
                var remaining = wait.Timeout - clock.Elapsed;
                var request = new JsonRpcRequest(call.Request.Method, System.Text.Json.Nodes.JsonValue.Create(transactionHash))
                {
                    Timeout = remaining > TimeSpan.Zero && remaining < TimeSpan.FromSeconds(30) ? remaining : null,
                };
                var result = await Rpc.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (call.Parse(result) is { } receipt)
                {
                    return receipt;
                }
            }
            catch (RpcTransportException)
            {
                // The node is briefly unavailable (or the poll timed out): keep polling until the overall timeout.
            }

            var left = wait.Timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new ReceiptTimeoutException(transactionHash, wait.Timeout);
            }

            await Task.Delay(delay < left ? delay : left, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min((long)(delay.Ticks * wait.Multiplier), wait.MaxDelay.Ticks));
        }
    }

    /// <summary>
    /// <c>eth_getLogs</c> for blocks <paramref name="fromBlock"/>..<paramref name="toBlock"/> in pages of at most
    /// <see cref="LogPagingOptions.MaxBlockRange"/> blocks, in block order. A page the node refuses (range or result
    /// limit, or a timeout) is split in halves and retried; a refused single block throws. Each page is yielded
    /// whole, so a caller can store the logs and its cursor (<see cref="LogPage.ToBlock"/>) together.
    /// The filter's own block range and block hash are ignored.
    /// </summary>
    public async IAsyncEnumerable<LogPage> GetLogsPagedAsync(
        LogFilter filter,
        ulong fromBlock,
        ulong toBlock,
        LogPagingOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var paging = options ?? _options.LogPaging;
        paging.Validate();
        var span = paging.MaxBlockRange;
        var start = fromBlock;
        while (start <= toBlock)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = toBlock - start < span ? toBlock : start + span - 1;
            IReadOnlyList<EthLog> logs;
            try
            {
                logs = await GetLogsAsync(
                    filter with { BlockHash = null, FromBlock = start, ToBlock = end }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (end > start && IsRefusal(e, paging))
            {
                span = Math.Max(1, (end - start + 1) / 2);
                continue;
            }

            yield return new LogPage(start, end, logs);
            if (end == toBlock)
            {
                yield break;
            }

            start = end + 1;
            span = span > paging.MaxBlockRange / 2 ? paging.MaxBlockRange : span * 2;
        }
    }

    private static bool IsRefusal(Exception e, LogPagingOptions paging) => e switch
    {
        RpcTimeoutException => paging.SplitOnTimeout,
        JsonRpcException j => paging.IsRangeRefusal(j),
        _ => false,
    };

    private async Task<T> WithRevertDecodingAsync<T>(RpcCall<T> call, CancellationToken cancellationToken)
    {
        try
        {
            return await Rpc.SendAsync(call, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonRpcException e) when (e is not ContractRevertedException && RevertData.TryExtract(e.Error, out var data))
        {
            throw new ContractRevertedException(call.Request.Method, e.Error, data, _options.RevertDecoder.Decode(data), e);
        }
    }
}
