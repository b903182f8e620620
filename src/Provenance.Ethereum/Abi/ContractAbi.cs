using System.Text.Json;
using Provenance.Ethereum.Hex;

namespace Provenance.Ethereum.Abi;

/// <summary>
/// A contract's JSON ABI (Solidity ABI specification, "JSON"), read from a plain ABI array or a Hardhat artifact
/// (<c>{ "contractName", "abi", "bytecode", … }</c>): functions, events and errors by name and by selector / topic.
/// </summary>
public sealed class ContractAbi
{
    private readonly Dictionary<uint, AbiFunction> _functionsBySelector = [];
    private readonly Dictionary<uint, AbiError> _errorsBySelector = [];
    private readonly Dictionary<string, AbiEvent> _eventsByTopic = new(StringComparer.Ordinal);

    private ContractAbi(string? contractName, List<AbiFunction> functions, List<AbiEvent> events, List<AbiError> errors,
        IReadOnlyList<AbiParameter> constructorInputs, byte[]? bytecode)
    {
        ContractName = contractName;
        Functions = functions;
        Events = events;
        Errors = errors;
        ConstructorInputs = constructorInputs;
        Bytecode = bytecode;
        foreach (var f in functions)
        {
            _functionsBySelector[AbiSignature.SelectorKey(f.Selector)] = f;
        }

        foreach (var e in errors)
        {
            _errorsBySelector[AbiSignature.SelectorKey(e.Selector)] = e;
        }

        foreach (var e in events)
        {
            _eventsByTopic[HexConvert.ToHex(e.Topic0)] = e;
        }
    }

    /// <summary>The artifact's <c>contractName</c>, when read from an artifact.</summary>
    public string? ContractName { get; }

    /// <summary>All functions.</summary>
    public IReadOnlyList<AbiFunction> Functions { get; }

    /// <summary>All events.</summary>
    public IReadOnlyList<AbiEvent> Events { get; }

    /// <summary>All custom errors.</summary>
    public IReadOnlyList<AbiError> Errors { get; }

    /// <summary>The constructor's parameters (empty if none).</summary>
    public IReadOnlyList<AbiParameter> ConstructorInputs { get; }

    /// <summary>The artifact's creation bytecode, when present and linked.</summary>
    public byte[]? Bytecode { get; }

