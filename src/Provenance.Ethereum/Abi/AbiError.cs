namespace Provenance.Ethereum.Abi;

/// <summary>
/// A Solidity error (Solidity ABI specification, "Errors"): revert data is <c>selector ‖ encode(arguments)</c>.
/// <see cref="ErrorString"/> is <c>Error(string)</c> (<c>0x08c379a0</c>, <c>require</c>/<c>revert("…")</c>) and
/// <see cref="Panic"/> is <c>Panic(uint256)</c> (<c>0x4e487b71</c>, assertion/arithmetic failures).
/// </summary>
public sealed class AbiError
{
    private readonly AbiType[] _types;
    private readonly byte[] _selector;

    /// <summary>Creates an error from its parts.</summary>
    public AbiError(string name, IReadOnlyList<AbiParameter> inputs)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Inputs = inputs ?? throw new ArgumentNullException(nameof(inputs));
        Signature = AbiSignature.Format(name, inputs);
        _selector = Crypto.Keccak.Keccak256(Signature)[..4];
        _types = inputs.Select(p => p.Type).ToArray();
    }

    /// <summary><c>Error(string)</c>.</summary>
    public static AbiError ErrorString { get; } = Parse("Error(string message)");

    /// <summary><c>Panic(uint256)</c>.</summary>
    public static AbiError Panic { get; } = Parse("Panic(uint256 code)");

    /// <summary>The error name.</summary>
    public string Name { get; }

    /// <summary>The arguments.</summary>
    public IReadOnlyList<AbiParameter> Inputs { get; }

    /// <summary>The canonical signature, e.g. <c>InsufficientBalance(uint256,uint256)</c>.</summary>
    public string Signature { get; }

    /// <summary>The 4-byte selector.</summary>
    public ReadOnlySpan<byte> Selector => _selector;

    /// <summary>Parses <c>[error] Name(type [name], …)</c>.</summary>
    public static AbiError Parse(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var parser = new AbiTypeParser(signature);
        parser.TryKeyword("error");
        var name = parser.ReadIdentifier();
        var inputs = parser.ParseParameterList(allowIndexed: false);
        parser.ExpectEnd();
        return new AbiError(name, inputs);
    }

    /// <summary>True when <paramref name="revertData"/> starts with this error's selector.</summary>
    public bool Matches(ReadOnlySpan<byte> revertData) => revertData.Length >= 4 && revertData[..4].SequenceEqual(_selector);

    /// <summary>Decodes revert data (selector checked) into the arguments.</summary>
    /// <exception cref="AbiException">Another error's selector or malformed data.</exception>
    public AbiValues Decode(ReadOnlySpan<byte> revertData)
    {
        if (!Matches(revertData))
        {
            throw new AbiException($"Revert data is not {Signature}.");
        }

        return new AbiValues(Inputs, AbiCodec.Decode(_types, revertData[4..]));
    }

    /// <summary>Encodes revert data (for tests and fakes of a node).</summary>
    public byte[] Encode(params object?[] args) => AbiCodec.EncodeWithPrefix(_selector, _types, args);

    /// <inheritdoc />
    public override string ToString() => Signature;
}
