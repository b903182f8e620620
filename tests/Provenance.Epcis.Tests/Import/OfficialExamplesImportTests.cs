using System.Text.Json;
using Provenance.Epcis.Import;
using Provenance.Epcis.Tests.Support;
using Provenance.Testing;

namespace Provenance.Epcis.Tests.Import;

/// <summary>GS1's official EPCIS 2.0 JSON examples that contain ObjectEvents, with every EPC they name known.</summary>
public class OfficialExamplesImportTests
{
    private static readonly EpcisImporter Importer = new(SampleHistory.Profile);

    private static (JsonDocument Document, string Text) Load(string relativePath)
    {
        var text = File.ReadAllText(Path.Combine(EpcisVectors.Gs1Examples, relativePath));
        return (JsonDocument.Parse(text), text);
    }

    // Every EPC in any epcList of the document is a piece we know, coded by its position.
    private static DictionaryPieceResolver KnowingAllOf(JsonElement root)
    {
        var epcs = new List<string>();
        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in e.EnumerateObject())
                {
                    if (p.Name == "epcList" && p.Value.ValueKind == JsonValueKind.Array)
                    {
                        epcs.AddRange(p.Value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!));
                    }

                    Walk(p.Value);
                }
            }
            else if (e.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in e.EnumerateArray())
                {
                    Walk(item);
                }
            }
        }

        Walk(root);
        return new DictionaryPieceResolver(epcs.Distinct().Select((epc, i) => (epc, i)).ToDictionary(x => x.epc, x => $"PIECE{x.i}"));
    }

    [VectorTheory]
    [MemberData(nameof(EpcisVectors.OfficialExamplesWithObjectEvents), MemberType = typeof(EpcisVectors))]
    public async Task ImportAsync_OfficialExample_ImportedOrRejectedAtExistingPlace(string example)
    {
        var (document, text) = Load(example);
        using var _ = document;

        var result = await Importer.ImportAsync(text, KnowingAllOf(document.RootElement), CancellationToken.None);

        if (result.Succeeded)
        {
            result.Events.Should().NotBeEmpty();
            result.Events.Should().OnlyContain(e => e.PieceCodes.Count > 0 && Enum.IsDefined(e.Kind));
        }
        else
        {
            result.Events.Should().BeEmpty();
            foreach (var error in result.Errors)
            {
                error.Message.Should().NotBeNullOrWhiteSpace();
                ParentExists(document.RootElement, error.Pointer).Should().BeTrue($"the error {error} points into the document");
            }
        }
    }

    public static TheoryData<string, ImportedEventKind[]> Imported() => new()
    {
        { "Example_9.6.1-ObjectEvent.jsonld", [ImportedEventKind.Shipping, ImportedEventKind.Receiving] },
        { "Example_9.6.1-with-comment.jsonld", [ImportedEventKind.Shipping, ImportedEventKind.Receiving] },
        { "Example_9.6.1-ObjectEvent-with-pseudo-SBDH-headers.jsonld", [ImportedEventKind.Shipping, ImportedEventKind.Receiving] },
        { "WithDigitalLinkID/Example_9.6.1-ObjectEventWithDigitalLink.jsonld", [ImportedEventKind.Shipping, ImportedEventKind.Receiving] },
        { "EPCISQueryDocument.jsonld", [ImportedEventKind.Shipping, ImportedEventKind.Receiving] },
    };

    [VectorTheory]
    [MemberData(nameof(Imported))]
    public async Task ImportAsync_ShippingAndReceivingExample_Imported(string example, ImportedEventKind[] kinds)
    {
        var (document, text) = Load(example);
        using var _ = document;

        var result = await Importer.ImportAsync(text, KnowingAllOf(document.RootElement), CancellationToken.None);

        result.Errors.Should().BeEmpty();
        result.Events.Select(e => e.Kind).Should().Equal(kinds);
    }

    public static TheoryData<string, string, string> Rejected() => new()
    {
        { "Example_9.6.2-ObjectEvent.jsonld", "/epcisBody/eventList/0/epcList", "not quantities (quantityList)" },
        { "PersistentDisposition-example.jsonld", "/epcisBody/eventList/1/certificationInfo", "must name its certificate" },
        { "WithErrorDeclaration/Example_9.6.1-ObjectEvent-with-error-declaration.jsonld", "/epcisBody/eventList/0/errorDeclaration", "cannot be imported" },
        { "WithSensorData/SensorDataExample10.jsonld", "/epcisBody/eventList/0/bizStep", "bizStep 'sensor_reporting' cannot be imported" },
        { "WithSensorData/SensorDataExample3.jsonld", "/epcisBody/eventList/0/epcList", "is empty" },
    };

    [VectorTheory]
    [MemberData(nameof(Rejected))]
    public async Task ImportAsync_UnimportableExample_RejectedWithReason(string example, string pointer, string reason)
    {
        var (document, text) = Load(example);
        using var _ = document;

        var result = await Importer.ImportAsync(text, KnowingAllOf(document.RootElement), CancellationToken.None);

        result.Succeeded.Should().BeFalse();
        result.Errors.Should().Contain(e => e.Pointer == pointer && e.Message.Contains(reason, StringComparison.Ordinal));
    }

    [VectorFact]
    public async Task ImportAsync_Example961_MapsEveryField()
    {
        var (document, text) = Load("Example_9.6.1-ObjectEvent.jsonld");
        using var _ = document;
        var resolver = KnowingAllOf(document.RootElement);

        var result = await Importer.ImportAsync(text, resolver, CancellationToken.None);

        var shipping = result.Events[0];
        shipping.Pointer.Should().Be("/epcisBody/eventList/0");
        shipping.PieceCodes.Should().Equal("PIECE0", "PIECE1");
        shipping.Action.Should().Be("OBSERVE");
        shipping.BizStep.Should().Be("https://ref.gs1.org/cbv/BizStep-shipping");
        shipping.Disposition.Should().Be("https://ref.gs1.org/cbv/Disp-in_transit");
        shipping.EventTime.Should().Be(new DateTimeOffset(2005, 4, 3, 20, 33, 31, 116, TimeSpan.FromHours(-6)));
        shipping.EventTimeZoneOffset.Should().Be("-06:00");
        shipping.ReadPoint.Should().Be("urn:epc:id:sgln:0614141.07346.1234");
        shipping.StatedEventId.Should().Be("ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0");
        shipping.EventHashId.Should().Be(Provenance.Epcis.Hashing.EventHashId.ComputeAll(document.RootElement)[0].Id);
        result.Events[1].BizLocation.Should().Be("urn:epc:id:sgln:0012345.11111.0");
        resolver.Calls.Should().ContainSingle().Which.Should().HaveCount(2);
    }

    [VectorFact]
    public async Task ImportAsync_PlaceholderHashIdWhenVerifying_RejectedAtEventId()
    {
        var (document, text) = Load("Example_9.6.1-ObjectEvent.jsonld");
        using var _ = document;
        var verifying = new EpcisImporter(SampleHistory.Profile, new EpcisImportOptions { VerifyStatedHashIds = true });

        var result = await verifying.ImportAsync(text, KnowingAllOf(document.RootElement), CancellationToken.None);

        result.Errors.Select(e => e.Pointer).Should().Equal("/epcisBody/eventList/0/eventID", "/epcisBody/eventList/1/eventID");
        result.Errors[0].Message.Should().Contain("content hashes to ni:///sha-256;");
    }

    [VectorFact]
    public async Task ImportAsync_PieceNotKnown_RejectedAtThatEpc()
    {
        var (document, text) = Load("Example_9.6.1-ObjectEvent.jsonld");
        using var _ = document;
        var resolver = new DictionaryPieceResolver(new Dictionary<string, string> { ["urn:epc:id:sgtin:0614141.107346.2018"] = "KNOWN" });

        var result = await Importer.ImportAsync(text, resolver, CancellationToken.None);

        result.Errors.Should().ContainSingle().Which.Should().Be(new EpcisImportError(
            "/epcisBody/eventList/0/epcList/0", "unknown piece 'urn:epc:id:sgtin:0614141.107346.2017': only pieces registered here can be imported"));
    }

    // True when the pointer, or the object that lacks the member it names, exists in the document.
    private static bool ParentExists(JsonElement root, string pointer)
    {
        if (pointer.Length == 0)
        {
            return true;
        }

        var segments = pointer[1..].Split('/').Select(s => s.Replace("~1", "/").Replace("~0", "~")).ToArray();
        var current = root;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var found = current.ValueKind switch
            {
                JsonValueKind.Object => current.TryGetProperty(segment, out var child) ? child : (JsonElement?)null,
                JsonValueKind.Array when int.TryParse(segment, out var index) && index < current.GetArrayLength() => current[index],
                _ => null,
            };
            if (found is null)
            {
                return i == segments.Length - 1 && current.ValueKind == JsonValueKind.Object;
            }

            current = found.Value;
        }

        return true;
    }
}
