using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Provenance.Api.Data;

namespace Provenance.Api.Security;

/// <summary>The actor an API key belongs to.</summary>
public sealed record KeyOwner(string ActorId, string Kind, string Address, string Name);

/// <summary>
/// API keys: <c>pvk_</c> + 10-character lookup prefix + <c>_</c> + 40-character secret (200 random bits). Only the
/// prefix and the SHA-256 of the whole key are stored; the key is shown once. Verification looks the row up by
/// prefix and compares hashes in constant time.
/// </summary>
public sealed class ApiKeys(Db db)
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    /// <summary>Creates a key for <paramref name="actorId"/> inside the caller's transaction; returns the key text.</summary>
    public static async Task<string> CreateAsync(
        SqliteConnection connection, System.Data.IDbTransaction tx, string actorId, CancellationToken ct)
    {
        var prefix = RandomText(10);
        var key = $"pvk_{prefix}_{RandomText(40)}";
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO api_keys(prefix, actor_id, hash, created_at) VALUES (@prefix, @actorId, @hash, @at)",
            new { prefix, actorId, hash = Hash(key), at = DateTimeOffset.UtcNow.ToString("O") }, tx,
            cancellationToken: ct));
        return key;
    }

    /// <summary>Returns the owner of <paramref name="key"/>, or null when it is unknown, revoked or malformed.</summary>
    public async Task<KeyOwner?> VerifyAsync(string key, CancellationToken ct)
    {
        var parts = key.Split('_');
        if (parts.Length != 3 || parts[0] != "pvk" || parts[1].Length != 10 || parts[2].Length != 40)
        {
            return null;
        }

        var row = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<(byte[] Hash, string ActorId, string Kind, string Address, string Name)>(
            new CommandDefinition(
                "SELECT k.hash, a.id, a.kind, a.address, a.name FROM api_keys k JOIN actors a ON a.id = k.actor_id " +
                "WHERE k.prefix = @prefix AND k.revoked_at IS NULL", new { prefix = parts[1] }, cancellationToken: ct)), ct);
        if (row.Hash is null || !CryptographicOperations.FixedTimeEquals(row.Hash, Hash(key)))
        {
            return null;
        }

        return new KeyOwner(row.ActorId, row.Kind, row.Address, row.Name);
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static string RandomText(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(chars);
    }
}
