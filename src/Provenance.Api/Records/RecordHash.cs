using System.Text.Json;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Hex;
using Provenance.Records;

namespace Provenance.Api.Records;

/// <summary>A record in canonical form with the hash that goes on chain.</summary>
public sealed record CanonicalRecord(string Json, byte[] Hash)
{
    /// <summary>The hash as 0x-prefixed hex (the on-chain <c>bytes32</c>).</summary>
    public string HashHex => HexConvert.ToHex(Hash);
}

/// <summary>
/// Off-chain records: RFC 8785 canonical JSON, hashed with Keccak-256 — the <c>bytes32</c> the registry stores
/// and emits. An auditor recomputes it with any JCS implementation and any Keccak-256.
/// </summary>
public static class RecordHash
{
    /// <summary>Canonicalises <paramref name="record"/> (serialised with camelCase names) and hashes it.</summary>
    public static CanonicalRecord Of<T>(T record, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        var json = JsonSerializer.Serialize(record, typeInfo);
        var canonical = Jcs.Canonicalize(json);
        return new CanonicalRecord(System.Text.Encoding.UTF8.GetString(canonical), Keccak.Keccak256(canonical));
    }

    /// <summary>Hashes stored record text as it is now (canonicalising it first).</summary>
    public static byte[] OfStored(string json) => RecordHashing.Of(json);
}
