using Provenance.Ethereum.Abi;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Submission;

namespace Provenance.Ethereum.Contracts;

/// <summary>A log decoded with a contract's ABI: the event, its values by name, and the log it came from.</summary>
public sealed record DecodedEvent(AbiEvent Event, AbiValues Values, EthLog Log)
{
    /// <summary>The event's name.</summary>
    public string Name => Event.Name;
}

/// <summary>
/// A contract at an address seen through its <see cref="ContractAbi"/> (Solidity ABI specification): encodes calls,
/// runs read-only functions with <c>eth_call</c>, builds transactions for the submitter, decodes logs into events and
/// revert data into the contract's custom errors. Functions are named by name or, when overloaded, signature.
/// </summary>
public class ContractClient
{
    /// <summary>Creates the client.</summary>
    public ContractClient(EthClient eth, ContractAbi abi, Address address)
    {
        ArgumentNullException.ThrowIfNull(eth);
        ArgumentNullException.ThrowIfNull(abi);
        Eth = eth;
        Abi = abi;
        Address = address;
        Errors = new RevertDecoder(abi);
    }

    /// <summary>The RPC client.</summary>
    public EthClient Eth { get; }

    /// <summary>The contract's ABI.</summary>
    public ContractAbi Abi { get; }

    /// <summary>The contract's address.</summary>
    public Address Address { get; }

    /// <summary>Decodes revert data into standard errors and this contract's custom errors.</summary>
    public RevertDecoder Errors { get; }

    /// <summary>The calldata of <paramref name="function"/> with <paramref name="args"/>.</summary>
    public byte[] EncodeCall(string function, params object?[] args) => Abi.GetFunction(function).Encode(args);

    /// <summary>A transaction calling <paramref name="function"/>, for <see cref="TransactionSubmitter.SubmitAsync"/>.</summary>
    public TransactionRequest CreateTransaction(string function, params object?[] args) =>
        new() { To = Address, Data = EncodeCall(function, args) };

    /// <summary>
    /// Runs <paramref name="function"/> with <c>eth_call</c> at <paramref name="block"/> (as <paramref name="from"/>) and
    /// decodes its outputs.
    /// </summary>
    /// <exception cref="ContractRevertedException">It reverted; <see cref="ContractRevertedException.Reason"/> names the custom error.</exception>
    public async Task<AbiValues> CallAsync(
        string function, IReadOnlyList<object?> args, BlockParameter block, Address? from, CancellationToken cancellationToken)
    {
        var abiFunction = Abi.GetFunction(function);
        var data = abiFunction.Encode([.. args]);
        try
        {
            var result = await Eth.CallAsync(new CallRequest { From = from, To = Address, Data = data }, block, cancellationToken)
                .ConfigureAwait(false);
            return abiFunction.DecodeOutput(result);
        }
        catch (ContractRevertedException e)
        {
            throw WithContractErrors(e);
        }
    }

    /// <summary>Runs a read-only function at the latest block.</summary>
    public Task<AbiValues> CallAsync(string function, CancellationToken cancellationToken, params object?[] args) =>
        CallAsync(function, args, BlockParameter.Latest, null, cancellationToken);

    /// <summary>Simulates a state-changing call as <paramref name="from"/>; throws the decoded revert when it would fail.</summary>
    public async Task SimulateAsync(TransactionRequest transaction, Address from, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        try
        {
            await Eth.CallAsync(
                new CallRequest { From = from, To = transaction.To, Data = transaction.Data, Value = transaction.Value },
                BlockParameter.Pending,
                cancellationToken).ConfigureAwait(false);
        }
        catch (ContractRevertedException e)
        {
            throw WithContractErrors(e);
        }
    }

    /// <summary>Decodes a log of this contract; null for another address or an event not in the ABI.</summary>
    /// <exception cref="AbiException">The log claims a known event but its topics or data do not fit it.</exception>
    public DecodedEvent? DecodeLog(EthLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (log.Address != Address || log.Topics.Count == 0)
        {
            return null;
        }

        var topics = log.Topics.Select(Hex.HexConvert.FromHex).ToArray();
        return Abi.FindEvent(topics[0]) is { } abiEvent
            ? new DecodedEvent(abiEvent, abiEvent.DecodeLog(topics, log.Data), log)
            : null;
    }

    /// <summary>Decodes every log of this contract in <paramref name="logs"/> (e.g. a receipt's), skipping others.</summary>
    public IReadOnlyList<DecodedEvent> DecodeLogs(IEnumerable<EthLog> logs) =>
        logs.Select(DecodeLog).OfType<DecodedEvent>().ToList();

    /// <summary>A log filter for this contract and, when given, only the named events (topic 0 alternatives).</summary>
    public LogFilter EventFilter(params string[] eventNames) => new()
    {
        Addresses = [Address],
        Topics = eventNames.Length == 0 ? [] : [eventNames.Select(n => Hex.HexConvert.ToHex(Abi.GetEvent(n).Topic0)).ToArray()],
    };

    private ContractRevertedException WithContractErrors(ContractRevertedException e) =>
        new(e.Method, e.Error, e.RevertData, Errors.Decode(e.RevertData), e);
}
