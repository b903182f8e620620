using System.Numerics;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Rlp;

namespace Provenance.Ethereum.Transactions;

/// <summary>The transaction envelope type (EIP-2718).</summary>
public enum TransactionType : byte
{
    /// <summary>Untyped legacy transaction (with or without EIP-155 replay protection).</summary>
    Legacy = 0,

    /// <summary>EIP-2930 access-list transaction (type 1).</summary>
    AccessList = 1,

    /// <summary>EIP-1559 dynamic-fee transaction (type 2).</summary>
    DynamicFee = 2,
}

/// <summary>One EIP-2930 access-list entry: an address and the storage slots (32 bytes each) it will touch.</summary>
public sealed record AccessListEntry(Address Address, IReadOnlyList<byte[]> StorageKeys);

/// <summary>
/// The fields every transaction has. Concrete kinds are <see cref="LegacyTransaction"/>,
/// <see cref="Eip2930Transaction"/> and <see cref="Eip1559Transaction"/> (the typed ones share <see cref="TypedTransaction"/>); build one with an object initialiser (or
/// <c>with</c> for a fee bump), then <see cref="Sign"/> it. Note: record equality compares <see cref="Data"/> and access
/// lists by reference; compare <see cref="GetSigningPayload"/> for value equality.
/// </summary>
public abstract record Transaction
{
    private protected Transaction()
    {
    }

    /// <summary>The envelope type.</summary>
    public abstract TransactionType Type { get; }

    /// <summary>The sender's nonce.</summary>
    public ulong Nonce { get; init; }

    /// <summary>The gas limit.</summary>
    public ulong GasLimit { get; init; }

    /// <summary>The recipient; null creates a contract from <see cref="Data"/>.</summary>
    public Address? To { get; init; }

    /// <summary>Wei sent along.</summary>
    public BigInteger Value { get; init; }

    /// <summary>Calldata (or init code when <see cref="To"/> is null).</summary>
    public byte[] Data { get; init; } = [];

    /// <summary>The bytes whose Keccak-256 is signed (the unsigned serialisation of this transaction type).</summary>
    public abstract byte[] GetSigningPayload();

    /// <summary>The 32-byte hash that is signed.</summary>
    public byte[] GetSigningHash() => Keccak.Keccak256(GetSigningPayload());

    /// <summary>Signs with <paramref name="key"/> (RFC 6979, low-s) and returns the signed transaction.</summary>
    public SignedTransaction Sign(EthKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new SignedTransaction(this, key.Sign(GetSigningHash()));
    }

    /// <summary>Attaches an existing signature (e.g. decoded or from an external signer).</summary>
    public SignedTransaction WithSignature(EthSignature signature) => new(this, signature);

    /// <summary>The signed serialisation: legacy RLP, or <c>type ‖ rlp([...])</c> for typed transactions.</summary>
    internal abstract byte[] Encode(EthSignature signature);

    private protected static byte[] EncodeTo(Address? to) =>
        to is { } address ? RlpEncoder.EncodeBytes(address.Bytes) : RlpEncoder.EmptyString;

    private protected static byte[] EncodeAccessList(IReadOnlyList<AccessListEntry> accessList)
    {
        var entries = new byte[accessList.Count][];
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = accessList[i];
            var keys = new byte[entry.StorageKeys.Count][];
            for (var k = 0; k < keys.Length; k++)
            {
                if (entry.StorageKeys[k].Length != 32)
                {
                    throw new ArgumentException("An access-list storage key has 32 bytes.");
                }

                keys[k] = RlpEncoder.EncodeBytes(entry.StorageKeys[k]);
            }

            entries[i] = RlpEncoder.EncodeList(RlpEncoder.EncodeBytes(entry.Address.Bytes), RlpEncoder.EncodeList(keys));
        }

        return RlpEncoder.EncodeList(entries);
    }

    /// <summary>An integer from a 32-byte big-endian signature part, as a minimal RLP integer.</summary>
    private protected static byte[] EncodeSignaturePart(ReadOnlySpan<byte> part)
    {
        var first = part.IndexOfAnyExcept((byte)0);
        return RlpEncoder.EncodeBytes(first < 0 ? [] : part[first..]);
    }

    private protected static byte[] Typed(TransactionType type, byte[] rlpList)
    {
        var result = new byte[1 + rlpList.Length];
        result[0] = (byte)type;
        rlpList.CopyTo(result, 1);
        return result;
    }
}

/// <summary>
/// A legacy transaction: <c>rlp([nonce, gasPrice, gasLimit, to, value, data, v, r, s])</c>. With a
/// <see cref="ChainId"/> it is signed with EIP-155 replay protection (signing payload ends with
/// <c>chainId, 0, 0</c>; <c>v = chainId·2 + 35 + yParity</c>); without, <c>v = 27 + yParity</c> (pre-EIP-155).
/// </summary>
public sealed record LegacyTransaction : Transaction
{
    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Legacy;

