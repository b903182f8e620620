using Provenance.Ethereum;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Hex;

namespace Provenance.Verify.Chain;

/// <summary>
/// The registry's hash chain (docs/contract.md, "Hash chain"): every piece starts at <c>head = 0</c> and each entry sets
/// <c>head = keccak256(abi.encode(head, id, seq, kind, actor, counterparty, recordHash, makersHash))</c> — eight
/// 32-byte words.
/// </summary>
public static class HeadFold
{
    /// <summary>The head every piece starts from.</summary>
    public static string Genesis => RegistryAbi.ZeroHash;

    /// <summary>The head after <paramref name="entry"/> when the head before it was <paramref name="previous"/>.</summary>
    public static string Next(string previous, HistoryEntry entry) =>
        Next(previous, entry.PieceId, entry.Seq, entry.Kind, entry.Actor, entry.Counterparty, entry.RecordHash, entry.MakersHash);

    /// <summary>The head after one entry given its fold inputs (hashes as 0x hex).</summary>
    public static string Next(
        string previous, string pieceId, long seq, EventKind kind, Address actor, Address counterparty, string recordHash, string makersHash)
    {
        Span<byte> words = stackalloc byte[32 * 8];
        words.Clear();
        Word32(previous, words[..32]);
        Word32(pieceId, words[32..64]);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(words[(64 + 24)..96], seq);
        words[(96 + 31)] = (byte)kind;
        actor.Bytes.CopyTo(words[(128 + 12)..160]);
        counterparty.Bytes.CopyTo(words[(160 + 12)..192]);
        Word32(recordHash, words[192..224]);
        Word32(makersHash, words[224..256]);
        return HexConvert.ToHex(Keccak.Keccak256(words));
    }

    private static void Word32(string hex, Span<byte> destination)
    {
        var bytes = HexConvert.FromHex(hex);
        if (bytes.Length != 32)
        {
            throw new FormatException($"'{hex}' is not a 32-byte hex value");
        }

        bytes.CopyTo(destination);
    }
}
