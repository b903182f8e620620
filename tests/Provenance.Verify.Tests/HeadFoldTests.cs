using System.Text.Json;
using Provenance.Ethereum;
using Provenance.Ethereum.Contracts.Registry;
using Provenance.Testing;
using Provenance.Verify.Chain;

namespace Provenance.Verify.Tests;

public class HeadFoldTests
{
    // The contract's worked example (tests/contracts/vectors/registry-vectors.json): every fold input and head.
    [Fact]
    public void Next_RegistryVectorChain_ReproducesEveryHead()
    {
        using var vectors = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "contracts", "vectors", "registry-vectors.json")));
        var id = vectors.RootElement.GetProperty("pieceId").GetString()!;
        var head = HeadFold.Genesis;
        var steps = 0;
        foreach (var step in vectors.RootElement.GetProperty("chain").EnumerateArray())
        {
            head = HeadFold.Next(head, id, step.GetProperty("seq").GetInt64(), (EventKind)step.GetProperty("kind").GetInt32(),
                Address.Parse(step.GetProperty("actor").GetString()!), Address.Parse(step.GetProperty("counterparty").GetString()!),
                step.GetProperty("recordHash").GetString()!, step.GetProperty("makersHash").GetString()!);

            head.Should().Be(step.GetProperty("head").GetString()!.ToLowerInvariant(), $"entry {steps + 1}");
            steps++;
        }

        steps.Should().Be(7);
    }

    [Fact]
    public void Next_AnyInputChanged_ChangesHead()
    {
        var id = "0x" + new string('1', 64);
        var record = "0x" + new string('2', 64);
        var actor = Address.Parse("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
        var baseline = HeadFold.Next(HeadFold.Genesis, id, 2, EventKind.Processing, actor, Address.Zero, record, HistoryLogs.ZeroHash);

        HeadFold.Next(HeadFold.Genesis, id, 3, EventKind.Processing, actor, Address.Zero, record, HistoryLogs.ZeroHash).Should().NotBe(baseline);
        HeadFold.Next(HeadFold.Genesis, id, 2, EventKind.Note, actor, Address.Zero, record, HistoryLogs.ZeroHash).Should().NotBe(baseline);
        HeadFold.Next(HeadFold.Genesis, id, 2, EventKind.Processing, actor, actor, record, HistoryLogs.ZeroHash).Should().NotBe(baseline);
        HeadFold.Next(baseline, id, 2, EventKind.Processing, actor, Address.Zero, record, HistoryLogs.ZeroHash).Should().NotBe(baseline);
    }
}
