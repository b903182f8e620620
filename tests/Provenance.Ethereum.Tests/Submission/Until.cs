namespace Provenance.Ethereum.Tests.Submission;

/// <summary>Polls a condition that a background wait (receipt polling, fee bumps) makes true.</summary>
internal static class Until
{
    /// <summary>Returns once <paramref name="condition"/> holds; throws after 10 s.</summary>
    public static async Task TrueAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met within 10 s");
            }

            await Task.Delay(10);
        }
    }
}