    /// <summary>Wei per gas.</summary>
    public BigInteger GasPrice { get; init; }

    /// <summary>EIP-155 chain id; null signs without replay protection.</summary>
    public ulong? ChainId { get; init; }

    /// <inheritdoc />
    public override byte[] GetSigningPayload() => ChainId is { } chainId
        ? RlpEncoder.EncodeList([.. Fields(), RlpEncoder.EncodeInteger(chainId), RlpEncoder.EmptyString, RlpEncoder.EmptyString])
        : RlpEncoder.EncodeList(Fields());

    internal override byte[] Encode(EthSignature signature) => RlpEncoder.EncodeList(
    [
        .. Fields(),
        RlpEncoder.EncodeInteger(signature.GetLegacyV(ChainId)),
        EncodeSignaturePart(signature.RBytes),
        EncodeSignaturePart(signature.SBytes),
    ]);

    private byte[][] Fields() =>
    [
        RlpEncoder.EncodeInteger(Nonce),
        RlpEncoder.EncodeInteger(GasPrice),
        RlpEncoder.EncodeInteger(GasLimit),
        EncodeTo(To),
        RlpEncoder.EncodeInteger(Value),
        RlpEncoder.EncodeBytes(Data),
    ];
}

/// <summary>
/// The fields and serialisation an EIP-2718 typed transaction shares: <c>type ‖ rlp([chainId, …, accessList])</c>
/// signed, and <c>type ‖ rlp([chainId, …, accessList, yParity, r, s])</c> sent. Concrete kinds are
/// <see cref="Eip2930Transaction"/> and <see cref="Eip1559Transaction"/>; each lists only its own fields.
/// </summary>
public abstract record TypedTransaction : Transaction
{
    private protected TypedTransaction()
    {
    }

    /// <summary>The chain id.</summary>
    public ulong ChainId { get; init; }

    /// <summary>Addresses and storage keys the transaction pre-declares.</summary>
    public IReadOnlyList<AccessListEntry> AccessList { get; init; } = [];

    /// <inheritdoc />
    public sealed override byte[] GetSigningPayload() => Typed(Type, RlpEncoder.EncodeList(Fields()));

    internal sealed override byte[] Encode(EthSignature signature) => Typed(Type, RlpEncoder.EncodeList(
    [
        .. Fields(),
        RlpEncoder.EncodeInteger(signature.YParity),
        EncodeSignaturePart(signature.RBytes),
        EncodeSignaturePart(signature.SBytes),
    ]));

    /// <summary>The RLP-encoded fields from <c>chainId</c> to <c>accessList</c>, in this type's order.</summary>
    private protected abstract byte[][] Fields();
}

/// <summary>
/// An EIP-2930 access-list transaction (type 1):
/// <c>0x01 ‖ rlp([chainId, nonce, gasPrice, gasLimit, to, value, data, accessList, yParity, r, s])</c>.
/// </summary>
public sealed record Eip2930Transaction : TypedTransaction
{
    /// <inheritdoc />
    public override TransactionType Type => TransactionType.AccessList;

    /// <summary>Wei per gas.</summary>
    public BigInteger GasPrice { get; init; }

    private protected override byte[][] Fields() =>
    [
        RlpEncoder.EncodeInteger(ChainId),
        RlpEncoder.EncodeInteger(Nonce),
        RlpEncoder.EncodeInteger(GasPrice),
        RlpEncoder.EncodeInteger(GasLimit),
        EncodeTo(To),
        RlpEncoder.EncodeInteger(Value),
        RlpEncoder.EncodeBytes(Data),
        EncodeAccessList(AccessList),
    ];
}

/// <summary>
/// An EIP-1559 dynamic-fee transaction (type 2):
/// <c>0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList, yParity, r, s])</c>,
/// sent as these bytes (not RLP-wrapped).
/// </summary>
public sealed record Eip1559Transaction : TypedTransaction
{
    /// <inheritdoc />
    public override TransactionType Type => TransactionType.DynamicFee;

    /// <summary>The tip per gas to the block producer.</summary>
    public BigInteger MaxPriorityFeePerGas { get; init; }

    /// <summary>The most paid per gas (base fee + tip).</summary>
    public BigInteger MaxFeePerGas { get; init; }

    private protected override byte[][] Fields() =>
    [
        RlpEncoder.EncodeInteger(ChainId),
        RlpEncoder.EncodeInteger(Nonce),
        RlpEncoder.EncodeInteger(MaxPriorityFeePerGas),
        RlpEncoder.EncodeInteger(MaxFeePerGas),
        RlpEncoder.EncodeInteger(GasLimit),
        EncodeTo(To),
        RlpEncoder.EncodeInteger(Value),
        RlpEncoder.EncodeBytes(Data),
        EncodeAccessList(AccessList),
    ];
}
