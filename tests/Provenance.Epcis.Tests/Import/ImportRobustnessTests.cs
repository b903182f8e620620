using System.Text.Json.Nodes;
using Provenance.Epcis.Export;
using Provenance.Epcis.Import;
using Provenance.Epcis.Tests.Support;
using Provenance.Testing;

namespace Provenance.Epcis.Tests.Import;

/// <summary>Bad input never throws: every value of real documents replaced, one at a time, by every JSON kind.</summary>
public class ImportRobustnessTests
{
    private static readonly JsonNode?[] Replacements = [null, -1.5e300, "x y", true, new JsonArray("a", 1), new JsonObject()];

    [Fact]
    public async Task ImportAsync_AnyValueOfAnExportReplaced_NeverThrows()
    {
        var exporter = new EpcisExporter(SampleHistory.Profile);
        var document = exporter.BuildDocument(SampleHistory.Events().Take(8), DateTimeOffset.UnixEpoch);

        var (runs, rejected) = await ReplaceEveryValueAsync(document, DictionaryPieceResolver.ForSamplePieces());

        runs.Should().BeGreaterThan(800);
        rejected.Should().BeGreaterThan(runs / 2);
    }

    [VectorTheory]
    [InlineData("Example_9.6.1-ObjectEvent.jsonld")]
    [InlineData("WithFullCombinationOfFields/object_event_all_possible_fields.jsonld")]
    public async Task ImportAsync_AnyValueOfAnOfficialExampleReplaced_NeverThrows(string example)
    {
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(EpcisVectors.Gs1Examples, example)))!.AsObject();
        var everything = new AnyPieceResolver();

        var (runs, _) = await ReplaceEveryValueAsync(document, everything);

        runs.Should().BeGreaterThan(100);
    }

    private static async Task<(int Runs, int Rejected)> ReplaceEveryValueAsync(JsonObject document, IPieceResolver resolver)
    {
        var importer = new EpcisImporter(SampleHistory.Profile);
        var runs = 0;
        var rejected = 0;
        foreach (var path in Paths(document))
        {
            foreach (var replacement in Replacements)
            {
                var copy = document.DeepClone().AsObject();
                var (parent, key) = Locate(copy, path);
                switch (parent)
                {
                    case JsonObject o: o[(string)key] = replacement?.DeepClone(); break;
                    case JsonArray a: a[(int)key] = replacement?.DeepClone(); break;
                }

                var result = await importer.ImportAsync(copy.ToJsonString(), resolver, CancellationToken.None);
                runs++;
                if (!result.Succeeded)
                {
                    rejected++;
                    result.Errors.Should().OnlyContain(e => e.Message.Length > 0 && (e.Pointer.Length == 0 || e.Pointer.StartsWith('/')));
                }
            }
        }

        return (runs, rejected);
    }

    private static IEnumerable<List<object>> Paths(JsonNode node, List<object>? prefix = null)
    {
        prefix ??= [];
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o)
                {
                    var path = new List<object>(prefix) { key };
                    yield return path;
                    if (child is not null)
                    {
                        foreach (var nested in Paths(child, path))
                        {
                            yield return nested;
                        }
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var path = new List<object>(prefix) { i };
                    yield return path;
                    if (a[i] is { } child)
                    {
                        foreach (var nested in Paths(child, path))
                        {
                            yield return nested;
                        }
                    }
                }

                break;
        }
    }

    private static (JsonNode Parent, object Key) Locate(JsonNode root, List<object> path)
    {
        var current = root;
        foreach (var step in path.SkipLast(1))
        {
            current = step is string s ? current[s]! : current[(int)step]!;
        }

        return (current, path[^1]);
    }

    private sealed class AnyPieceResolver : IPieceResolver
    {
        public ValueTask<IReadOnlyDictionary<string, string>> ResolveAsync(IReadOnlyCollection<string> epcs, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyDictionary<string, string>>(epcs.ToDictionary(e => e, _ => "PIECE"));
    }
}
