namespace Provenance.Verify.Checks;

/// <summary>One thing a source says that the chain contradicts (or a chain log that contradicts the fold).</summary>
/// <param name="Piece">piece code when known, else piece id</param>
/// <param name="PieceId">piece id</param>
/// <param name="Seq">history entry concerned, if any</param>
/// <param name="Source">chain, gateway or store</param>
/// <param name="Check">what was compared, e.g. <c>record</c>, <c>event</c>, <c>state</c>, <c>head</c></param>
/// <param name="Detail">the difference in words, with both values</param>
public sealed record Difference(string Piece, string PieceId, long? Seq, string Source, string Check, string Detail)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Source}: piece {Piece}{(Seq is { } s ? $" event {s}" : "")} [{Check}] {Detail}";
}
