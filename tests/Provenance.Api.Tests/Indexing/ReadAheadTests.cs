using System.Runtime.CompilerServices;
using Provenance.Api.Indexing;
using Provenance.Ethereum.JsonRpc;

namespace Provenance.Api.Tests.Indexing;

/// <summary>The indexer's read-ahead of log pages: order, bound, failures and early exits (a fake source).</summary>
public sealed class ReadAheadTests
{
    private sealed class Source
    {
        public int Produced;
        public bool Finished;

        public async IAsyncEnumerable<int> ItemsAsync(int count, Exception? failAfter, [EnumeratorCancellation] CancellationToken ct = default)
        {
            try
            {
                for (var i = 0; i < count; i++)
                {
                    await Task.Yield();
                    ct.ThrowIfCancellationRequested();
                    Interlocked.Increment(ref Produced);
                    yield return i;
                }

                if (failAfter is not null)
                {
                    throw failAfter;
                }
            }
            finally
            {
                Finished = true;
            }
        }
    }

    [Fact]
    public async Task ReadAhead_SourceCompletes_EveryItemInOrder()
    {
        var source = new Source();
        var items = new List<int>();
        await foreach (var item in Indexer.ReadAheadAsync(source.ItemsAsync(50, null), 2, CancellationToken.None))
        {
            items.Add(item);
        }

        items.Should().Equal(Enumerable.Range(0, 50));
    }

    [Fact]
    public async Task ReadAhead_SourceFails_ConsumerGetsItemsThenTheSameException()
    {
        var source = new Source();
        var items = new List<int>();
        var failure = new RpcTransportException("eth_getLogs", RpcTransportFailure.Unreachable, "node went away");
        var read = async () =>
        {
            await foreach (var item in Indexer.ReadAheadAsync(source.ItemsAsync(3, failure), 2, CancellationToken.None))
            {
                items.Add(item);
            }
        };

        // The indexer's loop retries on RpcException: the failure must reach it as itself, not wrapped by the channel.
        (await read.Should().ThrowAsync<RpcException>()).Which.Should().BeSameAs(failure);
        items.Should().Equal(0, 1, 2);
    }

    [Fact]
    public async Task ReadAhead_ConsumerSlow_SourceAtMostDepthAhead()
    {
        var source = new Source();
        await using var items = Indexer.ReadAheadAsync(source.ItemsAsync(100, null), 2, CancellationToken.None).GetAsyncEnumerator();
        (await items.MoveNextAsync()).Should().BeTrue();
        // The producer runs on while this consumer holds its first item: it reads ahead, and no further than the depth
        // (one item handed out, two waiting in the channel, one more waiting to get in).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Volatile.Read(ref source.Produced) < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        await Task.Delay(100);
        Volatile.Read(ref source.Produced).Should().BeInRange(3, 4);
    }

    [Fact]
    public async Task ReadAhead_ConsumerLeavesEarly_SourceStopped()
    {
        var source = new Source();
        await foreach (var item in Indexer.ReadAheadAsync(source.ItemsAsync(1_000_000, null), 2, CancellationToken.None))
        {
            if (item == 5)
            {
                break;
            }
        }

        source.Finished.Should().BeTrue();
        Volatile.Read(ref source.Produced).Should().BeLessThan(20);
    }
}
