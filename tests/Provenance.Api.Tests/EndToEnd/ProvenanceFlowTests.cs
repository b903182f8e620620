using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Api.Tests.Support;
using Provenance.Api.Verification;

namespace Provenance.Api.Tests.EndToEnd;

[Collection(ChainCollection.Name)]
public sealed class ProvenanceFlowTests(ChainFixture chain) : IDisposable
{
    private readonly GatewayFactory _factory = chain.CreateGateway();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task FullJourney_OnboardToClaim_EveryEventVerifiedAgainstChain()
    {
        var api = new ApiDriver(_factory);
        var weaver = await api.ArtisanAsync("Haleema Bano");
        var embroiderer = await api.ArtisanAsync("Rafiq Mir");
        var exporter = await api.HandlerAsync("Dal Lake Exports", "exporter");
        var retailer = await api.HandlerAsync("Paris Boutique", "retailer");
        var lab = await api.CertifierAsync("CDI GI Lab");

        // Register with two makers.
        var registered = await api.AcceptedAsync(weaver.Client, "/api/pieces", new
        {
            craft = "kani", title = "Kani shawl, paisley border",
            makers = new[] { new { actorId = weaver.Id, part = "weaver" }, new { actorId = embroiderer.Id, part = "embroiderer" } },
            materials = new[] { "pashmina" }, dimensions = "200 x 100 cm", giLabel = "GI-PASH-0001",
        });
        var code = registered.GetProperty("code").GetString()!;
        var claimCode = registered.GetProperty("claimCode").GetString()!;
        registered.GetProperty("verificationUrl").GetString().Should().EndWith($"/p/{code}");
        registered.GetProperty("qrUrl").GetString().Should().EndWith($"/p/{code}/qr.svg");

        // Certify, hand off twice, export, sell.
        await api.AcceptedAsync(lab.Client, $"/api/pieces/{code}/certifications", new { result = "pass", giLabel = "GI-PASH-0001", labReport = "LAB-1" });
        await HandOffAsync(api, code, weaver, exporter);
        await api.AcceptedAsync(exporter.Client, $"/api/pieces/{code}/events", new { kind = "export", location = "Srinagar airport" });
        await HandOffAsync(api, code, exporter, retailer);
        await api.AcceptedAsync(retailer.Client, $"/api/pieces/{code}/events", new { kind = "sale", location = "Paris" });
        await api.AcceptedAsync(weaver.Client, $"/api/pieces/{code}/events", new { kind = "paymentConfirmed", notes = "Paid in full" });

        // The buyer claims with the hidden code, for a fresh custodial owner account.
        var (claimStatus, claim) = await ApiDriver.PostAsync(api.Anonymous, $"/api/pieces/{code}/claim", new { claimCode });
        claimStatus.Should().Be(HttpStatusCode.Accepted, claim.ToString());
        (await api.WaitForOperationAsync(claim.GetProperty("operationId").GetString()!)).GetProperty("status").GetString().Should().Be("confirmed");
        var (secondStatus, second) = await ApiDriver.PostAsync(api.Anonymous, $"/api/pieces/{code}/claim", new { claimCode });
        secondStatus.Should().Be(HttpStatusCode.Conflict, second.ToString());

        // Read back: 8 entries, every record verified, custody and makers as on chain.
        var piece = await api.PieceAsync(code, 8);
        piece.GetProperty("status").GetString().Should().Be("Claimed");
        piece.GetProperty("integrity").GetString().Should().Be("verified");
        piece.GetProperty("custodian").GetProperty("actorId").GetString().Should().Be(retailer.Id);
        piece.GetProperty("owner").GetProperty("address").GetString().Should().Be(claim.GetProperty("owner").GetString());
        var events = piece.GetProperty("events").EnumerateArray().ToList();
        events.Select(e => e.GetProperty("kind").GetString()).Should().Equal(
            "Registration", "Certification", "Handoff", "Export", "Handoff", "Sale", "PaymentConfirmed", "Claim");
        events.Where(e => e.TryGetProperty("record", out var r) && r.ValueKind == JsonValueKind.Object)
            .Should().AllSatisfy(e => e.GetProperty("record").GetProperty("check").GetString().Should().Be("verified"));
        piece.GetProperty("makers").EnumerateArray().Select(m => (m.GetProperty("part").GetString(), m.GetProperty("onChain").GetBoolean()))
            .Should().BeEquivalentTo(new[] { ("weaver", true), ("embroiderer", true) });
        var proof = piece.GetProperty("proof");
        proof.GetProperty("chainId").GetInt64().Should().Be(31337);
        proof.GetProperty("eventCount").GetInt64().Should().Be(8);
        foreach (var tx in proof.GetProperty("transactions").EnumerateArray())
        {
            var receipt = await chain.Chain.RpcAsync("eth_getTransactionReceipt", [tx.GetString()!]);
            receipt.GetProperty("status").GetString().Should().Be("0x1");
        }

        var head = await chain.Chain.RpcAsync("eth_call", [new { to = proof.GetProperty("contract").GetString(), data = PieceCall(piece.GetProperty("pieceId").GetString()!) }, "latest"]);
        head.GetString()!.Should().EndWith(proof.GetProperty("head").GetString()![2..]);

        // The verification pages' source tells the same story.
        var view = (await _factory.Services.GetRequiredService<IPieceVerificationSource>().GetByCodeAsync(code, CancellationToken.None))!;
        view.Status.Should().Be(Provenance.Api.Verification.PieceStatus.Claimed);
        view.RecordMatch.AllMatch.Should().BeTrue();
        view.Makers.Select(m => m.Role).Should().BeEquivalentTo("weaver", "embroiderer");
        view.Custody.Select(c => c.HolderRole).Should().Equal("artisan", "exporter", "retailer");
        view.Payment.ConfirmedByArtisan.Should().BeTrue();
        view.Certification!.GiLabelNumber.Should().Be("GI-PASH-0001");
        view.Events.Should().HaveCount(8).And.OnlyContain(e => e.Verified && e.TxHash != null);
        view.ClaimedSince.Should().NotBeNull();
        view.Proof.RegistrationTx.Should().Be(events[0].GetProperty("chain").GetProperty("txHash").GetString());
        (await api.Anonymous.GetAsync($"/p/{code}")).StatusCode.Should().Be(HttpStatusCode.OK);

        // The retailer sees the piece in its custody.
        var custody = await retailer.Client.GetFromJsonAsync<JsonElement>($"/api/actors/{retailer.Id}/pieces");
        custody.EnumerateArray().Select(p => p.GetProperty("code").GetString()).Should().Contain(code);
    }

