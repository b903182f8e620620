using System.Text;
using System.Text.Json.Nodes;
using Provenance.Epcis.Export;
using Provenance.Epcis.Import;
using Provenance.Epcis.Tests.Support;
using Provenance.Epcis.Vocabulary;

namespace Provenance.Epcis.Tests.Import;

public class EpcisImporterTests
{
    private static readonly EpcisImporter Importer = new(SampleHistory.Profile);
    private static readonly EpcisExporter Exporter = new(SampleHistory.Profile);

    private static readonly string ShawlUri = SampleHistory.Profile.PieceUri(SampleHistory.Shawl);

    // A valid one-event document from an exporter's system: our shawl shipped.
    private static JsonObject ValidDocument() => JsonNode.Parse($$"""
        {
          "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"prov": "https://provenance.example/voc/"}],
          "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2024-05-01T10:00:00Z",
          "epcisBody": { "eventList": [ {
            "type": "ObjectEvent", "action": "OBSERVE", "bizStep": "shipping", "disposition": "in_transit",
            "eventTime": "2024-05-01T09:00:00.000+05:30", "eventTimeZoneOffset": "+05:30",
            "epcList": ["{{ShawlUri}}"],
            "sourceList": [{"type": "possessing_party", "source": "https://exporter.example/warehouse"}]
          } ] }
        }
        """)!.AsObject();

    private static JsonObject Event(JsonObject document, int index = 0) => document["epcisBody"]!["eventList"]![index]!.AsObject();

    private static Task<EpcisImportResult> ImportAsync(string json, EpcisImporter? importer = null) =>
        (importer ?? Importer).ImportAsync(json, DictionaryPieceResolver.ForSamplePieces(), CancellationToken.None);

    [Fact]
    public async Task ImportAsync_ExportedHistory_RoundTripsEveryFact()
    {
        var history = SampleHistory.Events();
        var exported = Exporter.BuildDocument(history, DateTimeOffset.UnixEpoch);

        var result = await ImportAsync(exported.ToJsonString());

        result.Errors.Should().BeEmpty();
        result.Events.Should().HaveCount(history.Count);
        foreach (var (source, imported) in history.Zip(result.Events))
        {
            imported.Kind.Should().Be(source switch
            {
                PieceRegistered => ImportedEventKind.Registration,
                PieceShipped => ImportedEventKind.Shipping,
                PieceReceived => ImportedEventKind.Receiving,
                PieceCertified => ImportedEventKind.Certification,
                PieceProcessed => ImportedEventKind.Processing,
                PieceSold => ImportedEventKind.Sale,
                PieceFlagged => ImportedEventKind.Flag,
                PieceRevoked => ImportedEventKind.Revoke,
                _ => throw new InvalidOperationException(),
            });
            imported.PieceCodes.Should().Equal(source.PieceCode);
            imported.EventTime.Should().Be(source.EventTime);
            imported.EventTime.Offset.Should().Be(source.EventTime.Offset);
            imported.Actor.Should().Be(source.Actor);
            imported.RecordHash.Should().Be(source.RecordHash);
            imported.BizLocation.Should().Be(source.Location);
            imported.Chain.Should().Be(source.Chain with { Contract = source.Chain.Contract.ToLowerInvariant() });
            imported.StatedEventId.Should().Be(imported.EventHashId);
            imported.Step.Should().Be((source as PieceProcessed)?.Step);
            imported.CertificationInfo.Should().Equal((source as PieceCertified)?.Certificates ?? []);
            var (from, to) = source switch
            {
                PieceShipped s => (s.From, s.To),
                PieceReceived r => (r.From, r.To),
                _ => ((string?)null, (string?)null),
            };
            if (from is not null)
            {
                imported.Sources.Should().Contain(p => p.IsPossessingParty && p.Id == from);
                imported.Destinations.Should().Contain(p => p.IsPossessingParty && p.Id == to);
            }
        }
    }

    [Fact]
    public async Task ImportAsync_VerifyingExportedHashIds_Accepted()
    {
        var verifying = new EpcisImporter(SampleHistory.Profile, new EpcisImportOptions { VerifyStatedHashIds = true });
        var exported = Exporter.BuildDocument(SampleHistory.Events(), DateTimeOffset.UnixEpoch);

        var result = await ImportAsync(exported.ToJsonString(), verifying);

        result.Succeeded.Should().BeTrue();
    }

