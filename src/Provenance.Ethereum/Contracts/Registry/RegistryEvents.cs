using System.Numerics;
using Provenance.Ethereum.Abi;
using Provenance.Ethereum.Eth;

namespace Provenance.Ethereum.Contracts.Registry;

/// <summary>A decoded registry event with the position of its log (block, transaction, log index) for the indexer.</summary>
public abstract record RegistryEvent(EthLog Log)
{
    /// <summary>Decodes a <see cref="DecodedEvent"/> of the registry into its typed record; null for events not bound (role admin, …).</summary>
    internal static RegistryEvent? Decode(DecodedEvent e)
    {
        var v = e.Values;
        return e.Name switch
        {
            "PieceRegistered" => new PieceRegistered(e.Log, v.Get<byte[]>("id"), v.Get<Address>("artisan"), v.Get<Address>("claimSigner"),
                v.Get<object?[]>("makers").Cast<Address>().ToArray(), v.Get<byte[]>("recordHash"), v.Get<byte[]>("head")),
            "EventAppended" => new EventAppended(e.Log, v.Get<byte[]>("id"), (EventKind)(byte)v.Get<BigInteger>("kind"), v.Get<Address>("actor"),
                v.Get<BigInteger>("seq"), v.Get<byte[]>("recordHash"), v.Get<byte[]>("head")),
            "CustodyTransferred" => new CustodyTransferred(e.Log, v.Get<byte[]>("id"), v.Get<Address>("from"), v.Get<Address>("to"),
                v.Get<BigInteger>("seq"), v.Get<byte[]>("recordHash"), v.Get<byte[]>("head")),
            "StatusChanged" => new StatusChanged(e.Log, v.Get<byte[]>("id"), v.Get<Address>("actor"), (EventKind)(byte)v.Get<BigInteger>("kind"),
                (PieceStatus)(byte)v.Get<BigInteger>("previousStatus"), (PieceStatus)(byte)v.Get<BigInteger>("status"),
                v.Get<BigInteger>("seq"), v.Get<byte[]>("recordHash"), v.Get<byte[]>("head")),
            "PieceClaimed" => new PieceClaimed(e.Log, v.Get<byte[]>("id"), v.Get<Address>("owner"), v.Get<Address>("claimSigner"),
                v.Get<BigInteger>("seq"), v.Get<byte[]>("head")),
            "ActionSucceeded" => new ActionSucceeded(e.Log, v.Get<BigInteger>("index")),
            "ActionFailed" => new ActionFailed(e.Log, v.Get<BigInteger>("index"), v.Get<Address>("signer"), v.Get<BigInteger>("nonce"),
                v.Get<bool>("nonceConsumed"), v.Get<byte[]>("reason")),
            _ => null,
        };
    }
}

/// <summary><c>PieceRegistered(bytes32 indexed id, address indexed artisan, address claimSigner, address[] makers, bytes32 recordHash, bytes32 head)</c>.</summary>
public sealed record PieceRegistered(EthLog Log, byte[] Id, Address Artisan, Address ClaimSigner, IReadOnlyList<Address> Makers, byte[] RecordHash, byte[] Head)
    : RegistryEvent(Log);

/// <summary><c>EventAppended(bytes32 indexed id, uint8 indexed kind, address indexed actor, uint256 seq, bytes32 recordHash, bytes32 head)</c>.</summary>
public sealed record EventAppended(EthLog Log, byte[] Id, EventKind Kind, Address Actor, BigInteger Seq, byte[] RecordHash, byte[] Head)
    : RegistryEvent(Log);

/// <summary><c>CustodyTransferred(bytes32 indexed id, address indexed from, address indexed to, uint256 seq, bytes32 recordHash, bytes32 head)</c>.</summary>
public sealed record CustodyTransferred(EthLog Log, byte[] Id, Address From, Address To, BigInteger Seq, byte[] RecordHash, byte[] Head)
    : RegistryEvent(Log);

/// <summary><c>StatusChanged(bytes32 indexed id, address indexed actor, uint8 kind, uint8 previousStatus, uint8 status, uint256 seq, bytes32 recordHash, bytes32 head)</c>.</summary>
public sealed record StatusChanged(EthLog Log, byte[] Id, Address Actor, EventKind Kind, PieceStatus PreviousStatus, PieceStatus Status, BigInteger Seq, byte[] RecordHash, byte[] Head)
    : RegistryEvent(Log);

/// <summary><c>PieceClaimed(bytes32 indexed id, address indexed owner, address claimSigner, uint256 seq, bytes32 head)</c>.</summary>
public sealed record PieceClaimed(EthLog Log, byte[] Id, Address Owner, Address ClaimSigner, BigInteger Seq, byte[] Head)
    : RegistryEvent(Log);

/// <summary><c>ActionSucceeded(uint256 index)</c>: batch action <see cref="Index"/> succeeded.</summary>
public sealed record ActionSucceeded(EthLog Log, BigInteger Index) : RegistryEvent(Log);

/// <summary><c>ActionFailed(uint256 indexed index, address indexed signer, uint256 nonce, bool nonceConsumed, bytes reason)</c>.</summary>
public sealed record ActionFailed(EthLog Log, BigInteger Index, Address Signer, BigInteger Nonce, bool NonceConsumed, byte[] Reason)
    : RegistryEvent(Log);
