using Provenance.Ethereum.Crypto;

namespace Provenance.Ethereum.Abi;

/// <summary>
/// A Solidity event (Solidity ABI specification, "Events"): topic 0 is the Keccak-256 of the signature (unless
/// anonymous); indexed parameters are further topics, the rest are ABI-encoded in the log data. An indexed
/// parameter of a dynamic or composite type (<c>string</c>, <c>bytes</c>, arrays, structs) is stored as the hash of its
/// value and decodes to an <see cref="AbiIndexedHash"/>, since the value cannot be recovered.
/// </summary>
public sealed class AbiEvent
{
    private readonly byte[] _topic0;
    private readonly AbiType[] _dataTypes;

    /// <summary>Creates an event from its parts.</summary>
    public AbiEvent(string name, IReadOnlyList<AbiParameter> inputs, bool anonymous = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Inputs = inputs ?? throw new ArgumentNullException(nameof(inputs));
        Anonymous = anonymous;
        Signature = AbiSignature.Format(name, inputs);
        _topic0 = Keccak.Keccak256(Signature);
        _dataTypes = inputs.Where(p => !p.Indexed).Select(p => p.Type).ToArray();
        IndexedCount = inputs.Count(p => p.Indexed);
    }

    /// <summary>The event name.</summary>
    public string Name { get; }

    /// <summary>All parameters in declaration order; <see cref="AbiParameter.Indexed"/> marks topics.</summary>
    public IReadOnlyList<AbiParameter> Inputs { get; }

    /// <summary>True for an anonymous event (no topic 0).</summary>
    public bool Anonymous { get; }

    /// <summary>Number of indexed parameters.</summary>
    public int IndexedCount { get; }

    /// <summary>The canonical signature, e.g. <c>Transfer(address,address,uint256)</c>.</summary>
    public string Signature { get; }

    /// <summary>Topic 0: the Keccak-256 of <see cref="Signature"/>.</summary>
    public ReadOnlySpan<byte> Topic0 => _topic0;

    /// <summary>Parses <c>[event] Name(type [indexed] [name], …) [anonymous]</c>.</summary>
    public static AbiEvent Parse(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var parser = new AbiTypeParser(signature);
        parser.TryKeyword("event");
        var name = parser.ReadIdentifier();
        var inputs = parser.ParseParameterList(allowIndexed: true);
        var anonymous = parser.TryKeyword("anonymous");
        parser.ExpectEnd();
        return new AbiEvent(name, inputs, anonymous);
    }

    /// <summary>
    /// The topic that filters for <paramref name="value"/> of an indexed parameter of <paramref name="type"/>:
    /// the 32-byte word of an elementary value, or the Keccak-256 of a <c>string</c>/<c>bytes</c> value.
    /// </summary>
    public static byte[] EncodeTopic(AbiType type, object? value)
    {
        switch (type)
        {
            case AbiStringType:
                return Keccak.Keccak256(value as string ?? throw new AbiException("A string topic needs a string."));
            case AbiBytesType:
                return Keccak.Keccak256(AbiCodec.EncodePacked([type], [value]));
            case AbiArrayType or AbiTupleType:
                throw new AbiException($"Topics for indexed {type} values are not supported.");
            default:
                var word = new byte[32];
                AbiCodec.WriteWord(type, value, word);
                return word;
        }
    }

    /// <summary>True when the log's topic 0 is this event's (always false for anonymous events).</summary>
    public bool Matches(IReadOnlyList<byte[]> topics) =>
        !Anonymous && topics.Count > 0 && topics[0].AsSpan().SequenceEqual(_topic0);

    /// <summary>Decodes a log into the event's parameters, in declaration order.</summary>
    /// <exception cref="AbiException">Another event, a wrong number of topics, or malformed data.</exception>
    public AbiValues DecodeLog(IReadOnlyList<byte[]> topics, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var first = Anonymous ? 0 : 1;
        if (!Anonymous && !Matches(topics))
        {
            throw new AbiException($"The log is not a {Signature} event.");
        }

        if (topics.Count != first + IndexedCount)
        {
            throw new AbiException($"{Signature} has {IndexedCount} indexed parameters, the log has {topics.Count - first} topics.");
        }

        var dataValues = AbiCodec.Decode(_dataTypes, data);
        var values = new object?[Inputs.Count];
        var topic = first;
        var dataIndex = 0;
        for (var i = 0; i < Inputs.Count; i++)
        {
            var input = Inputs[i];
            if (!input.Indexed)
            {
                values[i] = dataValues[dataIndex++];
                continue;
            }

            var word = topics[topic++];
            if (word.Length != 32)
            {
                throw new AbiException($"Topic {topic - 1} has {word.Length} bytes, not 32.");
            }

            values[i] = input.Type.IsDynamic || input.Type is AbiArrayType or AbiTupleType
                ? new AbiIndexedHash(word.ToArray())
                : AbiCodec.ReadWord(input.Type, word);
        }

        return new AbiValues(Inputs, values);
    }

    /// <inheritdoc />
    public override string ToString() => Signature;
}

/// <summary>The Keccak-256 hash that a log stores instead of an indexed <c>string</c>, <c>bytes</c>, array or struct.</summary>
public sealed record AbiIndexedHash(byte[] Hash)
{
    /// <inheritdoc />
    public override string ToString() => Hex.HexConvert.ToHex(Hash);
}