    [Fact]
    public async Task ImportAsync_ExportedEventAltered_StatedHashIdRejected()
    {
        var verifying = new EpcisImporter(SampleHistory.Profile, new EpcisImportOptions { VerifyStatedHashIds = true });
        var exported = Exporter.BuildDocument(SampleHistory.Events().Take(3), DateTimeOffset.UnixEpoch);
        Event(exported, 2)["eventTime"] = "2024-03-05T09:16:00.000+05:30";

        var result = await ImportAsync(exported.ToJsonString(), verifying);

        result.Errors.Should().ContainSingle().Which.Pointer.Should().Be("/epcisBody/eventList/2/eventID");
    }

    [Theory]
    [InlineData("prov:BizStep-embroidery", CraftStep.Embroidery)]
    [InlineData("https://provenance.example/voc/BizStep-dyeing", CraftStep.Dyeing)]
    public async Task ImportAsync_CraftBizStep_Processing(string bizStep, CraftStep step)
    {
        var document = ValidDocument();
        Event(document)["bizStep"] = bizStep;

        var result = await ImportAsync(document.ToJsonString());

        result.Events.Should().ContainSingle().Which.Should().Match<ImportedEvent>(e =>
            e.Kind == ImportedEventKind.Processing && e.Step == step && e.BizStep == SampleHistory.Profile.CraftBizStep(step));
    }

    [Theory]
    [InlineData("urn:epcglobal:cbv:bizstep:receiving", ImportedEventKind.Receiving)]
    [InlineData("https://ref.gs1.org/cbv/BizStep-retail_selling", ImportedEventKind.Sale)]
    [InlineData("cbv:BizStep-shipping", ImportedEventKind.Shipping)]
    public async Task ImportAsync_CbvBizStepInAnyForm_Mapped(string bizStep, ImportedEventKind kind)
    {
        var document = ValidDocument();
        Event(document)["bizStep"] = bizStep;

        var result = await ImportAsync(document.ToJsonString());

        result.Events.Should().ContainSingle().Which.Kind.Should().Be(kind);
    }

    [Theory]
    [InlineData("stolen", ImportedEventKind.Flag)]
    [InlineData("urn:epcglobal:cbv:disp:recalled", ImportedEventKind.Revoke)]
    public async Task ImportAsync_StolenOrRecalledWithoutBizStep_FlagOrRevoke(string disposition, ImportedEventKind kind)
    {
        var document = ValidDocument();
        Event(document).Remove("bizStep");
        Event(document)["disposition"] = disposition;

        var result = await ImportAsync(document.ToJsonString());

        result.Events.Should().ContainSingle().Which.Kind.Should().Be(kind);
    }

    [Fact]
    public async Task ImportAsync_TwoBadEvents_EveryErrorReported()
    {
        var document = ValidDocument();
        var second = Event(document).DeepClone().AsObject();
        second["action"] = "DELETE";
        second["eventTime"] = "yesterday";
        document["epcisBody"]!["eventList"]!.AsArray().Add(second);
        Event(document)["bizStep"] = "weaving";

        var result = await ImportAsync(document.ToJsonString());

        result.Errors.Select(e => e.Pointer).Should().BeEquivalentTo(
            "/epcisBody/eventList/0/bizStep", "/epcisBody/eventList/1/action", "/epcisBody/eventList/1/eventTime");
        result.Events.Should().BeEmpty();
    }

