using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Provenance.Api.Chain;
using Provenance.Api.Data;
using Provenance.Api.Hosting;
using Provenance.Api.Security;

namespace Provenance.Api.Idempotency;

/// <summary>A stored first response (sealed at rest: it may hold an API key or a claim code).</summary>
internal sealed record StoredResponse(int Status, string? ContentType, string? Location, byte[] Body);

/// <summary>
/// <c>Idempotency-Key</c> on every write under <c>/api</c> (POST, PUT, PATCH, DELETE), after the IETF draft
/// "The Idempotency-Key HTTP Header Field". The key is scoped to the caller (actor id, or "anonymous"). The first
/// request runs inside a <see cref="WriteScope"/>: its rows, its pending operation and the key with the SHA-256 of the
/// request (method, path, query, body) and its 2xx response commit in one SQLite transaction. A retry with the same key
/// and request gets the stored response (header <c>Idempotent-Replayed: true</c>) and nothing is written or sent; the
/// same key with another request is 422 <c>IdempotencyKeyReused</c>; concurrent requests with one key run one at a
/// time, so exactly one writes. A request that fails (4xx/5xx) stores nothing: its retry runs again.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    /// <summary>The request header.</summary>
    public const string Header = "Idempotency-Key";

    /// <summary>Set on a replayed response.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    // Striped locks: requests with the same key always share a stripe (and so run one at a time in this process).
    private static readonly SemaphoreSlim[] Stripes = Enumerable.Range(0, 1024).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext http, Db db, KeyVault vault, RelayerSignal relayer)
    {
        var request = http.Request;
        if (!request.Headers.TryGetValue(Header, out var values) || !IsWrite(request))
        {
            await next(http);
            return;
        }

        var key = values.ToString();
        if (key.Length is 0 or > 255 || key.Any(ch => ch is < '!' or > '~') || values.Count != 1)
        {
            throw ApiProblemException.BadRequest($"{Header} must be one value of 1-255 visible ASCII characters.");
        }

        var actor = http.User.Identity?.IsAuthenticated == true ? http.User.ActorId() : "anonymous";
        var requestHash = await HashRequestAsync(request, http.RequestAborted);
        var stripe = Stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(actor + "\n" + key) % (uint)Stripes.Length)];
        await stripe.WaitAsync(http.RequestAborted);
        try
        {
            var existing = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<(string RequestHash, string Response)?>(new CommandDefinition(
                "SELECT request_hash, sealed_response FROM idempotency WHERE actor_id = @actor AND key = @key",
                new { actor, key }, cancellationToken: http.RequestAborted)), http.RequestAborted);
            if (existing is { } row)
            {
                if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(row.RequestHash), Encoding.ASCII.GetBytes(requestHash)))
                {
                    throw ApiProblemException.Unprocessable(
                        $"{Header} '{key}' was first used with a different request; use a new key for a new request.", "IdempotencyKeyReused");
                }

                await ReplayAsync(http, Open(vault, row.Response, actor, key));
                return;
            }

            await RunFirstAsync(http, db, vault, relayer, actor, key, requestHash);
        }
        finally
        {
            stripe.Release();
        }
    }

    private async Task RunFirstAsync(HttpContext http, Db db, KeyVault vault, RelayerSignal relayer, string actor, string key, string requestHash)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await using (var scope = WriteScope.Begin(db))
            {
                await next(http);
                var status = http.Response.StatusCode;
                if (status is < 200 or > 299)
                {
                    return; // nothing stored (disposing the scope rolls back whatever the request wrote)
                }

                var stored = new StoredResponse(status, http.Response.ContentType, http.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null,
                    buffer.ToArray());
                var sealedResponse = Seal(vault, stored, actor, key);
                try
                {
                    await scope.CommitAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO idempotency(key, actor_id, request_hash, sealed_response, created_at) " +
                        "VALUES (@key, @actor, @requestHash, @sealedResponse, @now)",
                        new { key, actor, requestHash, sealedResponse, now = DateTimeOffset.UtcNow.ToString("O") }, tx,
                        cancellationToken: CancellationToken.None)), CancellationToken.None);
                }
                catch (SqliteException e) when (e.SqliteErrorCode == 19)
                {
                    // Another gateway process took the key first: this request's writes roll back.
                    throw ApiProblemException.Conflict($"{Header} '{key}' is being used by a concurrent request; retry.", "IdempotencyKeyInUse");
                }
            }

            http.Response.Headers[ReplayedHeader] = "false";
            relayer.Notify(); // the operations became visible at commit
        }
        finally
        {
            http.Response.Body = original;
            if (buffer.Length > 0 && !http.Response.HasStarted && http.Response.StatusCode is >= 200 and <= 299 or >= 400)
            {
                buffer.Position = 0;
                await buffer.CopyToAsync(original, http.RequestAborted);
            }
        }
    }

    private static async Task ReplayAsync(HttpContext http, StoredResponse stored)
    {
        http.Response.StatusCode = stored.Status;
        if (stored.ContentType is { } type)
        {
            http.Response.ContentType = type;
        }

        if (stored.Location is { } location)
        {
            http.Response.Headers.Location = location;
        }

        http.Response.Headers[ReplayedHeader] = "true";
        http.Response.ContentLength = stored.Body.Length;
        await http.Response.Body.WriteAsync(stored.Body, http.RequestAborted);
    }

    private static bool IsWrite(HttpRequest r) =>
        r.Path.StartsWithSegments("/api") && (HttpMethods.IsPost(r.Method) || HttpMethods.IsPut(r.Method) ||
                                               HttpMethods.IsPatch(r.Method) || HttpMethods.IsDelete(r.Method));

    private static async Task<string> HashRequestAsync(HttpRequest request, CancellationToken ct)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}{request.QueryString}\n{request.ContentType}\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            sha.AppendData(chunk, 0, read);
        }

        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static string Seal(KeyVault vault, StoredResponse response, string actor, string key)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(response, IdempotencyJsonContext.Default.StoredResponse);
        var s = vault.Seal(plain, $"idempotency:{actor}:{key}");
        return $"{Convert.ToBase64String(s.Nonce)}.{Convert.ToBase64String(s.Tag)}.{Convert.ToBase64String(s.Ciphertext)}";
    }

    private static StoredResponse Open(KeyVault vault, string text, string actor, string key)
    {
        var parts = text.Split('.');
        var plain = vault.Open(new SealedSecret(Convert.FromBase64String(parts[0]), Convert.FromBase64String(parts[2]),
            Convert.FromBase64String(parts[1])), $"idempotency:{actor}:{key}");
        return JsonSerializer.Deserialize(plain, IdempotencyJsonContext.Default.StoredResponse)!;
    }
}