    /// <summary>Reads a JSON ABI array or a Hardhat/Truffle artifact object with an <c>abi</c> property.</summary>
    /// <exception cref="AbiException">Not an ABI, or an entry with an invalid type.</exception>
    public static ContractAbi Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        return FromJson(document.RootElement);
    }

    /// <summary>Reads an artifact or ABI file.</summary>
    public static ContractAbi Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>Reads a JSON ABI array or an artifact object.</summary>
    public static ContractAbi FromJson(JsonElement root)
    {
        string? contractName = null;
        byte[]? bytecode = null;
        var abi = root;
        if (root.ValueKind == JsonValueKind.Object)
        {
            if (!root.TryGetProperty("abi", out abi))
            {
                throw new AbiException("The JSON object has no 'abi' property.");
            }

            contractName = root.TryGetProperty("contractName", out var n) ? n.GetString() : null;
            if (root.TryGetProperty("bytecode", out var b) && b.ValueKind == JsonValueKind.String
                && HexConvert.IsHexData(b.GetString()))
            {
                bytecode = HexConvert.FromHex(b.GetString()!);
            }
        }

        if (abi.ValueKind != JsonValueKind.Array)
        {
            throw new AbiException("An ABI is a JSON array.");
        }

        var functions = new List<AbiFunction>();
        var events = new List<AbiEvent>();
        var errors = new List<AbiError>();
        IReadOnlyList<AbiParameter> constructorInputs = [];
        foreach (var entry in abi.EnumerateArray())
        {
            var kind = entry.TryGetProperty("type", out var t) ? t.GetString() : "function";
            var name = entry.TryGetProperty("name", out var nm) ? nm.GetString() ?? string.Empty : string.Empty;
            switch (kind)
            {
                case "function":
                    functions.Add(new AbiFunction(
                        name,
                        ReadParameters(entry, "inputs"),
                        ReadParameters(entry, "outputs"),
                        entry.TryGetProperty("stateMutability", out var m) ? m.GetString() ?? "nonpayable" : "nonpayable"));
                    break;
                case "event":
                    events.Add(new AbiEvent(
                        name,
                        ReadParameters(entry, "inputs"),
                        entry.TryGetProperty("anonymous", out var a) && a.ValueKind == JsonValueKind.True));
                    break;
                case "error":
                    errors.Add(new AbiError(name, ReadParameters(entry, "inputs")));
                    break;
                case "constructor":
                    constructorInputs = ReadParameters(entry, "inputs");
                    break;
            }
        }

        return new ContractAbi(contractName, functions, events, errors, constructorInputs, bytecode);
    }

    /// <summary>The function called <paramref name="name"/>, or with that full signature (for overloads).</summary>
    /// <exception cref="KeyNotFoundException">No such function, or an overloaded name.</exception>
    public AbiFunction GetFunction(string name) => Single(Functions, f => f.Name, f => f.Signature, name, "function");

    /// <summary>The event called <paramref name="name"/>, or with that full signature.</summary>
    /// <exception cref="KeyNotFoundException">No such event, or an overloaded name.</exception>
    public AbiEvent GetEvent(string name) => Single(Events, e => e.Name, e => e.Signature, name, "event");

    /// <summary>The custom error called <paramref name="name"/>, or with that full signature.</summary>
    /// <exception cref="KeyNotFoundException">No such error, or an overloaded name.</exception>
    public AbiError GetError(string name) => Single(Errors, e => e.Name, e => e.Signature, name, "error");

    /// <summary>The function whose selector starts <paramref name="calldata"/>, if any.</summary>
    public AbiFunction? FindFunction(ReadOnlySpan<byte> calldata) =>
        calldata.Length >= 4 && _functionsBySelector.TryGetValue(AbiSignature.SelectorKey(calldata), out var f) ? f : null;

    /// <summary>The custom error whose selector starts <paramref name="revertData"/>, if any.</summary>
    public AbiError? FindError(ReadOnlySpan<byte> revertData) =>
        revertData.Length >= 4 && _errorsBySelector.TryGetValue(AbiSignature.SelectorKey(revertData), out var e) ? e : null;

    /// <summary>The (non-anonymous) event whose topic 0 is <paramref name="topic0"/>, if any.</summary>
    public AbiEvent? FindEvent(ReadOnlySpan<byte> topic0) =>
        _eventsByTopic.TryGetValue(HexConvert.ToHex(topic0), out var e) ? e : null;

    private static T Single<T>(IReadOnlyList<T> items, Func<T, string> nameOf, Func<T, string> signatureOf, string key, string what)
    {
        var bySignature = items.Where(i => signatureOf(i) == key).ToList();
        if (bySignature.Count == 1)
        {
            return bySignature[0];
        }

        var byName = items.Where(i => nameOf(i) == key).ToList();
        return byName.Count switch
        {
            1 => byName[0],
            0 => throw new KeyNotFoundException($"The ABI has no {what} '{key}'."),
            _ => throw new KeyNotFoundException(
                $"The {what} '{key}' is overloaded; use its signature: {string.Join(", ", byName.Select(signatureOf))}."),
        };
    }

    private static List<AbiParameter> ReadParameters(JsonElement entry, string property)
    {
        var list = new List<AbiParameter>();
        if (!entry.TryGetProperty(property, out var parameters) || parameters.ValueKind != JsonValueKind.Array)
        {
            return list;
        }

        foreach (var p in parameters.EnumerateArray())
        {
            list.Add(ReadParameter(p));
        }

        return list;
    }

    private static AbiParameter ReadParameter(JsonElement p)
    {
        var name = p.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty;
        var typeText = p.GetProperty("type").GetString() ?? throw new AbiException("An ABI parameter has no type.");
        var internalType = p.TryGetProperty("internalType", out var it) ? it.GetString() : null;
        var indexed = p.TryGetProperty("indexed", out var ix) && ix.ValueKind == JsonValueKind.True;
        AbiType type;
        if (typeText.StartsWith("tuple", StringComparison.Ordinal))
        {
            var components = ReadParameters(p, "components");
            var parser = new AbiTypeParser(typeText[5..]);
            type = parser.ParseArraySuffixes(AbiType.Tuple(components));
            parser.ExpectEnd();
        }
        else
        {
            type = AbiType.Parse(typeText);
        }

        return new AbiParameter(name, type, indexed, internalType);
    }
}
