using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Submission;
using Provenance.Ethereum.Tests.JsonRpc;
using Provenance.Testing;

namespace Provenance.Ethereum.Tests.Submission;

[Collection(HardhatCollection.Name)]
public sealed class EthKeySignerHardhatTests(HardhatFixture node)
{
    [Fact]
    public async Task SubmitAndWaitAsync_OurOwnSignatureOnHardhat_MinedFromOurAddress()
    {
        var key = EthKey.FromPrivateKey(DevChainProcess.DevAccounts[3].PrivateKey);
        await using var submitter = new TransactionSubmitter(new EthClient(node.CreateRpc()), new EthKeySigner(key), new TransactionSubmitterOptions { ExpectedChainId = 31337 });
        await submitter.StartAsync(CancellationToken.None);

        var receipts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => submitter.SubmitAndWaitAsync(
            new TransactionRequest { To = Address.Parse("0x000000000000000000000000000000000000dEaD"), Value = 1 }, CancellationToken.None)));

        receipts.Should().OnlyContain(r => r.Succeeded && r.From == key.Address && r.Type == 2);
    }
}
