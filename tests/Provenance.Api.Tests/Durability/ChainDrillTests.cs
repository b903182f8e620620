using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Provenance.Api.Tests.Support;
using Provenance.Testing;

namespace Provenance.Api.Tests.Durability;

[Collection(ChainCollection.Name)]
public sealed class ChainDrillTests(ChainFixture chain)
{
    [Fact]
    public async Task Anvil_KilledDuringBurstAndRestartedFromState_EveryAcknowledgedWriteOnChainOnce()
    {
        _ = chain; // the collection fixture compiled the contracts
        var dir = Directory.CreateTempSubdirectory("provenance-chaindrill-").FullName;
        var state = Path.Combine(dir, "state.json");
        var anvil = await DevChainProcess.StartAnvilAsync(state, stateIntervalSeconds: 1);
        try
        {
            var deployment = await anvil.DeployRegistryAsync(Path.Combine(dir, "deployment.json"));
            using var factory = new GatewayFactory(anvil.RpcUrl, deployment);
            var api = new ApiDriver(factory);
            var artisan = await api.ArtisanAsync("Chain Drill");
            await Task.Delay(2500); // the role grant is in the saved state

            var acknowledged = new ConcurrentBag<string>();
            using var stop = new CancellationTokenSource();
            var burst = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var (status, body) = await ApiDriver.PostAsync(artisan.Client, "/api/pieces", new
                        {
                            craft = "pashmina-kani", title = $"Chain drill {c}-{i}",
                            makers = new[] { new { actorId = artisan.Id, part = "weaver" } }, materials = new[] { "pashmina" },
                        });
                        if (status == HttpStatusCode.Accepted)
                        {
                            acknowledged.Add(body.GetProperty("operationId").GetString()!);
                        }
                        else
                        {
                            await Task.Delay(100); // 503 while the chain is down: not acknowledged
                        }
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(100);
                    }
                }
            })).ToArray();

            await Task.Delay(1500);

            // The state the chain restarts from: a save taken while no block is mined. Anvil's periodic save can
            // otherwise hold the accounts of a block newer than the blocks it holds (foundry-rs/foundry#9053 family):
            // a chain no real node can be in, whose lost actions can neither be found nor sent again.
            await anvil.RpcAsync("evm_setAutomine", [false]);
            var snapshot = Path.Combine(dir, "snapshot.json");
            await CopyCompleteSaveAsync(state, snapshot);
            await anvil.RpcAsync("evm_setAutomine", [true]);
            await Task.Delay(1500); // the burst goes on: blocks mined from here on are lost at the restart

            anvil.Kill(); // kill -9
            File.Copy(snapshot, state, overwrite: true);
            await Task.Delay(500);
            anvil = await DevChainProcess.StartAnvilAsync(state, stateIntervalSeconds: 1, port: anvil.Port);
            await Task.Delay(1000);
            await stop.CancelAsync();
            await Task.WhenAll(burst);

            acknowledged.Should().NotBeEmpty();
            var deadline = DateTime.UtcNow.AddSeconds(120); // the bound
            foreach (var id in acknowledged)
            {
                var op = await api.WaitForOperationAsync(id);
                while (op.GetProperty("status").GetString() != "confirmed" && DateTime.UtcNow < deadline)
                {
                    op = await api.WaitForOperationAsync(id);
                }

                op.GetProperty("status").GetString().Should().Be("confirmed", op.ToString());
            }

            var perPiece = await RegistryLogs.PerPieceAsync(anvil, deployment);
            var pieces = TestDb.Column<string>(factory.DatabasePath, $"SELECT piece_id FROM pieces WHERE registrant_id = '{artisan.Id}'");
            pieces.Should().HaveCount(acknowledged.Count);
            pieces.Should().AllSatisfy(p => perPiece.GetValueOrDefault(p).Should().Be(1, $"piece {p} is on chain exactly once"));
        }
        finally
        {
            await anvil.DisposeAsync();
        }
    }

    /// <summary>
    /// Copies a save made after mining paused: waits for two rewrites of the state file, then copies it, again after
    /// the next rewrite while the copy is not whole JSON (Anvil writes the file in place, so a copy can catch it
    /// half written).
    /// </summary>
    private static async Task CopyCompleteSaveAsync(string state, string snapshot)
    {
        await WaitForSavesAsync(state, 2);
        for (var attempt = 1; ; attempt++)
        {
            File.Copy(state, snapshot, overwrite: true);
            try
            {
                using var _ = JsonDocument.Parse(await File.ReadAllBytesAsync(snapshot));
                return;
            }
            catch (JsonException) when (attempt < 5)
            {
                await WaitForSavesAsync(state, 1);
            }
        }
    }

    /// <summary>Waits until Anvil has rewritten its state file <paramref name="count"/> times.</summary>
    private static async Task WaitForSavesAsync(string state, int count)
    {
        var last = File.GetLastWriteTimeUtc(state);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (count > 0)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "Anvil saves its state every second");
            await Task.Delay(100);
            var now = File.GetLastWriteTimeUtc(state);
            if (now != last)
            {
                (last, count) = (now, count - 1);
            }
        }
    }
}
