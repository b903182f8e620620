using System.Text.Json;
using Provenance.Ethereum.Abi;
using Provenance.Ethereum.Contracts.Registry;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.Tests.Eth;
using Provenance.Ethereum.Tests.JsonRpc;
using Provenance.Testing;

namespace Provenance.Ethereum.Tests.Contracts;

[Collection(HardhatCollection.Name)]
public sealed class RegistryTests(HardhatFixture node)
{
    private static readonly Address Dev0 = Address.Parse(DevChainProcess.DevAccounts[0].Address);
    private static readonly Address Dev1 = Address.Parse(DevChainProcess.DevAccounts[1].Address);
    private static readonly SemaphoreSlim DeployLock = new(1, 1);
    private static (DevChainProcess Chain, Address Address)? _deployed;

    /// <summary>The compiled artifact (<c>hardhat compile</c> runs once; the deploy script compiles too).</summary>
    private static ContractAbi Artifact => ContractAbi.Load(Path.Combine(RepoPaths.Root, "artifacts", "contracts", "ProvenanceRegistry.sol", "ProvenanceRegistry.json"));

    private async Task<ProvenanceRegistryClient> RegistryAsync()
    {
        await DeployLock.WaitAsync();
        try
        {
            if (_deployed?.Chain != node.Chain)
            {
                var file = Path.Combine(RepoPaths.TestOutput("eth-rpc"), $"deployment-{node.Chain.Port}.json");
                File.Delete(file);
                await node.Chain.DeployRegistryAsync(file);
                using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(file));
                var address = Address.Parse(doc.RootElement.GetProperty("address").GetString()!);
                var registry = new ProvenanceRegistryClient(new EthClient(node.CreateRpc()), Artifact, address);

                // The admin makes itself registrar (the artisan role's admin), then an artisan.
                await SendAsync(registry.GrantRole(ProvenanceRegistryClient.RegistrarRole, Dev0).Data, registry.Address);
                await SendAsync(registry.GrantRole(ProvenanceRegistryClient.ArtisanRole, Dev0).Data, registry.Address);
                _deployed = (node.Chain, address);
            }

            return new ProvenanceRegistryClient(new EthClient(node.CreateRpc()), Artifact, _deployed.Value.Address);
        }
        finally
        {
            DeployLock.Release();
        }
    }

    private async Task<TransactionReceipt> SendAsync(byte[] data, Address to)
    {
        var hash = await TinyContracts.SendAsync(node.Chain, to, HexConvert.ToHex(data));
        return await new EthClient(node.CreateRpc()).WaitForReceiptAsync(hash, null, CancellationToken.None);
    }

    [Fact]
    public async Task Bindings_EverySignature_ExistsInCompiledArtifact()
    {
        await RegistryAsync(); // deploying compiles the current contracts

        ProvenanceRegistryClient.MissingSignatures(Artifact).Should().BeEmpty();
        ProvenanceRegistryClient.BoundSignatures.Should().HaveCount(
            ProvenanceRegistryClient.BoundFunctions.Count + ProvenanceRegistryClient.BoundEvents.Count + ProvenanceRegistryClient.BoundErrors.Count);
    }

    [Fact]
    public void Constructor_AbiMissingABoundFunction_Throws()
    {
        var abi = ContractAbi.Parse("""[{"type":"function","name":"register","inputs":[{"name":"id","type":"bytes32"}],"outputs":[]}]""");

        var act = () => new ProvenanceRegistryClient(new EthClient(node.CreateRpc()), abi, Dev0);

        act.Should().Throw<InvalidOperationException>().WithMessage("*register(bytes32,bytes32,address[],address)*");
    }

    [Fact]
    public async Task Register_OnHardhat_EmitsTypedEventAndStoresPiece()
    {
        var registry = await RegistryAsync();
        var code = "KP7Q3M9XZ2H4K8" + Guid.NewGuid().ToString("N")[..1].ToUpperInvariant();
        var id = ProvenanceRegistryClient.PieceId(code);
        var recordHash = TinyContractsHash(code);

        var receipt = await SendAsync(registry.Register(id, recordHash, [Dev0], Dev1).Data, registry.Address);
        var events = registry.DecodeEvents(receipt.Logs);
        var piece = await registry.GetPieceAsync(id, CancellationToken.None);

        receipt.Succeeded.Should().BeTrue();
        var registered = events.OfType<PieceRegistered>().Should().ContainSingle().Subject;
        registered.Id.Should().Equal(id);
        registered.Artisan.Should().Be(Dev0);
        registered.ClaimSigner.Should().Be(Dev1);
        registered.Makers.Should().Equal(Dev0);
        registered.RecordHash.Should().Equal(recordHash);
        registered.Head.Should().Equal(piece.Head);
        piece.Status.Should().Be(PieceStatus.Active);
        piece.Custodian.Should().Be(Dev0);
        piece.EventCount.Should().Be(1);
        (await registry.GetPieceIdAsync(code, CancellationToken.None)).Should().Equal(id);
        (await registry.HasRoleAsync(ProvenanceRegistryClient.ArtisanRole, Dev0, CancellationToken.None)).Should().BeTrue();
    }

    [Fact]
    public async Task SimulateAsync_RegisterExistingPiece_ThrowsDecodedCustomError()
    {
        var registry = await RegistryAsync();
        var id = ProvenanceRegistryClient.PieceId("DUPLICATE" + Guid.NewGuid().ToString("N")[..6]);
        await SendAsync(registry.Register(id, new byte[32], [Dev0], Dev1).Data, registry.Address);

        var act = () => registry.SimulateAsync(registry.Register(id, new byte[32], [Dev0], Dev1), Dev0, CancellationToken.None);

        var reason = (await act.Should().ThrowAsync<ContractRevertedException>()).Which.Reason;
        reason.Kind.Should().Be(RevertKind.Custom);
        reason.Name.Should().Be("ProvenanceRegistryPieceExists");
        ((byte[])reason["id"]!).Should().Equal(id);
    }

    [Fact]
    public async Task SimulateAsync_UnknownPieceAppend_NamesUnknownPiece()
    {
        var registry = await RegistryAsync();
        var id = ProvenanceRegistryClient.PieceId("NOSUCHPIECE");

        var act = () => registry.SimulateAsync(registry.AppendEvent(id, EventKind.Note, new byte[32]), Dev0, CancellationToken.None);

        (await act.Should().ThrowAsync<ContractRevertedException>()).Which.Reason.Message.Should().StartWith("ProvenanceRegistryUnknownPiece(id=");
    }

    [Fact]
    public async Task GetLogsPagedAsync_RegistryEvents_DecodeFromChain()
    {
        var registry = await RegistryAsync();
        var id = ProvenanceRegistryClient.PieceId("PAGED" + Guid.NewGuid().ToString("N")[..6]);
        var receipt = await SendAsync(registry.Register(id, new byte[32], [Dev0], Dev1).Data, registry.Address);

        var pages = await registry.Eth.GetLogsPagedAsync(registry.RegistryEventFilter(), 0, receipt.BlockNumber, new LogPagingOptions { MaxBlockRange = 4 }, CancellationToken.None).ToListAsync();
        var events = registry.DecodeEvents(pages.SelectMany(p => p.Logs));

        events.OfType<PieceRegistered>().Should().Contain(e => e.Id.SequenceEqual(id) && e.Log.TransactionHash == receipt.TransactionHash);
    }

    [Fact]
    public void DecodeError_ActionFailedReason_NamesErrorAndArguments()
    {
        var abi = Artifact;
        var error = abi.GetError("ProvenanceRegistryInvalidNonce");
        var data = error.Encode(Dev1, 5, 7);

        var reason = new Provenance.Ethereum.Contracts.ContractClient(new EthClient(node.CreateRpc()), abi, Dev0).Errors.Decode(data);

        reason.Name.Should().Be("ProvenanceRegistryInvalidNonce");
        reason["signer"].Should().Be(Dev1);
        reason["currentNonce"].Should().Be(new System.Numerics.BigInteger(5));
    }

    private static byte[] TinyContractsHash(string text) => Provenance.Ethereum.Crypto.Keccak.Keccak256("record:" + text);
}
