namespace Provenance.Api.Chain;

/// <summary>
/// The gateway's port to the registry contract: reads, EIP-712 signing of actions, simulation, relaying. Implemented
/// over Provenance.Ethereum (ABI, EIP-712, JSON-RPC); the write pipeline and endpoints only see this.
/// </summary>
public interface IRegistryChain
{
    /// <summary>Chain id the registry lives on.</summary>
    long ChainId { get; }

    /// <summary>Registry address (EIP-55).</summary>
    string Address { get; }

    /// <summary><c>nonces(signer)</c> at the latest block.</summary>
    Task<long> NonceAsync(string signer, CancellationToken ct);

    /// <summary><c>piece(id)</c> at the latest block.</summary>
    Task<RegistryPiece> PieceAsync(string pieceId, CancellationToken ct);

    /// <summary>
    /// Simulates <c>execute(action)</c> with eth_call from the relayer; null when it would succeed, else the decoded
    /// custom error. Throws <see cref="Provenance.Ethereum.JsonRpc.RpcTransportException"/> when the node is unreachable.
    /// </summary>
    Task<RegistryError?> SimulateAsync(SignedAction action, CancellationToken ct);

    /// <summary>
    /// Signs the action's EIP-712 typed data with <paramref name="nonce"/> and <paramref name="deadline"/> (for a handoff,
    /// the custodian and the receiver each sign the same Handoff data with their own nonce and deadline).
    /// </summary>
    Task<string> SignAsync(SignedAction action, bool asReceiver, long nonce, long deadline, byte[] privateKey, CancellationToken ct);

    /// <summary>Recovers the address that signed the action's typed data with <paramref name="authorization"/>, or null.</summary>
    Task<string?> RecoverAsync(SignedAction action, bool asReceiver, ActionAuthorization authorization, CancellationToken ct);

    /// <summary>The typed data to sign for an actor with its own wallet.</summary>
    TypedDataToSign TypedData(SignedAction action, ActionAuthorization authorization);

    /// <summary>Checks the node answers (eth_blockNumber); throws when unreachable.</summary>
    Task<long> HeadAsync(CancellationToken ct);
}
