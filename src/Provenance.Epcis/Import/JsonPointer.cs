using System.Text.Json;

namespace Provenance.Epcis.Import;

/// <summary>RFC 6901 JSON Pointer building and the names of JSON value kinds for messages.</summary>
internal static class JsonPointer
{
    /// <summary><paramref name="parent"/> + <c>/</c> + the escaped member name or index.</summary>
    public static string Append(string parent, string member) =>
        parent + "/" + member.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    /// <summary><paramref name="parent"/> + <c>/</c> + <paramref name="index"/>.</summary>
    public static string Append(string parent, int index) => parent + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"an object", "a string", … for error messages.</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
