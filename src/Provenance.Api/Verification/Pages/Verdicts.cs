using Provenance.Api.Verification.Localization;

namespace Provenance.Api.Verification.Pages;

/// <summary>The words of each state, filled in with the piece's own facts.</summary>
public static class Verdicts
{
    /// <summary>Title and explanation of <paramref name="state"/> for <paramref name="view"/>.</summary>
    public static (string Title, string Text) For(VerificationState state, PieceVerificationView view, Language lang)
    {
        var t = lang.Text;
        return state switch
        {
            VerificationState.Authentic => (t.AuthenticTitle, t.AuthenticText),
            VerificationState.Claimed => (t.ClaimedTitle,
                lang.Format(t.ClaimedText, view.ClaimedSince is { } since ? lang.Date(since) : string.Empty)),
            VerificationState.FlaggedOrRevoked => view.Status == PieceStatus.Revoked
                ? (t.RevokedTitle, lang.Format(t.RevokedText, Reason(view, t)))
                : (t.FlaggedTitle, lang.Format(t.FlaggedText, Reason(view, t))),
            VerificationState.RecordMismatch => (t.MismatchTitle,
                lang.Format(t.MismatchText, string.Join(", ", view.RecordMatch.Mismatched))),
            VerificationState.SuspectedCopy => (t.SuspectedTitle, t.SuspectedText),
            VerificationState.ChainUnreachable => (t.UnreachableTitle,
                lang.Format(t.UnreachableText, lang.DateTime(view.Freshness.LastVerifiedAt))),
            _ => throw new ArgumentOutOfRangeException(nameof(state), state, "the unknown state has no view"),
        };
    }

    /// <summary>
    /// The conditions that hold besides the one the banner shows, weakest last (e.g. a flagged piece whose chain is
    /// also unreachable).
    /// </summary>
    public static IReadOnlyList<VerificationState> AlsoTrue(VerificationState shown, PieceVerificationView view, bool suspected)
    {
        var also = new List<VerificationState>();
        if (!view.RecordMatch.AllMatch)
        {
            also.Add(VerificationState.RecordMismatch);
        }

        if (suspected)
        {
            also.Add(VerificationState.SuspectedCopy);
        }

        if (!view.Freshness.IsLive)
        {
            also.Add(VerificationState.ChainUnreachable);
        }

        also.Remove(shown);
        return also;
    }

    private static string Reason(PieceVerificationView view, PageText t) =>
        string.IsNullOrWhiteSpace(view.FlagReason) ? t.NoReasonGiven : view.FlagReason;
}
