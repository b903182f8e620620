using Provenance.Ethereum.Crypto;

namespace Provenance.Records;

/// <summary>
/// The record hash the registry stores and emits: <c>keccak256</c> of the record's RFC 8785 canonical UTF-8 bytes
/// (<see cref="Jcs"/>). An auditor recomputes it with any JCS implementation and any Keccak-256.
/// </summary>
public static class RecordHashing
{
    /// <summary>keccak256 of the canonical form of <paramref name="json"/>.</summary>
    /// <exception cref="System.Text.Json.JsonException">Not JSON.</exception>
    /// <exception cref="ArgumentException">Not I-JSON (e.g. a duplicate member name).</exception>
    public static byte[] Of(string json) => Keccak.Keccak256(Jcs.Canonicalize(json));
}
