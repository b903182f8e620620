using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Provenance.Api.Tests.Support;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Eip712;

namespace Provenance.Api.Tests.EndToEnd;

[Collection(ChainCollection.Name)]
public sealed class OwnWalletHandoffTests(ChainFixture chain) : IDisposable
{
    private readonly GatewayFactory _factory = chain.CreateGateway();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Accept_ReceiverWithOwnWallet_SignsTypedDataAndCustodyMoves()
    {
        var api = new ApiDriver(_factory);
        var artisan = await api.ArtisanAsync("Custodial artisan");
        var wallet = EthKey.Generate();
        var handler = await api.OnboardAsync("handlers", new { businessName = "Wallet Exports", kind = "exporter", address = wallet.Address.ToString() });
        var registered = await api.AcceptedAsync(artisan.Client, "/api/pieces", new
        {
            craft = "carpet", title = "Hand-knotted carpet", makers = new[] { new { actorId = artisan.Id, part = "knotter" } },
        });
        var code = registered.GetProperty("code").GetString()!;
        var (_, proposal) = await ApiDriver.PostAsync(artisan.Client, $"/api/pieces/{code}/handoffs", new { to = handler.Id });
        var id = proposal.GetProperty("id").GetString();

        // Without its signature the receiver cannot accept; a signature by another key is refused.
        var (missing, _) = await ApiDriver.PostAsync(handler.Client, $"/api/handoffs/{id}/accept", new { });
        var typed = await handler.Client.GetFromJsonAsync<JsonElement>($"/api/handoffs/{id}/typed-data");
        var data = TypedData.FromJson(typed.GetProperty("typedData").GetRawText());
        var nonce = typed.GetProperty("nonce").GetInt64();
        var deadline = typed.GetProperty("deadline").GetInt64();
        var forged = data.Sign(EthKey.Generate()).ToHex();
        var (wrong, wrongBody) = await ApiDriver.PostAsync(handler.Client, $"/api/handoffs/{id}/accept",
            new { toSignature = new { nonce, deadline, signature = forged } });

        var signature = data.Sign(wallet).ToHex();
        await api.AcceptedAsync(handler.Client, $"/api/handoffs/{id}/accept", new { toSignature = new { nonce, deadline, signature } });
        var piece = await api.PieceAsync(code, 2);

        missing.Should().Be(HttpStatusCode.UnprocessableEntity);
        wrong.Should().Be(HttpStatusCode.Forbidden, wrongBody.ToString());
        typed.GetProperty("signer").GetString().Should().Be(wallet.Address.ToString());
        piece.GetProperty("custodian").GetProperty("address").GetString().Should().Be(wallet.Address.ToString());
        piece.GetProperty("integrity").GetString().Should().Be("verified");
    }
}
