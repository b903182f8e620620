using Provenance.Ethereum;
using Provenance.Ethereum.Contracts.Registry;
using Provenance.Ethereum.Hex;

namespace Provenance.Verify.Chain;

/// <summary>
/// The registry's hash chain over hex-valued history entries: a thin adapter over the Ethereum layer's
/// <see cref="RegistryHeadFold"/> (docs/contract.md, "Hash chain").
/// </summary>
public static class HeadFold
{
    /// <summary>The head every piece starts from.</summary>
    public static string Genesis => HistoryLogs.ZeroHash;

    /// <summary>The head after <paramref name="entry"/> when the head before it was <paramref name="previous"/>.</summary>
    public static string Next(string previous, HistoryEntry entry) =>
        Next(previous, entry.PieceId, entry.Seq, entry.Kind, entry.Actor, entry.Counterparty, entry.RecordHash, entry.MakersHash);

    /// <summary>The head after one entry given its fold inputs (hashes as 0x hex).</summary>
    /// <exception cref="FormatException">A hash or id is not 32 bytes of hex.</exception>
    public static string Next(
        string previous, string pieceId, long seq, EventKind kind, Address actor, Address counterparty, string recordHash, string makersHash) =>
        HexConvert.ToHex(RegistryHeadFold.Next(Word(previous), Word(pieceId), (ulong)seq, kind, actor, counterparty, Word(recordHash), Word(makersHash)));

    private static byte[] Word(string hex)
    {
        var bytes = HexConvert.FromHex(hex);
        return bytes.Length == 32 ? bytes : throw new FormatException($"'{hex}' is not a 32-byte hex value");
    }
}
