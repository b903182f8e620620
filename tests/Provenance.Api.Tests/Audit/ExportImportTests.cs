using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Provenance.Api.Tests.Audit.Support;
using Provenance.Api.Tests.Support;
using Provenance.Testing;

namespace Provenance.Api.Tests.Audit;

[Collection(ChainCollection.Name)]
public sealed class ExportImportTests(ChainFixture chain, AuditScenario scenario) : IClassFixture<AuditScenario>
{
    private const string Base = "http://localhost:5080";

    [Fact]
    public async Task ExportCsv_Piece_HeaderAndOneRowPerEvent()
    {
        var s = await scenario.EnsureAsync(chain);

        var response = await s.Auditor.Client.GetAsync($"/api/audit/events/export?format=csv&piece={s.Journey}");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        response.Content.Headers.ContentDisposition!.FileName.Should().Contain("audit-events.csv");
        lines[0].Should().StartWith("blockNumber,logIndex,transactionHash,blockHash,time,pieceCode,pieceId,seq,kind,actor,actorId");
        lines.Skip(1).Select(l => l.Split(',')[8]).Should().Equal(
            "Registration", "Processing", "Certification", "Handoff", "Shipping", "Handoff", "Sale", "PaymentConfirmed");
        lines.Skip(1).Should().OnlyContain(l => l.Split(',')[5] == s.Journey);
    }

    [Fact]
    public async Task ExportJson_Filter_SameEventsAsTheListing()
    {
        var s = await scenario.EnsureAsync(chain);
        var listed = await s.AllAsync("/api/audit/events", "&type=Handoff,Flag");

        var exported = JsonDocument.Parse(await s.Auditor.Client.GetStringAsync("/api/audit/events/export?format=json&type=Handoff,Flag")).RootElement;

        exported.EnumerateArray().Select(e => e.GetProperty("transactionHash").GetString() + e.GetProperty("logIndex"))
            .Should().Equal(listed.Select(e => e.GetProperty("transactionHash").GetString() + e.GetProperty("logIndex")));
    }

    [VectorFact]
    public async Task ExportEpcis_AllEventsAndOnePiece_ValidateAgainstGs1Schema()
    {
        var s = await scenario.EnsureAsync(chain);
        var dir = RepoPaths.TestOutput("audit-epcis");
        var all = Path.Combine(dir, "all.jsonld");
        var journey = Path.Combine(dir, "journey.jsonld");
        await File.WriteAllTextAsync(all, await s.Auditor.Client.GetStringAsync("/api/audit/events/export?format=epcis"));
        await File.WriteAllTextAsync(journey, await s.Auditor.Client.GetStringAsync($"/api/audit/events/export?format=epcis&piece={s.Journey}"));

        var outcome = await EpcisSchemaValidator.ValidateAsync([all, journey], CancellationToken.None);

        outcome.ExitCode.Should().Be(0, outcome.Output);
    }

    [Fact]
    public async Task ExportEpcis_AllEvents_CarryTheVocabulary()
    {
        var s = await scenario.EnsureAsync(chain);

        var response = await s.Auditor.Client.GetAsync("/api/audit/events/export?format=epcis");
        var text = await response.Content.ReadAsStringAsync();
        var perPiece = await s.Auditor.Client.GetStringAsync($"/api/audit/events/export?format=epcis&piece={s.Journey}");

        response.Content.Headers.ContentType!.MediaType.Should().Be("application/ld+json");
        var events = JsonNode.Parse(perPiece)!["epcisBody"]!["eventList"]!.AsArray();
        events.Select(e => e!["bizStep"]?.GetValue<string>()).Should().Equal(
            "commissioning", $"{Base}/voc/BizStep-weaving", "inspecting", "shipping", "receiving", "shipping", "receiving", "retail_selling");
        events[2]!["certificationInfo"]!.ToJsonString().Should().Contain($"{Base}/certificates/gi/GI-PASH-0001");
        events[3]!["sourceList"]!.ToJsonString().Should().Contain("possessing_party").And.Contain(s.Weaver.Address.ToLowerInvariant());
        events[4]!["destinationList"]!.ToJsonString().Should().Contain(s.Exporter.Address.ToLowerInvariant());
        events.Should().OnlyContain(e => e!["eventID"]!.GetValue<string>().StartsWith("ni:///sha-256;") && e["prov:onChain"]!["prov:transactionHash"] != null);
        events[0]!["eventTimeZoneOffset"]!.GetValue<string>().Should().Be("+05:30");
        var all = JsonNode.Parse(text)!["epcisBody"]!["eventList"]!.AsArray();
        all.Should().Contain(e => e!["disposition"] != null && e["disposition"]!.GetValue<string>() == "stolen");
    }

