using System.Collections.Concurrent;
using System.Data;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Provenance.Api.Data;
using Provenance.Api.Security;

namespace Provenance.Api.Hosting;

/// <summary>The Idempotency-Key of the request being handled (flows with the request's async context).</summary>
public sealed record IdempotencyScope(string ActorId, string Key, string RequestHash)
{
    private static readonly AsyncLocal<IdempotencyScope?> CurrentScope = new();

    /// <summary>The scope of the current request, if it carries an Idempotency-Key.</summary>
    public static IdempotencyScope? Current
    {
        get => CurrentScope.Value;
        internal set => CurrentScope.Value = value;
    }

    /// <summary>
    /// Records, in the caller's transaction, that this key produced <paramref name="operationIds"/>: if the process dies
    /// before the response is stored, a retry still finds the operations instead of creating new ones.
    /// </summary>
    public Task ReserveAsync(SqliteConnection c, IDbTransaction tx, IReadOnlyList<string> operationIds, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO idempotency(key, actor_id, request_hash, status_code, response_json, created_at, operation_ids) " +
            "VALUES (@Key, @ActorId, @RequestHash, 0, '', @now, @ids)",
            new { Key, ActorId, RequestHash, now = DateTimeOffset.UtcNow.ToString("O"), ids = string.Join(',', operationIds) },
            tx, cancellationToken: ct));
}

/// <summary>
/// <c>Idempotency-Key</c> on writes: the first response (below 500) is stored with a hash of the request; a retry with
/// the same key and body gets that response again and changes nothing; the same key with another body is refused
/// (422). Concurrent retries of one key wait for the first. Keys are scoped to the calling actor (anonymous callers
/// share one scope). Stored responses can hold secrets shown once (claim codes, API keys), so they are sealed with the
/// master key like custodial keys.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    private const string Header = "Idempotency-Key";
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new();

    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext http, Db db, KeyVault vault)
    {
        if (!HttpMethods.IsPost(http.Request.Method) || !http.Request.Headers.TryGetValue(Header, out var values))
        {
            await next(http);
            return;
        }

        var key = values.ToString();
        if (key.Length is 0 or > 128)
        {
            throw ApiProblemException.BadRequest("Idempotency-Key must be 1 to 128 characters.");
        }

        var actor = http.User.Identity?.IsAuthenticated == true ? http.User.ActorId() : "anonymous";
        http.Request.EnableBuffering();
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        http.Request.Body.Position = 0;
        var hash = Convert.ToHexStringLower(SHA256.HashData(
            Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}\n").Concat(buffer.ToArray()).ToArray()));

        var gate = Locks.GetOrAdd($"{actor}\n{key}", _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(http.RequestAborted);
        try
        {
            var stored = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<(string Hash, long Status, string Body, string? Type, string? Ops)?>(
                new CommandDefinition("SELECT request_hash, status_code, response_json, content_type, operation_ids FROM idempotency WHERE actor_id = @actor AND key = @key",
                    new { actor, key }, cancellationToken: http.RequestAborted)), http.RequestAborted);
            if (stored is { } s)
            {
                if (s.Hash != hash)
                {
                    throw ApiProblemException.Unprocessable($"Idempotency-Key '{key}' was used with a different request.", "IdempotencyKeyReused");
                }

                http.Response.Headers["Idempotent-Replayed"] = "true";
                if (s.Status == 0)
                {
                    // The operations were stored but the response was not (the process stopped in between).
                    var first = s.Ops?.Split(',')[0] ?? "";
                    await Results.Json(new Operations.OperationAccepted(first, Operations.OperationStatus.Pending, $"/api/operations/{first}"),
                        statusCode: 202).ExecuteAsync(http);
                    return;
                }

                http.Response.StatusCode = (int)s.Status;
                http.Response.ContentType = s.Type ?? "application/json";
                await http.Response.WriteAsync(Open(vault, s.Body, actor, key), http.RequestAborted);
                return;
            }

            var original = http.Response.Body;
            using var captured = new MemoryStream();
            http.Response.Body = captured;
            IdempotencyScope.Current = new IdempotencyScope(actor, key, hash);
            try
            {
                await next(http);
            }
            finally
            {
                IdempotencyScope.Current = null;
                http.Response.Body = original;
            }

            var body = Encoding.UTF8.GetString(captured.ToArray());
            if (http.Response.StatusCode < 500)
            {
                await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO idempotency(key, actor_id, request_hash, status_code, response_json, content_type, created_at) " +
                    "VALUES (@key, @actor, @hash, @status, @body, @type, @now) ON CONFLICT(actor_id, key) DO UPDATE SET " +
                    "status_code = excluded.status_code, response_json = excluded.response_json, content_type = excluded.content_type",
                    new { key, actor, hash, status = http.Response.StatusCode, body = Seal(vault, body, actor, key), type = http.Response.ContentType, now = DateTimeOffset.UtcNow.ToString("O") },
                    tx, cancellationToken: CancellationToken.None)), CancellationToken.None);
            }

            captured.Position = 0;
            await captured.CopyToAsync(original, http.RequestAborted);
        }
        finally
        {
            gate.Release();
        }
    }

    private static string Seal(KeyVault vault, string body, string actor, string key)
    {
        var sealedBody = vault.Seal(Encoding.UTF8.GetBytes(body), $"idempotency:{actor}:{key}");
        return Convert.ToBase64String([.. sealedBody.Nonce, .. sealedBody.Tag, .. sealedBody.Ciphertext]);
    }

    private static string Open(KeyVault vault, string stored, string actor, string key)
    {
        var bytes = Convert.FromBase64String(stored);
        var sealedBody = new SealedSecret(bytes[..12], bytes[28..], bytes[12..28]);
        return Encoding.UTF8.GetString(vault.Open(sealedBody, $"idempotency:{actor}:{key}"));
    }
}
