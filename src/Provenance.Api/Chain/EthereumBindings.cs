using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Submission;

namespace Provenance.Api.Chain;

// The registry bindings over Provenance.Ethereum's ABI codec, EIP-712 and transaction signing (eth-core). Until those
// are merged, every member says so instead of guessing: the API works, writes answer 503 and the relayer waits.

/// <summary>Encodes registry calls and decodes its logs (needs eth-core's AbiCodec).</summary>
public sealed class RegistryCodec : IRegistryCodec
{
    /// <inheritdoc />
    public IReadOnlyList<string> IndexedTopics => throw Missing();

    /// <inheritdoc />
    public byte[] ExecuteBatch(IReadOnlyList<SignedAction> actions) => throw Missing();

    /// <inheritdoc />
    public byte[] GrantRole(string roleName, string account) => throw Missing();

    /// <inheritdoc />
    public RegistryLog? Decode(EthLog log) => throw Missing();

    internal static NotSupportedException Missing() =>
        new("Registry bindings need Provenance.Ethereum's ABI, EIP-712 and transaction signing (eth-core), not merged yet.");
}

/// <summary>Makes transaction signers (needs eth-core's transaction signing).</summary>
public sealed class EthSignerFactory : ISignerFactory
{
    /// <inheritdoc />
    public ITransactionSigner Create(ReadOnlySpan<byte> privateKey) => throw RegistryCodec.Missing();
}

/// <summary>Reads, simulates and signs registry actions (needs eth-core's ABI and EIP-712).</summary>
public sealed class RegistryChain(Deployment deployment, EthClient eth) : IRegistryChain
{
    /// <inheritdoc />
    public long ChainId => deployment.ChainId;

    /// <inheritdoc />
    public string Address => deployment.Address;

    /// <inheritdoc />
    public Task<long> NonceAsync(string signer, CancellationToken ct) => throw RegistryCodec.Missing();

    /// <inheritdoc />
    public Task<RegistryPiece> PieceAsync(string pieceId, CancellationToken ct) => throw RegistryCodec.Missing();

    /// <inheritdoc />
    public Task<RegistryError?> SimulateAsync(SignedAction action, CancellationToken ct) => throw RegistryCodec.Missing();

    /// <inheritdoc />
    public string Sign(SignedAction action, long nonce, long deadline, ReadOnlySpan<byte> privateKey) => throw RegistryCodec.Missing();

    /// <inheritdoc />
    public string? Recover(SignedAction action, ActionAuthorization authorization) => throw RegistryCodec.Missing();

    /// <inheritdoc />
    public TypedDataToSign TypedData(SignedAction action, ActionAuthorization authorization) => throw RegistryCodec.Missing();

    /// <inheritdoc />
    public async Task<long> HeadAsync(CancellationToken ct) => (long)await eth.GetBlockNumberAsync(ct);
}