    public static TheoryData<string, string, string> MalformedDocuments() => new()
    {
        { "not JSON", "", "not a JSON document" },
        { "empty input", "", "not a JSON document" },
        { "array", "", "expected an EPCIS document (a JSON object), found an array" },
        { "nested too deep", "", "not a JSON document" },
        { "wrong document type", "/type", "'EPCISMasterDataDocument' is not an EPCIS document type" },
        { "no context", "/@context", "missing" },
        { "EPCIS 1.2", "/schemaVersion", "'1.2' is not supported" },
        { "creation date not a date", "/creationDate", "is not an RFC 3339 date-time" },
        { "no body", "/epcisBody", "missing" },
        { "event list an object", "/epcisBody/eventList", "must be an array of events, found an object" },
        { "no events", "/epcisBody/eventList", "holds no events" },
        { "event a string", "/epcisBody/eventList/0", "expected an event object, found a string" },
        { "aggregation event", "/epcisBody/eventList/0/type", "'AggregationEvent' cannot be imported" },
        { "no event time", "/epcisBody/eventList/0/eventTime", "missing (required)" },
        { "event time without offset", "/epcisBody/eventList/0/eventTime", "'2024-05-01T09:00:00' is not an RFC 3339 date-time" },
        { "event time a number", "/epcisBody/eventList/0/eventTime", "must be a string, found a number" },
        { "bad offset", "/epcisBody/eventList/0/eventTimeZoneOffset", "'+5:30' is not an offset" },
        { "action DELETE", "/epcisBody/eventList/0/action", "'DELETE' cannot be imported" },
        { "no action", "/epcisBody/eventList/0/action", "missing (required)" },
        { "empty epcList", "/epcisBody/eventList/0/epcList", "is empty" },
        { "epc a number", "/epcisBody/eventList/0/epcList/0", "a number is not an EPC URI" },
        { "epc twice", "/epcisBody/eventList/0/epcList/1", "is listed twice" },
        { "unknown piece", "/epcisBody/eventList/0/epcList/0", "unknown piece 'https://provenance.example/p/ZZZZZZZZZZZZZZZ'" },
        { "foreign bizStep", "/epcisBody/eventList/0/bizStep", "unknown bizStep 'weaving'" },
        { "bizStep an array", "/epcisBody/eventList/0/bizStep", "must be a string" },
        { "no bizStep", "/epcisBody/eventList/0/bizStep", "missing" },
        { "disposition not a URI", "/epcisBody/eventList/0/disposition", "'lost somewhere' is neither a CBV disposition nor a URI" },
        { "commissioning observed", "/epcisBody/eventList/0/action", "needs action ADD" },
        { "inspecting without certificate", "/epcisBody/eventList/0/certificationInfo", "must name its certificate" },
        { "certificate not a URI", "/epcisBody/eventList/0/certificationInfo/1", "'GI 42' is not a certificate URI" },
        { "source without party", "/epcisBody/eventList/0/sourceList/0/source", "missing (required)" },
        { "readPoint id not a URI", "/epcisBody/eventList/0/readPoint/id", "'shop floor' is not a URI" },
        { "malformed chain reference", "/epcisBody/eventList/0/prov:onChain", "needs chainId, contract, transactionHash" },
        { "chain reference by full IRI", "/epcisBody/eventList/0/https:~1~1provenance.example~1voc~1onChain", "must be an object" },
        { "same event twice", "/epcisBody/eventList/1", "repeats the event at /epcisBody/eventList/0" },
        { "too many events", "/epcisBody/eventList", "holds 3 events; one document may hold at most 2" },
        { "error declaration", "/epcisBody/eventList/0/errorDeclaration", "cannot be imported" },
    };

