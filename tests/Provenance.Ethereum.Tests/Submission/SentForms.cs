using System.Collections.Concurrent;
using Provenance.Ethereum.Submission;
using Provenance.Ethereum.Transactions;

namespace Provenance.Ethereum.Tests.Submission;

/// <summary>
/// The signed forms a submitter sends, as the submission tests record them (through
/// <see cref="TransactionSubmitterOptions.BeforeSend"/>, as a gateway persists them) and check their fees.
/// </summary>
internal static class SentForms
{
    /// <summary>A <see cref="TransactionSubmitterOptions.BeforeSend"/> hook that records every signed form.</summary>
    public static Func<BeforeSendContext, CancellationToken, Task> Record(ConcurrentQueue<BeforeSendContext> into) =>
        (c, _) => { into.Enqueue(c); return Task.CompletedTask; };

    /// <summary>The recorded forms as a gateway's store would give them back to <see cref="TransactionSubmitter.ResubmitAsync"/>.</summary>
    public static IEnumerable<PersistedTransaction> AsPersisted(IEnumerable<BeforeSendContext> recorded) =>
        recorded.Select(c => new PersistedTransaction(c.Raw, c.Hash, c.Nonce));

    /// <summary>Decodes signed bytes of a type-2 transaction.</summary>
    public static Eip1559Transaction Decode(byte[] raw) => (Eip1559Transaction)TransactionDecoder.Decode(raw).Transaction;

    /// <summary>Asserts that <paramref name="after"/> raises both fee fields of <paramref name="before"/> by at least 10%.</summary>
    public static void AssertRaisedByTenPercent(Eip1559Transaction before, Eip1559Transaction after)
    {
        (after.MaxFeePerGas * 100).Should().BeGreaterThanOrEqualTo(before.MaxFeePerGas * 110);
        (after.MaxPriorityFeePerGas * 100).Should().BeGreaterThanOrEqualTo(before.MaxPriorityFeePerGas * 110);
    }
}
