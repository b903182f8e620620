namespace Provenance.Ethereum.Abi;

/// <summary>
/// A contract function (Solidity ABI specification, "Function Selector and Argument Encoding"): encodes calldata
/// (<c>selector ‖ encode(inputs)</c>), decodes calldata and return data.
/// </summary>
public sealed class AbiFunction
{
    private readonly AbiType[] _inputTypes;
    private readonly AbiType[] _outputTypes;
    private readonly byte[] _selector;

    /// <summary>Creates a function from its parts.</summary>
    public AbiFunction(string name, IReadOnlyList<AbiParameter> inputs, IReadOnlyList<AbiParameter>? outputs = null, string stateMutability = "nonpayable")
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Inputs = inputs ?? throw new ArgumentNullException(nameof(inputs));
        Outputs = outputs ?? [];
        StateMutability = stateMutability;
        Signature = AbiSignature.Format(name, Inputs);
        _selector = Crypto.Keccak.Keccak256(Signature)[..4];
        _inputTypes = Inputs.Select(p => p.Type).ToArray();
        _outputTypes = Outputs.Select(p => p.Type).ToArray();
    }

    /// <summary>The function name.</summary>
    public string Name { get; }

    /// <summary>The parameters.</summary>
    public IReadOnlyList<AbiParameter> Inputs { get; }

    /// <summary>The return values.</summary>
    public IReadOnlyList<AbiParameter> Outputs { get; }

    /// <summary><c>pure</c>, <c>view</c>, <c>nonpayable</c> or <c>payable</c>.</summary>
    public string StateMutability { get; }

    /// <summary>True for <c>pure</c> and <c>view</c> functions (call, don't transact).</summary>
    public bool IsReadOnly => StateMutability is "view" or "pure";

    /// <summary>The canonical signature, e.g. <c>transfer(address,uint256)</c>.</summary>
    public string Signature { get; }

    /// <summary>The 4-byte selector.</summary>
    public ReadOnlySpan<byte> Selector => _selector;

    /// <summary>
    /// Parses a human-readable signature: <c>[function] name(type [name], …) [view|pure|payable] [returns (type [name], …)]</c>.
    /// </summary>
    public static AbiFunction Parse(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var parser = new AbiTypeParser(signature);
        parser.TryKeyword("function");
        var name = parser.ReadIdentifier();
        var inputs = parser.ParseParameterList(allowIndexed: false);
        var mutability = "nonpayable";
        IReadOnlyList<AbiParameter> outputs = [];
        while (!parser.AtEnd())
        {
            if (parser.TryKeyword("returns"))
            {
                outputs = parser.ParseParameterList(allowIndexed: false);
            }
            else
            {
                var word = parser.ReadIdentifier();
                mutability = word switch
                {
                    "view" or "pure" or "payable" or "nonpayable" => word,
                    "external" or "public" => mutability,
                    _ => throw new AbiException($"Unexpected '{word}' in function signature '{signature}'."),
                };
            }
        }

        return new AbiFunction(name, inputs, outputs, mutability);
    }

    /// <summary>Calldata for a call with <paramref name="args"/> (one per input, in order).</summary>
    public byte[] Encode(params object?[] args) => AbiCodec.EncodeWithPrefix(_selector, _inputTypes, args);

    /// <summary>Decodes calldata (selector checked) into the input values.</summary>
    /// <exception cref="AbiException">Another function's selector or malformed data.</exception>
    public AbiValues DecodeInput(ReadOnlySpan<byte> calldata)
    {
        if (calldata.Length < 4 || !calldata[..4].SequenceEqual(_selector))
        {
            throw new AbiException($"Calldata is not a call to {Signature}.");
        }

        return new AbiValues(Inputs, AbiCodec.Decode(_inputTypes, calldata[4..]));
    }

    /// <summary>Decodes return data into the output values.</summary>
    /// <exception cref="AbiException">Malformed data.</exception>
    public AbiValues DecodeOutput(ReadOnlySpan<byte> returnData) =>
        new(Outputs, AbiCodec.Decode(_outputTypes, returnData));

    /// <summary>Encodes return values (for tests and fakes of a node).</summary>
    public byte[] EncodeOutput(params object?[] values) => AbiCodec.Encode(_outputTypes, values);

    /// <inheritdoc />
    public override string ToString() => Signature;
}
