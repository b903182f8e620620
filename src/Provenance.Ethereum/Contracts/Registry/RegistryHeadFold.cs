using System.Buffers.Binary;
using Provenance.Ethereum.Crypto;

namespace Provenance.Ethereum.Contracts.Registry;

/// <summary>
/// The registry's per-piece hash chain (docs/contract.md, "Hash chain"): every piece starts at <c>head = 0</c> and each
/// entry sets <c>head = keccak256(abi.encode(head, id, seq, kind, actor, counterparty, recordHash, makersHash))</c> —
/// eight 32-byte words; <c>makersHash</c> is <see cref="MakersHash"/> for a registration and zero otherwise.
/// </summary>
public static class RegistryHeadFold
{
    /// <summary>The head after one entry, given the head before it and the entry's fold inputs (32-byte values).</summary>
    /// <exception cref="ArgumentException">A hash or id is not 32 bytes.</exception>
    public static byte[] Next(
        ReadOnlySpan<byte> previous, ReadOnlySpan<byte> id, ulong seq, EventKind kind, Address actor, Address counterparty,
        ReadOnlySpan<byte> recordHash, ReadOnlySpan<byte> makersHash)
    {
        Span<byte> words = stackalloc byte[32 * 8];
        words.Clear();
        Word(previous, nameof(previous)).CopyTo(words[..32]);
        Word(id, nameof(id)).CopyTo(words[32..64]);
        BinaryPrimitives.WriteUInt64BigEndian(words[(64 + 24)..96], seq);
        words[96 + 31] = (byte)kind;
        actor.Bytes.CopyTo(words[(128 + 12)..160]);
        counterparty.Bytes.CopyTo(words[(160 + 12)..192]);
        Word(recordHash, nameof(recordHash)).CopyTo(words[192..224]);
        Word(makersHash, nameof(makersHash)).CopyTo(words[224..256]);
        return Keccak.Keccak256(words);
    }

    /// <summary><c>keccak256(abi.encodePacked(makers))</c>: each address left-padded to 32 bytes, as the registry hashes it.</summary>
    public static byte[] MakersHash(IReadOnlyList<Address> makers)
    {
        ArgumentNullException.ThrowIfNull(makers);
        var packed = new byte[32 * makers.Count];
        for (var i = 0; i < makers.Count; i++)
        {
            makers[i].Bytes.CopyTo(packed.AsSpan((32 * i) + 12, 20));
        }

        return Keccak.Keccak256(packed);
    }

    private static ReadOnlySpan<byte> Word(ReadOnlySpan<byte> value, string name) =>
        value.Length == 32 ? value : throw new ArgumentException($"{name} must be 32 bytes, not {value.Length}", name);
}
