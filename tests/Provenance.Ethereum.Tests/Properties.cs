using FsCheck;
using FsCheck.Fluent;

namespace Provenance.Ethereum.Tests;

/// <summary>FsCheck helpers: properties over an integer seed from which a test draws its random data.</summary>
internal static class Properties
{
    /// <summary>Checks <paramref name="property"/> for <paramref name="count"/> random seeds; throws on a counter-example.</summary>
    public static void ForAllSeeds(int count, Action<Random> property)
    {
        var config = Config.QuickThrowOnFailure.WithMaxTest(count);
        Check.One(config, Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed => property(new Random(seed))));
    }

    /// <summary>Random bytes of the given length.</summary>
    public static byte[] Bytes(this Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
