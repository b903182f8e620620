using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;
using Provenance.Api.Data;
using Provenance.Ethereum.Crypto;

namespace Provenance.Api.Security;

/// <summary>
/// Signing keys the gateway holds for actors without a wallet (and for itself: the relayer). Each key is sealed with
/// AES-256-GCM under the master key, with its owner id as associated data; the plaintext exists only while signing.
/// </summary>
public sealed class CustodialKeys(Db db, KeyVault vault)
{
    private readonly ImmutableCache<string, SealedSecret> _sealed = new();

    /// <summary>Creates a custodial key for <paramref name="actorId"/> in the caller's transaction; returns its address.</summary>
    public async Task<string> CreateAsync(
        SqliteConnection c, IDbTransaction tx, string actorId, CancellationToken ct, byte[]? privateKey = null)
    {
        var key = privateKey ?? EthKey.Generate().ExportPrivateKey();
        try
        {
            var address = EthKey.FromPrivateKey(key).Address.ToString();
            var sealedKey = vault.Seal(key, actorId);
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO custodial_keys(actor_id, address, nonce, ciphertext, tag) VALUES (@actorId, @address, @n, @c, @t)",
                new { actorId, address, n = sealedKey.Nonce, c = sealedKey.Ciphertext, t = sealedKey.Tag }, tx,
                cancellationToken: ct));
            return address;
        }
        finally
        {
            Array.Clear(key);
        }
    }

    /// <summary>Opens the custodial key of <paramref name="actorId"/>; null when the actor brings its own wallet.</summary>
    /// <remarks>
    /// A committed custodial key never changes, so its sealed form (ciphertext, nonce, tag — what the store holds) is
    /// kept in memory after the first read; the plaintext is still made for each signing only, and cleared by the caller.
    /// </remarks>
    public async Task<byte[]?> OpenAsync(string actorId, CancellationToken ct)
    {
        var secret = await _sealed.GetOrLoadAsync(actorId, async () =>
        {
            var row = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<(byte[] N, byte[] C, byte[] T)>(new CommandDefinition(
                "SELECT nonce, ciphertext, tag FROM custodial_keys WHERE actor_id = @actorId", new { actorId },
                cancellationToken: ct)), ct);
            return row.C is null ? null : new SealedSecret(row.N, row.C, row.T);
        });
        return secret is null ? null : vault.Open(secret, actorId);
    }

    /// <summary>Returns the gateway's own key <paramref name="name"/> (e.g. "relayer"), creating it on first use.</summary>
    public async Task<(string Address, byte[] PrivateKey)> GatewayKeyAsync(string name, CancellationToken ct)
    {
        var owner = "gateway:" + name;
        var existing = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<(string A, byte[] N, byte[] C, byte[] T)>(
            new CommandDefinition("SELECT address, nonce, ciphertext, tag FROM gateway_keys WHERE name = @name",
                new { name }, cancellationToken: ct)), ct);
        if (existing.A is not null)
        {
            return (existing.A, vault.Open(new SealedSecret(existing.N, existing.C, existing.T), owner));
        }

        var key = EthKey.Generate().ExportPrivateKey();
        var address = EthKey.FromPrivateKey(key).Address.ToString();
        var sealedKey = vault.Seal(key, owner);
        await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
            "INSERT OR IGNORE INTO gateway_keys(name, address, nonce, ciphertext, tag) VALUES (@name, @address, @n, @c, @t)",
            new { name, address, n = sealedKey.Nonce, c = sealedKey.Ciphertext, t = sealedKey.Tag }, tx,
            cancellationToken: ct)), ct);
        return await GatewayKeyAsync(name, ct);
    }
}
