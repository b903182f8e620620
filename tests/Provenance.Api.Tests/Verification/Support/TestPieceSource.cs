using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Provenance.Api.Verification;

namespace Provenance.Api.Tests.Verification.Support;

/// <summary>
/// Stands in for the gateway's store until it lands: holds each piece's off-chain record and the hash "anchored on
/// chain" at registration, and recomputes the hash on every read, so altering a stored record yields a mismatch the
/// way the real source must.
/// </summary>
public sealed class TestPieceSource : IPieceVerificationSource
{
    private readonly ConcurrentDictionary<string, Stored> _pieces = new();
    private readonly ConcurrentDictionary<string, bool> _unavailable = new();

    /// <summary>Registers a piece; its record's hash is anchored now.</summary>
    public PieceVerificationView Add(PieceVerificationView view)
    {
        _pieces[view.Code] = new Stored(view, Hash(view));
        return view;
    }

    /// <summary>Changes the stored off-chain record without touching the anchored hash (tampering).</summary>
    public void AlterStoredRecord(string code, Func<PieceVerificationView, PieceVerificationView> change) =>
        _pieces.AddOrUpdate(code, _ => throw new KeyNotFoundException(code), (_, s) => s with { View = change(s.View) });

    /// <summary>A legitimate on-chain update (e.g. a confirmed claim): the record and its anchor change together.</summary>
    public void Update(string code, Func<PieceVerificationView, PieceVerificationView> change) =>
        _pieces.AddOrUpdate(code, _ => throw new KeyNotFoundException(code), (_, s) =>
        {
            var view = change(s.View);
            return new Stored(view, Hash(view));
        });

    /// <summary>Makes reads of this code fail as if the store were down.</summary>
    public void MakeUnavailable(string code) => _unavailable[code] = true;

    /// <summary>The stored view.</summary>
    public PieceVerificationView Get(string code) => _pieces[code].View;

    /// <inheritdoc />
    public Task<PieceVerificationView?> GetByCodeAsync(string code, CancellationToken cancellationToken)
    {
        if (_unavailable.ContainsKey(code))
        {
            throw new PieceSourceUnavailableException("test store down");
        }

        if (!_pieces.TryGetValue(code, out var stored))
        {
            return Task.FromResult<PieceVerificationView?>(null);
        }

        var matches = Hash(stored.View) == stored.AnchoredHash;
        var view = matches && stored.View.RecordMatch.AllMatch
            ? stored.View
            : stored.View with
            {
                RecordMatch = new RecordMatchView(false, matches ? stored.View.RecordMatch.Mismatched : ["piece details"]),
            };
        return Task.FromResult<PieceVerificationView?>(view);
    }

    private static string Hash(PieceVerificationView view)
    {
        var record = new { view.Title, view.Description, view.Materials, view.Techniques, view.Dimensions, view.Craft, Makers = view.Makers };
        return Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(record)));
    }

    private sealed record Stored(PieceVerificationView View, string AnchoredHash);
}
