using Provenance.Ethereum.Hex;

namespace Provenance.Ethereum.Eth;

/// <summary>
/// The default block parameter of the Ethereum JSON-RPC API: a block number or one of the tags
/// <c>latest</c>, <c>pending</c>, <c>earliest</c>, <c>safe</c>, <c>finalized</c>. <c>default</c> is <c>latest</c>.
/// </summary>
public readonly record struct BlockParameter
{
    private readonly string? _tag;

    private BlockParameter(string? tag, ulong? number)
    {
        _tag = tag;
        Number = number;
    }

    /// <summary>The most recent mined block (the default).</summary>
    public static BlockParameter Latest => default;

    /// <summary>The pending state (mined block plus the node's pool), e.g. for nonces.</summary>
    public static BlockParameter Pending => new("pending", null);

    /// <summary>The genesis block.</summary>
    public static BlockParameter Earliest => new("earliest", null);

    /// <summary>The latest safe head (post-merge chains).</summary>
    public static BlockParameter Safe => new("safe", null);

    /// <summary>The latest finalized block (post-merge chains).</summary>
    public static BlockParameter Finalized => new("finalized", null);

    /// <summary>The block number, when this parameter names one.</summary>
    public ulong? Number { get; }

    /// <summary>A specific block number.</summary>
    public static BlockParameter FromNumber(ulong number) => new(null, number);

    /// <summary>A specific block number.</summary>
    public static implicit operator BlockParameter(ulong number) => FromNumber(number);

    /// <summary>The JSON-RPC value: a QUANTITY or a tag.</summary>
    public string ToRpcValue() => Number is { } n ? HexConvert.ToQuantity(n) : _tag ?? "latest";

    /// <inheritdoc />
    public override string ToString() => ToRpcValue();
}
