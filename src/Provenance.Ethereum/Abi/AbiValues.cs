using System.Collections;

namespace Provenance.Ethereum.Abi;

/// <summary>
/// Decoded values of a parameter list (function outputs, call inputs, error arguments, event fields), readable by
/// position or by parameter name, with typed access through <see cref="Get{T}(string)"/>.
/// </summary>
public sealed class AbiValues : IReadOnlyList<object?>
{
    private readonly object?[] _values;

    internal AbiValues(IReadOnlyList<AbiParameter> parameters, object?[] values)
    {
        Parameters = parameters;
        _values = values;
    }

    /// <summary>The parameters, in order.</summary>
    public IReadOnlyList<AbiParameter> Parameters { get; }

    /// <inheritdoc />
    public int Count => _values.Length;

    /// <inheritdoc />
    public object? this[int index] => _values[index];

    /// <summary>The value of the parameter called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such parameter.</exception>
    public object? this[string name] => _values[IndexOf(name)];

    /// <summary>The value at <paramref name="index"/> as <typeparamref name="T"/>.</summary>
    public T Get<T>(int index) => Cast<T>(_values[index], Parameters[index].Name);

    /// <summary>The value called <paramref name="name"/> as <typeparamref name="T"/>.</summary>
    public T Get<T>(string name) => Cast<T>(this[name], name);

    /// <inheritdoc />
    public IEnumerator<object?> GetEnumerator() => ((IEnumerable<object?>)_values).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The values as an array (a copy).</summary>
    public object?[] ToArray() => (object?[])_values.Clone();

    private int IndexOf(string name)
    {
        for (var i = 0; i < Parameters.Count; i++)
        {
            if (Parameters[i].Name == name)
            {
                return i;
            }
        }

        throw new KeyNotFoundException($"No parameter named '{name}'.");
    }

    private static T Cast<T>(object? value, string name) => value is T t
        ? t
        : throw new InvalidCastException($"Parameter '{name}' is a {value?.GetType().Name ?? "null"}, not a {typeof(T).Name}.");
}
