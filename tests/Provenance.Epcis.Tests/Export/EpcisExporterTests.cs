using System.Text.Json;
using System.Text.Json.Nodes;
using Provenance.Epcis.Export;
using Provenance.Epcis.Hashing;
using Provenance.Epcis.Tests.Support;
using Provenance.Epcis.Vocabulary;
using Provenance.Testing;

namespace Provenance.Epcis.Tests.Export;

public class EpcisExporterTests
{
    private static readonly EpcisExporter Exporter = new(SampleHistory.Profile);

    private static ProvenanceEvent Sample<T>()
        where T : ProvenanceEvent => SampleHistory.Events().OfType<T>().First();

    [Fact]
    public void BuildDocument_SampleHistory_EveryEventIdIsItsContentHash()
    {
        var document = Exporter.BuildDocument(SampleHistory.Events(), DateTimeOffset.UnixEpoch);
        using var parsed = JsonDocument.Parse(document.ToJsonString());

        var recomputed = EventHashId.ComputeAll(parsed.RootElement);
        var stated = parsed.RootElement.GetProperty("epcisBody").GetProperty("eventList").EnumerateArray()
            .Select(e => e.GetProperty("eventID").GetString()).ToList();

        recomputed.Should().HaveCount(SampleHistory.Events().Count);
        stated.Should().Equal(recomputed.Select(h => h.Id));
        stated.Should().OnlyHaveUniqueItems();
    }

    public static TheoryData<string, string, string?, string> KindMappings() => new()
    {
        { nameof(PieceRegistered), "ADD", "commissioning", "active" },
        { nameof(PieceShipped), "OBSERVE", "shipping", "in_transit" },
        { nameof(PieceReceived), "OBSERVE", "receiving", "in_progress" },
        { nameof(PieceCertified), "OBSERVE", "inspecting", "conformant" },
        { nameof(PieceProcessed), "OBSERVE", "https://provenance.example/voc/BizStep-spinning", "in_progress" },
        { nameof(PieceSold), "OBSERVE", "retail_selling", "retail_sold" },
        { nameof(PieceFlagged), "OBSERVE", null, "stolen" },
        { nameof(PieceRevoked), "OBSERVE", null, "recalled" },
    };

