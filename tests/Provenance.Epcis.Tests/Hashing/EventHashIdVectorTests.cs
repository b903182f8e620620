using System.Text.Json;
using Provenance.Epcis.Hashing;
using Provenance.Epcis.Tests.Support;
using Provenance.Testing;

namespace Provenance.Epcis.Tests.Hashing;

/// <summary>The reference implementation's published outputs (RalphTro/epcis-event-hash-generator, MIT).</summary>
public class EventHashIdVectorTests
{
    [VectorTheory]
    [MemberData(nameof(EpcisVectors.EventHashDocuments), MemberType = typeof(EpcisVectors))]
    public void ComputeAll_ReferenceDocument_PreHashesMatchReference(string name)
    {
        var expected = ReadLines(name + ".prehashes");
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(EpcisVectors.EventHashFolder, name + ".jsonld")));

        var hashes = EventHashId.ComputeAll(document.RootElement);

        hashes.Select(h => h.PreHash).Should().Equal(expected);
    }

    [VectorTheory]
    [MemberData(nameof(EpcisVectors.EventHashDocuments), MemberType = typeof(EpcisVectors))]
    public void ComputeAll_ReferenceDocument_IdsMatchReference(string name)
    {
        var expected = ReadLines(name + ".hashes");
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(EpcisVectors.EventHashFolder, name + ".jsonld")));

        var hashes = EventHashId.ComputeAll(document.RootElement);

        hashes.Select(h => h.Id).Should().Equal(expected);
        hashes.Should().OnlyContain(h => EventHashId.IsHashId(h.Id));
    }

    private static string[] ReadLines(string file) =>
        File.ReadAllLines(Path.Combine(EpcisVectors.EventHashFolder, file)).Where(l => l.Length > 0).ToArray();
}