    [Fact]
    public async Task ImportEpcis_CraftStepOfTheCustodian_AppendedThroughTheWritePath()
    {
        var s = await scenario.EnsureAsync(chain);
        var code = await s.RegisterAsync(s.Weaver, "kani", "Import target", s.Weaver);
        var document = Document(new JsonObject
        {
            ["type"] = "ObjectEvent", ["action"] = "OBSERVE", ["eventTime"] = "2024-03-01T10:00:00.000+05:30", ["eventTimeZoneOffset"] = "+05:30",
            ["epcList"] = new JsonArray($"{Base}/p/{code}"), ["bizStep"] = $"{Base}/voc/BizStep-spinning",
        });

        var (status, body) = await ImportAsync(s.Weaver.Client, document);

        status.Should().Be(HttpStatusCode.Accepted, body.ToString());
        var operation = body.GetProperty("operations")[0];
        operation.GetProperty("pieceCode").GetString().Should().Be(code);
        (await s.Api.WaitForOperationAsync(operation.GetProperty("operationId").GetString()!)).GetProperty("status").GetString().Should().Be("confirmed");
        var piece = await s.Api.PieceAsync(code, 2);
        var imported = piece.GetProperty("events")[1];
        imported.GetProperty("kind").GetString().Should().Be("Processing");
        imported.GetProperty("record").GetProperty("check").GetString().Should().Be("verified");
        imported.GetProperty("record").GetProperty("data").GetProperty("step").GetString().Should().Be("spinning");
        imported.GetProperty("record").GetProperty("data").GetProperty("attributes").GetProperty("epcisEventId").GetString()
            .Should().Be(operation.GetProperty("eventHashId").GetString());

        var (again, problem) = await ImportAsync(s.Weaver.Client, document);
        again.Should().Be(HttpStatusCode.Conflict);
        problem.GetProperty("errors")[0].GetProperty("pointer").GetString().Should().Be("/epcisBody/eventList/0");
        problem.GetProperty("errors")[0].GetProperty("message").GetString().Should().Contain("already imported");
    }

    [Fact]
    public async Task ImportEpcis_OwnExport_RejectedAsAlreadyOnChain()
    {
        var s = await scenario.EnsureAsync(chain);
        var export = await s.Auditor.Client.GetStringAsync($"/api/audit/events/export?format=epcis&piece={s.Dyed}");

        var (status, problem) = await ImportAsync(s.Weaver.Client, export);

        status.Should().Be(HttpStatusCode.Conflict, problem.ToString());
        problem.GetProperty("errors")[0].GetProperty("message").GetString().Should().Contain("already on chain");
    }

    [Theory]
    [InlineData("{", "")]
    [InlineData("""{"type":"EPCISDocument"}""", "")]
    public async Task ImportEpcis_InvalidDocument_422WithPointers(string document, string pointer)
    {
        var s = await scenario.EnsureAsync(chain);

        var (status, problem) = await ImportAsync(s.Weaver.Client, document);

        status.Should().Be(HttpStatusCode.UnprocessableEntity, problem.ToString());
        problem.GetProperty("errors").EnumerateArray().Should().Contain(e => e.GetProperty("pointer").GetString()!.StartsWith(pointer));
    }

