using System.Text.Json;
using System.Text.Json.Nodes;
using Provenance.Epcis.Hashing;
using Provenance.Epcis.Tests.Support;
using Provenance.Testing;

namespace Provenance.Epcis.Tests.Hashing;

/// <summary>
/// gs1/XML/WithEventHashID holds seven serialisations of one event (six XML, one JSON) that must share one hash
/// ID. They state no eventID, so these tests derive, from the JSON one, the same variations the XML files make and
/// check that the ID does not move — and that it does move when the content changes.
/// </summary>
public class EventHashIdTests
{
    private static JsonObject Gs1Document() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(EpcisVectors.Gs1Folder, "XML", "WithEventHashID", "event_with_identical_hash_id_7.json")))!.AsObject();

    private static JsonObject FirstEvent(JsonObject document) => document["epcisBody"]!["eventList"]![0]!.AsObject();

    private static string IdOf(JsonObject document)
    {
        using var parsed = JsonDocument.Parse(document.ToJsonString());
        return EventHashId.ComputeAll(parsed.RootElement).Single().Id;
    }

    [VectorFact]
    public void ComputeAll_Gs1SerialisationWithoutEventId_GivesHashId()
    {
        var id = IdOf(Gs1Document());

        EventHashId.IsHashId(id).Should().BeTrue();
    }

    public static TheoryData<string> SameEventVariants() =>
    [
        "event time in UTC",
        "epcList shuffled",
        "quantityList shuffled",
        "other prefix, same namespace",
        "members reordered",
        "numbers written as strings",
        "bare CBV terms",
        "Digital Link instead of EPC URIs",
        "comment added",
    ];

    [VectorTheory]
    [MemberData(nameof(SameEventVariants))]
    public void ComputeAll_SameEventOtherwiseWritten_GivesSameId(string variant)
    {
        var original = IdOf(Gs1Document());
        var document = Gs1Document();
        var e = FirstEvent(document);

        switch (variant)
        {
            case "event time in UTC":
                e["eventTime"] = "2005-04-05T02:33:31.116Z";
                break;
            case "epcList shuffled":
                e["epcList"] = new JsonArray("urn:epc:id:sgtin:0614141.107346.2018", "urn:epc:id:sgtin:0614141.107346.2016", "urn:epc:id:sgtin:0614141.107346.2017");
                break;
            case "quantityList shuffled":
                var q = e["quantityList"]!.AsArray();
                e["quantityList"] = new JsonArray(q[1]!.DeepClone(), q[0]!.DeepClone());
                break;
            case "other prefix, same namespace":
                document = JsonNode.Parse(document.ToJsonString()
                    .Replace("\"ext1\":", "\"ext2\":", StringComparison.Ordinal)
                    .Replace("\"ext1:", "\"ext2:", StringComparison.Ordinal))!.AsObject();
                document["@context"]![1]!["ext2"]!.GetValue<string>().Should().Be("http://example.com/ext1");
                break;
            case "members reordered":
                var reversed = new JsonObject();
                foreach (var (key, value) in e.Reverse().ToList())
                {
                    reversed[key] = value!.DeepClone();
                }

                document["epcisBody"]!["eventList"]![0] = reversed;
                break;
            case "numbers written as strings":
                e["ext1:int"] = "10";
                e["ext1:float"] = "20";
                break;
            case "bare CBV terms":
                e["bizStep"] = "receiving";
                e["disposition"] = "in_progress";
                e["bizTransactionList"]![0]!["type"] = "po";
                break;
            case "Digital Link instead of EPC URIs":
                e["epcList"] = new JsonArray(
                    "https://id.gs1.org/01/10614141073464/21/2016",
                    "https://example.com/gtin/10614141073464/ser/2017?linkType=all",
                    "https://id.gs1.org/01/10614141073464/21/2018");
                break;
            case "comment added":
                e["rdfs:comment"] = "an annotation is not event content";
                break;
        }

        IdOf(document).Should().Be(original);
    }

    public static TheoryData<string> OtherEventVariants() =>
    [
        "other event time",
        "other time zone offset",
        "one EPC fewer",
        "other quantity",
        "other extension value",
        "other namespace",
    ];

    [VectorTheory]
    [MemberData(nameof(OtherEventVariants))]
    public void ComputeAll_ContentChanged_GivesOtherId(string variant)
    {
        var original = IdOf(Gs1Document());
        var document = Gs1Document();
        var e = FirstEvent(document);

        switch (variant)
        {
            case "other event time":
                e["eventTime"] = "2005-04-04T20:33:31.117-06:00";
                break;
            case "other time zone offset":
                // XML variant 2 also changes the offset and claims the same ID, but CBV 2.0 and the reference
                // implementation hash eventTimeZoneOffset: a changed offset is a changed event.
                e["eventTime"] = "2005-04-04T21:33:31.116-05:00";
                e["eventTimeZoneOffset"] = "-05:00";
                break;
            case "one EPC fewer":
                e["epcList"]!.AsArray().RemoveAt(0);
                break;
            case "other quantity":
                e["quantityList"]![0]!["quantity"] = 201;
                break;
            case "other extension value":
                e["ext1:default"] = "another value";
                break;
            case "other namespace":
                document["@context"]![1]!["ext1"] = "http://example.com/ext2";
                break;
        }

        IdOf(document).Should().NotBe(original);
    }

    [Fact]
    public void PreHashString_NotAnObject_Throws()
    {
        using var array = JsonDocument.Parse("[1,2]");

        FluentActions.Invoking(() => EventHashId.PreHashString(array.RootElement)).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void PreHashString_ExtensionsAndSourceKeyOrder_WrittenCanonically()
    {
        using var e = JsonDocument.Parse("""
            {
              "type": "ObjectEvent", "eventTime": "2024-05-01T10:00:00+05:30", "eventTimeZoneOffset": "+05:30",
              "epcList": ["https://provenance.example/p/KP7Q3M9XZ2H4K8W"], "action": "OBSERVE", "bizStep": "shipping",
              "sourceList": [{"source": "did:pkh:eip155:31337:0xaa", "type": "possessing_party"}],
              "prov:chain": {"prov:txHash": "0xab", "prov:blockNumber": 7},
              "recordTime": "2024-05-01T10:00:05Z", "eventID": "urn:uuid:1"
            }
            """);
        var prefixes = JsonLdPrefixes.Standard.With("prov", "https://provenance.example/voc/");

        var preHash = EventHashId.PreHashString(e.RootElement, prefixes);

        preHash.Should().Be(
            "eventType=ObjectEventeventTime=2024-05-01T04:30:00.000ZeventTimeZoneOffset=+05:30"
            + "epcListepc=https://provenance.example/p/KP7Q3M9XZ2H4K8Waction=OBSERVE"
            + "bizStep=https://ref.gs1.org/cbv/BizStep-shipping"
            + "sourceListtype=https://ref.gs1.org/cbv/SDT-possessing_partysource=did:pkh:eip155:31337:0xaa"
            + "{https://provenance.example/voc/}chain{https://provenance.example/voc/}blockNumber=7{https://provenance.example/voc/}txHash=0xab");
    }
}
