using System.Buffers.Binary;
using Provenance.Ethereum.Crypto;

namespace Provenance.Ethereum.Abi;

/// <summary>
/// Signatures, function selectors, error selectors and event topics (Solidity ABI specification, "Function Selector"
/// and "Events"): the first 4 bytes, or all 32 bytes, of the Keccak-256 of the canonical signature
/// <c>name(type1,type2,…)</c>. Accepts human-readable signatures with parameter names and whitespace and normalises
/// them (<c>uint</c> → <c>uint256</c>).
/// </summary>
public static class AbiSignature
{
    /// <summary>Normalises <c>transfer(address to, uint amount)</c> to <c>transfer(address,uint256)</c>.</summary>
    public static string Canonical(string signature)
    {
        var (name, parameters) = Parse(signature, allowIndexed: true);
        return Format(name, parameters);
    }

    /// <summary>The 4-byte selector of a function or error signature.</summary>
    public static byte[] Selector(string signature) => Keccak.Keccak256(Canonical(signature))[..4];

    /// <summary>The 32-byte topic 0 of an event signature.</summary>
    public static byte[] EventTopic(string signature) => Keccak.Keccak256(Canonical(signature));

    /// <summary><c>name(type1,type2)</c> from a name and parameters.</summary>
    public static string Format(string name, IEnumerable<AbiParameter> parameters) =>
        name + "(" + string.Join(",", parameters.Select(p => p.Type.CanonicalName)) + ")";

    /// <summary>Splits <c>name(params)</c> into the name and the parameters (names and <c>indexed</c> kept).</summary>
    /// <exception cref="AbiException">Not a signature.</exception>
    public static (string Name, IReadOnlyList<AbiParameter> Parameters) Parse(string signature, bool allowIndexed = false)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var parser = new AbiTypeParser(signature);
        var name = parser.ReadIdentifier();
        var parameters = parser.ParseParameterList(allowIndexed);
        parser.ExpectEnd();
        return (name, parameters);
    }

    internal static uint SelectorKey(ReadOnlySpan<byte> selector) =>
        selector.Length >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(selector) : throw new AbiException("A selector has 4 bytes.");
}
