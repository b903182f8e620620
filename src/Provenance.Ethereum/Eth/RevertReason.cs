namespace Provenance.Ethereum.Eth;

/// <summary>What kind of revert data a failed call returned.</summary>
public enum RevertKind
{
    /// <summary>No data: a bare <c>revert()</c>, <c>require(cond)</c> without message, or a node that omits the data.</summary>
    Empty,

    /// <summary>Solidity <c>Error(string)</c> (selector <c>0x08c379a0</c>): <c>require(cond, "message")</c>.</summary>
    ErrorString,

    /// <summary>Solidity <c>Panic(uint256)</c> (selector <c>0x4e487b71</c>): assert, overflow, division by zero, …</summary>
    Panic,

    /// <summary>A custom error found by selector in a known ABI.</summary>
    Custom,

    /// <summary>Data that matches no known error (an unknown selector or malformed encoding).</summary>
    Unknown,
}

/// <summary>One decoded argument of a revert.</summary>
public sealed record RevertArgument(string Name, string Type, object? Value);

/// <summary>
/// A decoded revert reason: its kind, the error name (<c>Error</c>, <c>Panic</c>, or the custom error's name),
/// its arguments, and the raw revert data. <see cref="Message"/> is a readable one-line description.
/// </summary>
public sealed record RevertReason(RevertKind Kind, string? Name, IReadOnlyList<RevertArgument> Args, byte[] Raw, string Message)
{
    /// <summary>The 4-byte selector as <c>0x</c> hex, or null when the data is shorter than 4 bytes.</summary>
    public string? Selector => Raw.Length >= 4 ? Hex.HexConvert.ToHex(Raw.AsSpan(0, 4)) : null;

    /// <summary>The value of the argument named <paramref name="name"/>.</summary>
    public object? this[string name] => Args.FirstOrDefault(a => a.Name == name)?.Value
        ?? throw new KeyNotFoundException($"{Name} has no argument '{name}'");

    /// <inheritdoc />
    public override string ToString() => Message;
}