    [Fact]
    public async Task ImportEpcis_ReceivingAndWrongMediaType_RefusedPrecisely()
    {
        var s = await scenario.EnsureAsync(chain);
        var receiving = Document(new JsonObject
        {
            ["type"] = "ObjectEvent", ["action"] = "OBSERVE", ["eventTime"] = "2024-03-01T10:00:00.000+05:30", ["eventTimeZoneOffset"] = "+05:30",
            ["epcList"] = new JsonArray($"{Base}/p/{s.Journey}"), ["bizStep"] = "receiving",
        });

        var (status, problem) = await ImportAsync(s.Retailer.Client, receiving);
        var text = await s.Retailer.Client.PostAsync("/api/epcis/events", new StringContent(receiving, Encoding.UTF8, "text/plain"));

        status.Should().Be(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("errors")[0].GetProperty("pointer").GetString().Should().Be("/epcisBody/eventList/0/bizStep");
        problem.GetProperty("errors")[0].GetProperty("message").GetString().Should().Contain("handoff both parties sign");
        text.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        (await s.Api.Anonymous.PostAsync("/api/epcis/events", new StringContent(receiving, Encoding.UTF8, "application/ld+json")))
            .StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [VectorFact]
    public async Task ImportEpcis_OfficialExamplesWithObjectEvents_ImportedOrRejectedNever5xx()
    {
        var s = await scenario.EnsureAsync(chain);
        var pieces = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var code = await s.RegisterAsync(s.Weaver, "kani", $"Official example target {i}", s.Weaver);
            await s.HandOffAsync(code, s.Weaver, s.Exporter);
            pieces.Add(code);
        }

        var files = Directory.GetFiles(Path.Combine(RepoPaths.Vectors!, "epcis", "gs1", "JSON"), "*.jsonld", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains("ObjectEvent")).Order().ToList();
        files.Should().NotBeEmpty();
        var outcomes = new List<string>();
        foreach (var file in files)
        {
            var document = JsonNode.Parse(File.ReadAllText(file))!;
            var map = new Dictionary<string, string>();
            Rewrite(document, epc => map.TryGetValue(epc, out var uri) ? uri : map[epc] = $"{Base}/p/{pieces[map.Count % pieces.Count]}");

            var (status, body) = await ImportAsync(s.Exporter.Client, document.ToJsonString());

            ((int)status).Should().BeLessThan(500, $"{file}: {body}");
            if (status == HttpStatusCode.Accepted)
            {
                body.GetProperty("operations").GetArrayLength().Should().BeGreaterThan(0);
            }
            else
            {
                status.Should().BeOneOf(HttpStatusCode.UnprocessableEntity, HttpStatusCode.Conflict, HttpStatusCode.Forbidden);
                var reasons = body.TryGetProperty("errors", out var errors) ? errors.EnumerateArray().ToList() : [];
                (reasons.Count > 0 || body.GetProperty("detail").GetString()!.Length > 0).Should().BeTrue(body.ToString());
                foreach (var reason in reasons)
                {
                    reason.GetProperty("message").GetString().Should().NotBeNullOrWhiteSpace();
                    reason.GetProperty("pointer").GetString().Should().MatchRegex("^(/[^/]*)*$");
                }
            }

            outcomes.Add($"{Path.GetFileName(file)}: {(int)status} {(body.TryGetProperty("detail", out var d) ? d.GetString() : "")}");
        }

        outcomes.Should().HaveCount(files.Count);

        // The official shipping event alone (its receiving twin is refused above) is appended for the custodian.
        var example = JsonNode.Parse(File.ReadAllText(files.Single(f => Path.GetFileName(f) == "Example_9.6.1-ObjectEvent.jsonld")))!;
        example["epcisBody"]!["eventList"]!.AsArray().RemoveAt(1);
        var shipped = new Dictionary<string, string>();
        Rewrite(example, epc => shipped.TryGetValue(epc, out var uri) ? uri : shipped[epc] = $"{Base}/p/{pieces[shipped.Count % pieces.Count]}");
        var (accepted, operations) = await ImportAsync(s.Exporter.Client, example.ToJsonString());
        accepted.Should().Be(HttpStatusCode.Accepted, operations.ToString());
        foreach (var op in operations.GetProperty("operations").EnumerateArray())
        {
            op.GetProperty("kind").GetString().Should().Be("Shipping");
            (await s.Api.WaitForOperationAsync(op.GetProperty("operationId").GetString()!)).GetProperty("status").GetString().Should().Be("confirmed");
        }
    }

    private static string Document(params JsonNode[] events) => new JsonObject
    {
        ["@context"] = new JsonArray("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"),
        ["type"] = "EPCISDocument", ["schemaVersion"] = "2.0", ["creationDate"] = "2024-03-01T10:00:00.000Z",
        ["epcisBody"] = new JsonObject { ["eventList"] = new JsonArray(events) },
    }.ToJsonString();

    private static async Task<(HttpStatusCode, JsonElement)> ImportAsync(HttpClient client, string document)
    {
        var content = new StringContent(document, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/ld+json");
        var response = await client.PostAsync("/api/epcis/events", content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static void Rewrite(JsonNode? node, Func<string, string> epc)
    {
        if (node is JsonObject o)
        {
            foreach (var (key, value) in o.ToList())
            {
                if (key == "epcList" && value is JsonArray list)
                {
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (list[i] is JsonValue v && v.TryGetValue<string>(out var text))
                        {
                            list[i] = epc(text);
                        }
                    }
                }
                else
                {
                    Rewrite(value, epc);
                }
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var item in a)
            {
                Rewrite(item, epc);
            }
        }
    }
}
