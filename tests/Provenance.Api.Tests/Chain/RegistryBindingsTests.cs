using Microsoft.Extensions.DependencyInjection;
using Provenance.Api.Chain;
using Provenance.Api.Tests.Support;
using Provenance.Ethereum.Contracts.Registry;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Hex;
using SignedAction = Provenance.Api.Chain.SignedAction;

namespace Provenance.Api.Tests.Chain;

[Collection(ChainCollection.Name)]
public sealed class RegistryBindingsTests(ChainFixture chain) : IDisposable
{
    private readonly GatewayFactory _factory = chain.CreateGateway();

    public void Dispose() => _factory.Dispose();

    private RegistryChain Registry => (RegistryChain)_factory.Services.GetRequiredService<IRegistryChain>();

    private static SignedAction Handoff(string from, string to) => new(
        ActionType.Handoff, from, HexConvert.ToHex(Keccak.Keccak256("PIECE")), EventKind.Handoff,
        HexConvert.ToHex(Keccak.Keccak256("record")), to, [], new ActionAuthorization(3, 1_900_000_000, "0x"),
        new ActionAuthorization(7, 1_900_000_123, "0x"));

    [Fact]
    public async Task SignAsync_LocalEip712Digest_MatchesRegistryActionDigests()
    {
        var from = EthKey.Generate();
        var to = EthKey.Generate();
        var action = Handoff(from.Address.ToString(), to.Address.ToString());

        var (signerDigest, receiverDigest) = await Registry.ContractDigestsAsync(action, CancellationToken.None);
        var fromSig = await Registry.SignAsync(action, false, 3, 1_900_000_000, from.ExportPrivateKey(), CancellationToken.None);
        var toSig = await Registry.SignAsync(action, true, 7, 1_900_000_123, to.ExportPrivateKey(), CancellationToken.None);

        EthSignature.FromHex(fromSig).RecoverAddress(signerDigest).Should().Be(from.Address);
        EthSignature.FromHex(toSig).RecoverAddress(receiverDigest).Should().Be(to.Address);
        (await Registry.RecoverAsync(action, true, new ActionAuthorization(7, 1_900_000_123, toSig), CancellationToken.None))
            .Should().Be(to.Address.ToString());
    }

    [Fact]
    public async Task SimulateAsync_UnknownPiece_404ProblemCode()
    {
        var actor = EthKey.Generate().Address.ToString();
        var action = new SignedAction(ActionType.AppendEvent, actor, HexConvert.ToHex(Keccak.Keccak256("nope")), EventKind.Note,
            HexConvert.ToHex(Keccak.Keccak256("r")), SignedAction.ZeroAddress, [], ActionAuthorization.None, ActionAuthorization.None);

        var error = await Registry.SimulateAsync(action, CancellationToken.None);

        error.Should().NotBeNull();
        error!.Name.Should().Be("ProvenanceRegistryUnknownPiece");
        error.Status.Should().Be(404);
    }

    [Fact]
    public async Task SimulateAsync_RegisterWithoutRole_403MissingRole()
    {
        var actor = EthKey.Generate().Address.ToString();
        var action = new SignedAction(ActionType.Register, actor, HexConvert.ToHex(Keccak.Keccak256("new piece")), EventKind.Registration,
            HexConvert.ToHex(Keccak.Keccak256("r")), EthKey.Generate().Address.ToString(), [actor], ActionAuthorization.None, ActionAuthorization.None);

        var error = await Registry.SimulateAsync(action, CancellationToken.None);

        error!.Name.Should().Be("ProvenanceRegistryMissingRole");
        error.Status.Should().Be(403);
        error.Detail.Should().Contain(actor);
    }

    [Fact]
    public async Task NonceAndPiece_FreshAddressAndUnknownPiece_ZeroState()
    {
        (await Registry.NonceAsync(EthKey.Generate().Address.ToString(), CancellationToken.None)).Should().Be(0);
        var piece = await Registry.PieceAsync(HexConvert.ToHex(Keccak.Keccak256("unknown")), CancellationToken.None);
        piece.Status.Should().Be(PieceStatus.None);
    }
}
