using Provenance.Testing;

namespace Provenance.Epcis.Tests.Support;

/// <summary>Locations of the EPCIS vectors under the shared vectors folder.</summary>
internal static class EpcisVectors
{
    public static string EventHashFolder => Path.Combine(RepoPaths.Vectors ?? string.Empty, "epcis", "eventhash");

    public static string Gs1Folder => Path.Combine(RepoPaths.Vectors ?? string.Empty, "epcis", "gs1");

    public static string Gs1Examples => Path.Combine(Gs1Folder, "JSON");

    /// <summary>Names of the reference implementation's JSON-LD test documents (theory data; empty without vectors).</summary>
    public static TheoryData<string> EventHashDocuments()
    {
        var data = new TheoryData<string>();
        if (RepoPaths.Vectors is not null)
        {
            foreach (var file in Directory.EnumerateFiles(EventHashFolder, "*.jsonld").Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileNameWithoutExtension(file));
            }
        }

        return data;
    }

    /// <summary>Paths (relative to gs1/JSON) of the official examples holding at least one ObjectEvent.</summary>
    public static TheoryData<string> OfficialExamplesWithObjectEvents()
    {
        var data = new TheoryData<string>();
        if (RepoPaths.Vectors is not null)
        {
            foreach (var file in Directory.EnumerateFiles(Gs1Examples, "*.jsonld", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                if (File.ReadAllText(file).Contains("\"ObjectEvent\"", StringComparison.Ordinal))
                {
                    data.Add(Path.GetRelativePath(Gs1Examples, file));
                }
            }
        }

        return data;
    }
}