    [Fact]
    public async Task Read_StoredRecordAltered_ReportsMismatch()
    {
        var api = new ApiDriver(_factory);
        var artisan = await api.ArtisanAsync("Shakeela");
        var registered = await api.AcceptedAsync(artisan.Client, "/api/pieces", new
        {
            craft = "papier-mache", title = "Papier-mâché box", makers = new[] { new { actorId = artisan.Id, part = "painter" } },
        });
        var code = registered.GetProperty("code").GetString()!;
        (await api.PieceAsync(code, 1)).GetProperty("integrity").GetString().Should().Be("verified");

        TestDb.Execute(_factory.DatabasePath, $"UPDATE records SET json = replace(json, 'Papier-mâché box', 'Machine-made box') WHERE piece_code = '{code}'");
        var piece = await api.PieceAsync(code, 1);

        piece.GetProperty("integrity").GetString().Should().Be("mismatch");
        piece.GetProperty("events")[0].GetProperty("record").GetProperty("check").GetString().Should().Be("mismatch");
        var view = await _factory.Services.GetRequiredService<IPieceVerificationSource>().GetByCodeAsync(code, CancellationToken.None);
        view!.RecordMatch.Mismatched.Should().Equal("piece details");
    }

    private static async Task HandOffAsync(ApiDriver api, string code, TestActor from, TestActor to)
    {
        var (status, proposal) = await ApiDriver.PostAsync(from.Client, $"/api/pieces/{code}/handoffs", new { to = to.Id, location = "Srinagar" });
        status.Should().Be(HttpStatusCode.Created, proposal.ToString());
        await api.AcceptedAsync(to.Client, $"/api/handoffs/{proposal.GetProperty("id").GetString()}/accept", new { });
    }

    // piece(bytes32) selector + id: the last word of the returned PieceView is the head.
    private static string PieceCall(string pieceId) =>
        "0x" + Convert.ToHexStringLower(Provenance.Ethereum.Crypto.Keccak.Keccak256("piece(bytes32)")[..4]) + pieceId[2..];
}
