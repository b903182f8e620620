using System.Threading.Channels;

namespace Provenance.Api.Chain;

/// <summary>Wakes the relayer when an operation was stored (coalesced: many notifications, one wake-up).</summary>
public sealed class RelayerSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    /// <summary>Signals that there is work.</summary>
    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Waits for a signal or <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await _channel.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // timeout: poll anyway
        }
    }
}