    [Theory]
    [MemberData(nameof(MalformedDocuments))]
    public async Task ImportAsync_MalformedDocument_RejectedAtPointer(string defect, string pointer, string message)
    {
        var importer = Importer;
        var document = ValidDocument();
        var e = Event(document);
        string? json = null;
        switch (defect)
        {
            case "not JSON": json = "EPCIS? <xml/>"; break;
            case "empty input": json = string.Empty; break;
            case "array": json = "[]"; break;
            case "nested too deep": json = new string('[', 100) + new string(']', 100); break;
            case "wrong document type": document["type"] = "EPCISMasterDataDocument"; break;
            case "no context": document.Remove("@context"); break;
            case "EPCIS 1.2": document["schemaVersion"] = "1.2"; break;
            case "creation date not a date": document["creationDate"] = "May Day"; break;
            case "no body": document.Remove("epcisBody"); break;
            case "event list an object": document["epcisBody"]!["eventList"] = new JsonObject(); break;
            case "no events": document["epcisBody"]!["eventList"] = new JsonArray(); break;
            case "event a string": document["epcisBody"]!["eventList"]![0] = "ObjectEvent"; break;
            case "aggregation event": e["type"] = "AggregationEvent"; break;
            case "no event time": e.Remove("eventTime"); break;
            case "event time without offset": e["eventTime"] = "2024-05-01T09:00:00"; break;
            case "event time a number": e["eventTime"] = 1714534200; break;
            case "bad offset": e["eventTimeZoneOffset"] = "+5:30"; break;
            case "action DELETE": e["action"] = "DELETE"; break;
            case "no action": e.Remove("action"); break;
            case "empty epcList": e["epcList"] = new JsonArray(); break;
            case "epc a number": e["epcList"] = new JsonArray(42); break;
            case "epc twice": e["epcList"] = new JsonArray(ShawlUri, ShawlUri); break;
            case "unknown piece": e["epcList"] = new JsonArray("https://provenance.example/p/ZZZZZZZZZZZZZZZ"); break;
            case "foreign bizStep": e["bizStep"] = "weaving"; break;
            case "bizStep an array": e["bizStep"] = new JsonArray("shipping"); break;
            case "no bizStep": e.Remove("bizStep"); break;
            case "disposition not a URI": e["disposition"] = "lost somewhere"; break;
            case "commissioning observed": e["bizStep"] = "commissioning"; break;
            case "inspecting without certificate": e["bizStep"] = "inspecting"; break;
            case "certificate not a URI": e["bizStep"] = "inspecting"; e["certificationInfo"] = new JsonArray("https://gi.example/c/1", "GI 42"); break;
            case "source without party": e["sourceList"] = new JsonArray(new JsonObject { ["type"] = "owning_party" }); break;
            case "readPoint id not a URI": e["readPoint"] = new JsonObject { ["id"] = "shop floor" }; break;
            case "malformed chain reference": e["prov:onChain"] = new JsonObject { ["prov:chainId"] = 31337 }; break;
            case "chain reference by full IRI": e["https://provenance.example/voc/onChain"] = "0xabc"; break;
            case "same event twice": document["epcisBody"]!["eventList"]!.AsArray().Add(e.DeepClone()); break;
            case "too many events":
                importer = new EpcisImporter(SampleHistory.Profile, new EpcisImportOptions { MaxEvents = 2 });
                document["epcisBody"]!["eventList"]!.AsArray().Add(e.DeepClone());
                document["epcisBody"]!["eventList"]!.AsArray().Add(e.DeepClone());
                break;
            case "error declaration": e["errorDeclaration"] = new JsonObject { ["declarationTime"] = "2024-05-02T00:00:00Z" }; break;
            default: throw new ArgumentOutOfRangeException(nameof(defect));
        }

        var result = await importer.ImportAsync(json ?? document.ToJsonString(), DictionaryPieceResolver.ForSamplePieces(), CancellationToken.None);

        result.Succeeded.Should().BeFalse();
        result.Events.Should().BeEmpty();
        result.Errors.Should().Contain(err => err.Pointer == pointer && err.Message.Contains(message, StringComparison.Ordinal),
            "the errors were: " + string.Join("; ", result.Errors));
    }

    [Fact]
    public async Task ImportAsync_InvalidUtf8_RejectedAsNotJson()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"type\": \"EPCISDocument\", \"x\": \"").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\"}")).ToArray();

        var result = await Importer.ImportAsync(bytes, DictionaryPieceResolver.ForSamplePieces(), CancellationToken.None);

        result.Errors.Should().ContainSingle().Which.Should().Be(
            new EpcisImportError("/x", "holds text that is not valid Unicode (invalid UTF-8 or a lone surrogate escape)"));
    }

    [Fact]
    public async Task ImportAsync_LoneSurrogateEscape_RejectedAtIt()
    {
        var document = ValidDocument();
        var json = document.ToJsonString().Replace("\"bizStep\":\"shipping\"", "\"bizStep\":\"ship\\ud800\"", StringComparison.Ordinal);

        var result = await ImportAsync(json);

        result.Errors.Should().ContainSingle().Which.Pointer.Should().Be("/epcisBody/eventList/0/bizStep");
    }

    [Fact]
    public async Task ImportAsync_Cancelled_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await FluentActions.Awaiting(() => Importer.ImportAsync(ValidDocument().ToJsonString(), DictionaryPieceResolver.ForSamplePieces(), cancelled.Token))
            .Should().ThrowAsync<OperationCanceledException>();
    }
}
