using System.Collections.Concurrent;
using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;
using Provenance.Api.Chain;
using Provenance.Api.Data;
using Provenance.Api.Hosting;

namespace Provenance.Api.Operations;

/// <summary>
/// Per-signer action nonces (the registry's <c>nonces(signer)</c>), allocated by the store: the next value is
/// read under the signer's lock, signed into the action, and incremented in the same SQLite transaction that stores
/// the operation. A signer the store has not seen starts from the chain's value.
/// </summary>
public sealed class SignerNonces(Db db, IRegistryChain chain)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Takes the locks of <paramref name="signers"/> in a fixed order (no deadlock between two signers).</summary>
    public async Task<IAsyncDisposable> LockAsync(IEnumerable<string> signers, CancellationToken ct)
    {
        var taken = new List<SemaphoreSlim>();
        try
        {
            foreach (var s in signers.Select(s => s.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal))
            {
                var gate = _locks.GetOrAdd(s, _ => new SemaphoreSlim(1, 1));
                await gate.WaitAsync(ct);
                taken.Add(gate);
            }
        }
        catch
        {
            taken.ForEach(g => g.Release());
            throw;
        }

        return new Release(taken);
    }

    /// <summary>The next nonce of <paramref name="signer"/> (caller holds its lock).</summary>
    public async Task<long> PeekAsync(string signer, CancellationToken ct)
    {
        var address = signer.ToLowerInvariant();
        var stored = await db.ReadAsync(c => c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT next_nonce FROM signer_nonces WHERE address = @address", new { address }, cancellationToken: ct)), ct);
        if (stored is { } n)
        {
            return n;
        }

        // First sight of this signer: start from the chain; the row is written only when a nonce is consumed.
        return await chain.NonceAsync(signer, ct);
    }

    /// <summary>Consumes <paramref name="nonce"/> in the caller's transaction; fails if it is no longer the next one.</summary>
    public static async Task ConsumeAsync(SqliteConnection c, IDbTransaction tx, string signer, long nonce, CancellationToken ct)
    {
        var updated = await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO signer_nonces(address, next_nonce) VALUES (@address, @nonce + 1) " +
            "ON CONFLICT(address) DO UPDATE SET next_nonce = next_nonce + 1 WHERE next_nonce = @nonce",
            new { address = signer.ToLowerInvariant(), nonce }, tx, cancellationToken: ct));
        if (updated != 1)
        {
            throw ApiProblemException.Conflict($"Nonce {nonce} of {signer} was used concurrently; retry.", "NonceRace");
        }
    }

    private sealed class Release(List<SemaphoreSlim> gates) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            gates.ForEach(g => g.Release());
            return ValueTask.CompletedTask;
        }
    }
}
