using System.Text.Json;
using Provenance.Verify.Tests.Support;

namespace Provenance.Verify.Tests;

[Collection(VerifiedHistoryCollection.Name)]
public sealed class VerifyCommandTests(VerifiedHistory history)
{
    private RegistryDriver Chain => history.Chain;

    [Fact]
    public async Task Invoke_ChainOnly_CleanHistoryExitsZero()
    {
        var run = await VerifyRun.InvokeAsync(VerifyRun.ChainArgs(Chain));

        run.ExitCode.Should().Be(ExitCodes.Clean, run.Output + run.Error);
        run.Output.Should().Contain("OK: everything matches the chain");
    }

    [Fact]
    public async Task Invoke_Json_CountsEveryPieceAndEntry()
    {
        var run = await VerifyRun.InvokeAsync(VerifyRun.ChainArgs(Chain, "--json", "--page-blocks", "3"));

        run.ExitCode.Should().Be(ExitCodes.Clean, run.Json + run.Error);
        using var report = JsonDocument.Parse(run.Json);
        var totals = report.RootElement.GetProperty("totals");
        totals.GetProperty("pieces").GetInt64().Should().Be(3);
        totals.GetProperty("entries").GetInt64().Should().Be(Chain.Actions.Count);
        report.RootElement.GetProperty("differences").GetArrayLength().Should().Be(0);
        report.RootElement.GetProperty("chainId").GetInt64().Should().Be(31337);
    }

    [Fact]
    public async Task Invoke_HonestGateway_ExitsZeroAndSendsKey()
    {
        await using var gateway = Gateway();

        var run = await VerifyRun.InvokeAsync(VerifyRun.ChainArgs(Chain, "--gateway", gateway.Url.ToString(), "--api-key", "pvk_test"));

        run.ExitCode.Should().Be(ExitCodes.Clean, run.Output + run.Error);
        run.Output.Should().Contain("sources: chain, gateway");
        gateway.LastAuthorization.Should().Be("Bearer pvk_test");
    }

    [Fact]
    public async Task Invoke_GatewayAlteredRecord_FailsNamingPieceAndEvent()
    {
        await using var gateway = Gateway();
        gateway.Alter = actions => actions.Select(a => a.Code == history.Journey && a.Seq == 3
            ? a with { RecordJson = a.RecordJson!.Replace("Certification", "Certified by nobody") } : a).ToList();

        var run = await VerifyRun.InvokeAsync(VerifyRun.ChainArgs(Chain, "--gateway", gateway.Url.ToString()));

        run.ExitCode.Should().Be(ExitCodes.Differences);
        run.Output.Should().Contain($"gateway: piece {history.Journey} event 3 [record] the Certification record was altered");
    }

    [Fact]
    public async Task Invoke_GatewayDroppedEvent_FailsNamingMissingEvent()
    {
        await using var gateway = Gateway();
        gateway.Alter = actions => actions.Where(a => !(a.Code == history.Journey && a.Seq == 4)).ToList();

        var run = await VerifyRun.InvokeAsync(VerifyRun.ChainArgs(Chain, "--gateway", gateway.Url.ToString(), "--json"));

        run.ExitCode.Should().Be(ExitCodes.Differences);
        using var report = JsonDocument.Parse(run.Json);
        report.RootElement.GetProperty("differences").EnumerateArray().Should().Contain(d =>
            d.GetProperty("piece").GetString() == history.Journey && d.GetProperty("seq").GetInt64() == 4
            && d.GetProperty("check").GetString() == "event" && d.GetProperty("detail").GetString()!.Contains("Handoff")
            && d.GetProperty("detail").GetString()!.Contains("missing from GET /api/audit/events"));
    }

    [Fact]
    public async Task Invoke_GatewayWrongCustodianAndHead_FailsOnState()
    {
        await using var gateway = Gateway();
        gateway.Alter = actions => actions.Select(a => a.Code == history.Flagged && a.Seq == 4
            ? a with { Custodian = Chain.Handler.Address.ToString(), Head = "0x" + new string('e', 64) } : a).ToList();

        var run = await VerifyRun.InvokeAsync(VerifyRun.ChainArgs(Chain, "--gateway", gateway.Url.ToString()));

        run.ExitCode.Should().Be(ExitCodes.Differences);
        run.Output.Should().Contain($"gateway: piece {history.Flagged} [state] custodian: GET /api/audit/pieces says {Chain.Handler.Address}");
        run.Output.Should().Contain($"gateway: piece {history.Flagged} event 4 [event] head:");
    }

    [Fact]
    public async Task Invoke_GatewayInventsPiece_FailsOnUnknownPiece()
    {
        await using var gateway = Gateway();
        var invented = Chain.NewCode();
        gateway.Alter = actions => actions.Append(actions[0] with
        {
            Code = invented, PieceId = Provenance.Ethereum.Hex.HexConvert.ToHex(RegistryDriver.Id(invented)),
        }).ToList();

        var run = await VerifyRun.InvokeAsync(VerifyRun.ChainArgs(Chain, "--gateway", gateway.Url.ToString()));

        run.ExitCode.Should().Be(ExitCodes.Differences);
        run.Output.Should().Contain($"gateway: piece {invented} [piece] gateway shows a history for a piece the chain never registered");
    }

    [Fact]
    public async Task Invoke_UnreachableNode_ExitsTwo()
    {
        var run = await VerifyRun.InvokeAsync("--rpc", "http://127.0.0.1:9", "--contract", Chain.Registry.ToString());

        run.ExitCode.Should().Be(ExitCodes.Error);
        run.Error.Should().StartWith("provenance-verify: ");
    }

    [Fact]
    public async Task Invoke_MalformedContract_ExitsTwo()
    {
        var run = await VerifyRun.InvokeAsync("--rpc", Chain.Node.RpcUrl, "--contract", "0x1234");

        run.ExitCode.Should().Be(ExitCodes.Error);
        run.Error.Should().Contain("--contract '0x1234' is not a 20-byte hex address");
    }

    private FakeGateway Gateway() =>
        new(() => Chain.Actions, () => (ulong)Chain.Actions.Max(a => (long)a.Block), 31337, Chain.Registry.ToString());
}