    [Theory]
    [MemberData(nameof(KindMappings))]
    public void BuildEvent_Kind_MapsToCbvVocabulary(string kind, string action, string? bizStep, string disposition)
    {
        var source = SampleHistory.Events().First(e => e.GetType().Name == kind);

        var json = Exporter.BuildEvent(source);

        json["type"]!.GetValue<string>().Should().Be("ObjectEvent");
        json["action"]!.GetValue<string>().Should().Be(action);
        json["bizStep"]?.GetValue<string>().Should().Be(bizStep);
        if (bizStep is null)
        {
            json.ContainsKey("bizStep").Should().BeFalse();
        }

        json["disposition"]!.GetValue<string>().Should().Be(disposition);
        json["epcList"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal(SampleHistory.Profile.PieceUri(source.PieceCode));
        json["prov:actor"]!.GetValue<string>().Should().Be(source.Actor);
    }

    [Fact]
    public void BuildEvent_EachEvent_CarriesItsOnChainReference()
    {
        var source = Sample<PieceSold>();

        var onChain = Exporter.BuildEvent(source)["prov:onChain"]!.AsObject();

        onChain["prov:chainId"]!.GetValue<long>().Should().Be(31337);
        onChain["prov:contract"]!.GetValue<string>().Should().Be(source.Chain.Contract.ToLowerInvariant());
        onChain["prov:transactionHash"]!.GetValue<string>().Should().Be(source.Chain.TransactionHash);
        onChain["prov:blockNumber"]!.GetValue<ulong>().Should().Be(source.Chain.BlockNumber);
        onChain["prov:logIndex"]!.GetValue<uint>().Should().Be(source.Chain.LogIndex);
    }

    [Fact]
    public void BuildEvent_OwnershipTransferred_ListsPossessingAndOwningParties()
    {
        var shipped = (PieceShipped)Sample<PieceShipped>();
        shipped.OwnershipTransferred.Should().BeTrue();

        var json = Exporter.BuildEvent(shipped);

        Parties(json, "sourceList", "source").Should().Equal(("possessing_party", shipped.From), ("owning_party", shipped.From));
        Parties(json, "destinationList", "destination").Should().Equal(("possessing_party", shipped.To), ("owning_party", shipped.To));
    }

    [Fact]
    public void BuildEvent_CustodyOnly_ListsPossessingPartiesOnly()
    {
        var received = SampleHistory.Events().OfType<PieceReceived>().Single(r => !r.OwnershipTransferred);

        var json = Exporter.BuildEvent(received);

        Parties(json, "sourceList", "source").Should().Equal(("possessing_party", received.From));
        Parties(json, "destinationList", "destination").Should().Equal(("possessing_party", received.To));
        json["bizLocation"]!["id"]!.GetValue<string>().Should().Be(received.Location);
    }

    [Fact]
    public void BuildEvent_Certification_WritesCertificationInfo()
    {
        var one = SampleHistory.Events().OfType<PieceCertified>().First(c => c.Certificates.Count == 1);
        var two = SampleHistory.Events().OfType<PieceCertified>().First(c => c.Certificates.Count == 2);

        Exporter.BuildEvent(one)["certificationInfo"]!.GetValue<string>().Should().Be(one.Certificates[0]);
        Exporter.BuildEvent(two)["certificationInfo"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal(two.Certificates);
    }

    [Fact]
    public void BuildEvent_EventTime_KeepsLocalOffsetAndMilliseconds()
    {
        var sold = Sample<PieceSold>();

        var json = Exporter.BuildEvent(sold);

        json["eventTime"]!.GetValue<string>().Should().Be("2024-04-02T18:45:12.345-06:00");
        json["eventTimeZoneOffset"]!.GetValue<string>().Should().Be("-06:00");
    }

    [Fact]
    public void BuildEvent_SameFactTwice_SameEventId()
    {
        var a = Exporter.BuildEvent(Sample<PieceShipped>());
        var b = Exporter.BuildEvent(Sample<PieceShipped>());
        var otherLog = Exporter.BuildEvent(Sample<PieceShipped>() with { Chain = SampleHistory.Chain(21, 3) });

        a["eventID"]!.GetValue<string>().Should().Be(b["eventID"]!.GetValue<string>());
        otherLog["eventID"]!.GetValue<string>().Should().NotBe(a["eventID"]!.GetValue<string>());
    }

    public static TheoryData<string> MalformedEvents() =>
    [
        "piece code with I", "short transaction hash", "contract not hex", "actor not a URI", "no certificate",
        "certificate not a URI", "record hash too short", "location with spaces",
    ];

    [Theory]
    [MemberData(nameof(MalformedEvents))]
    public void BuildEvent_MalformedInput_ThrowsArgumentException(string defect)
    {
        var certified = (PieceCertified)Sample<PieceCertified>();
        ProvenanceEvent e = defect switch
        {
            "piece code with I" => certified with { PieceCode = "KP7Q3M9XZ2H4K8I" },
            "short transaction hash" => certified with { Chain = certified.Chain with { TransactionHash = "0xabcd" } },
            "contract not hex" => certified with { Chain = certified.Chain with { Contract = "0x" + new string('g', 40) } },
            "actor not a URI" => certified with { Actor = "certifier 7" },
            "no certificate" => certified with { Certificates = [] },
            "certificate not a URI" => certified with { Certificates = ["GI-2024-42"] },
            "record hash too short" => certified with { RecordHash = "0x1234" },
            "location with spaces" => certified with { Location = "geo:34.08, 74.79" },
            _ => throw new ArgumentOutOfRangeException(nameof(defect)),
        };

        FluentActions.Invoking(() => Exporter.BuildEvent(e)).Should().Throw<ArgumentException>();
    }

    [Fact]
    public async Task WriteDocumentAsync_SampleHistory_SameAsBuildDocument()
    {
        var created = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
        using var stream = new MemoryStream();

        await Exporter.WriteDocumentAsync(stream, SampleHistory.Events().ToAsyncEnumerable(), created, CancellationToken.None);

        var streamed = JsonNode.Parse(stream.ToArray());
        JsonNode.DeepEquals(streamed, Exporter.BuildDocument(SampleHistory.Events(), created)).Should().BeTrue();
    }

    [VectorFact]
    public async Task BuildDocument_SampleHistory_ValidatesAgainstGs1JsonSchema()
    {
        var folder = RepoPaths.TestOutput("epcis-export");
        var created = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var history = SampleHistory.Events();
        var files = new List<string> { Write(folder, "history.jsonld", Exporter.BuildDocument(history, created)) };
        foreach (var group in history.GroupBy(e => e.GetType().Name))
        {
            files.Add(Write(folder, group.Key + ".jsonld", Exporter.BuildDocument(group, created)));
        }

        var outcome = await EpcisSchemaValidator.ValidateAsync(files, CancellationToken.None);

        outcome.ExitCode.Should().Be(0, outcome.Output);
        outcome.Output.Should().Contain($"{files.Count} valid, 0 invalid");
    }

    [VectorFact]
    public async Task ValidateScript_BrokenExport_FailsWithPointer()
    {
        var folder = RepoPaths.TestOutput("epcis-export");
        var document = Exporter.BuildDocument([Sample<PieceShipped>()], DateTimeOffset.UnixEpoch);
        var e = document["epcisBody"]!["eventList"]![0]!.AsObject();
        e.Remove("eventTime");
        e["action"] = "MOVE";
        var file = Write(folder, "broken.jsonld", document);

        var outcome = await EpcisSchemaValidator.ValidateAsync([file], CancellationToken.None);

        outcome.ExitCode.Should().Be(1, outcome.Output);
        outcome.Output.Should().Contain("/epcisBody/eventList/0: must have required property 'eventTime'")
            .And.Contain("/epcisBody/eventList/0/action: must be equal to one of the allowed values");
    }

    private static string Write(string folder, string name, JsonObject document)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = EpcisExporter.WriterOptions.Encoder }));
        return path;
    }

    private static List<(string Type, string Party)> Parties(JsonObject json, string list, string member) =>
        json[list]!.AsArray().Select(n => (n!["type"]!.GetValue<string>(), n[member]!.GetValue<string>())).ToList();
}
