using System.Data;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Provenance.Api.Data;
using Provenance.Api.Hosting;
using Provenance.Api.Security;

namespace Provenance.Api.Actors;

/// <summary>A stored actor.</summary>
public sealed class ActorRow
{
    /// <summary>Actor id (e.g. <c>art_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>admin, artisan, handler or certifier.</summary>
    public required string Kind { get; init; }

    /// <summary>Display name (business name for handlers).</summary>
    public required string Name { get; init; }

    /// <summary>EIP-55 chain address.</summary>
    public required string Address { get; init; }

    /// <summary>True when the gateway holds the actor's signing key.</summary>
    public bool Custodial { get; init; }

    /// <summary>The onboarding record as JSON.</summary>
    public required string ProfileJson { get; init; }

    /// <summary>ISO 8601 creation time.</summary>
    public required string CreatedAt { get; init; }
}

/// <summary>Hook run inside the onboarding transaction, e.g. to queue the on-chain role grant.</summary>
public interface IActorOnboardingHook
{
    /// <summary>Runs in the actor's transaction; returns an operation id when it queued one.</summary>
    Task<string?> OnboardedAsync(SqliteConnection c, IDbTransaction tx, ActorRow actor, CancellationToken ct);
}

/// <summary>Actors: onboarding (actor row, API key, custodial key in one transaction) and look-ups.</summary>
public sealed class ActorStore(Db db, CustodialKeys custodialKeys, IEnumerable<IActorOnboardingHook> hooks)
{
    private readonly ImmutableCache<string, ActorRow> _byId = new();

    private const string Columns =
        "id AS Id, kind AS Kind, name AS Name, address AS Address, custodial AS Custodial, profile_json AS ProfileJson, created_at AS CreatedAt";

    /// <summary>Creates an actor with an API key and, without <paramref name="ownAddress"/>, a custodial key.</summary>
    public Task<ActorCreated> CreateAsync(string kind, string name, JsonElement profile, string? ownAddress, CancellationToken ct) =>
        db.WriteAsync((c, tx) => CreateAsync(c, tx, kind, name, profile, ownAddress, ct), ct);

    /// <summary>Creates an actor inside the caller's transaction.</summary>
    public async Task<ActorCreated> CreateAsync(
        SqliteConnection c, IDbTransaction tx, string kind, string name, JsonElement profile, string? ownAddress,
        CancellationToken ct, byte[]? custodialKey = null)
    {
        var id = NewId(kind);
        string address;
        if (ownAddress is null)
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO actors(id, kind, name, address, custodial, profile_json, created_at) VALUES (@id, @kind, @name, @address, 1, @profile, @at)",
                new { id, kind, name, address = "pending:" + id, profile = profile.GetRawText(), at = Now() }, tx, cancellationToken: ct));
            address = await custodialKeys.CreateAsync(c, tx, id, ct, custodialKey);
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE actors SET address = @address WHERE id = @id", new { id, address }, tx, cancellationToken: ct));
        }
        else
        {
            address = Provenance.Ethereum.Address.Parse(ownAddress).ToString();
            var taken = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM actors WHERE lower(address) = lower(@address)", new { address }, tx, cancellationToken: ct));
            if (taken > 0)
            {
                throw ApiProblemException.Conflict($"Address {address} already belongs to an actor.", "AddressTaken");
            }

            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO actors(id, kind, name, address, custodial, profile_json, created_at) VALUES (@id, @kind, @name, @address, 0, @profile, @at)",
                new { id, kind, name, address, profile = profile.GetRawText(), at = Now() }, tx, cancellationToken: ct));
        }

        var apiKey = await ApiKeys.CreateAsync(c, tx, id, ct);
        var row = new ActorRow
        {
            Id = id, Kind = kind, Name = name, Address = address, Custodial = ownAddress is null,
            ProfileJson = profile.GetRawText(), CreatedAt = Now(),
        };
        string? operationId = null;
        foreach (var hook in hooks)
        {
            operationId ??= await hook.OnboardedAsync(c, tx, row, ct);
        }

        return new ActorCreated(id, kind, address, ownAddress is null, apiKey, operationId);
    }

    /// <summary>An actor by id, or null.</summary>
    /// <remarks>
    /// A committed actor row never changes (its address is set inside the onboarding transaction), so rows found are
    /// kept in memory: the write path looks the caller (and each maker) up on every request.
    /// </remarks>
    public Task<ActorRow?> FindAsync(string id, CancellationToken ct) =>
        _byId.GetOrLoadAsync(id, () => db.ReadAsync(c => c.QuerySingleOrDefaultAsync<ActorRow>(new CommandDefinition(
            $"SELECT {Columns} FROM actors WHERE id = @id", new { id }, cancellationToken: ct)), ct));

    /// <summary>An actor by chain address (any case), or null.</summary>
    public Task<ActorRow?> FindByAddressAsync(string address, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<ActorRow>(new CommandDefinition(
            $"SELECT {Columns} FROM actors WHERE lower(address) = lower(@address)", new { address }, cancellationToken: ct)), ct);

    /// <summary>Actors, optionally of one kind, newest first.</summary>
    public async Task<IReadOnlyList<ActorRow>> ListAsync(string? kind, int limit, int offset, CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<ActorRow>(new CommandDefinition(
            $"SELECT {Columns} FROM actors WHERE (@kind IS NULL OR kind = @kind) ORDER BY created_at DESC, id LIMIT @limit OFFSET @offset",
            new { kind, limit, offset }, cancellationToken: ct)), ct)).AsList();

    /// <summary>Whether an admin actor exists.</summary>
    public Task<bool> AnyAdminAsync(CancellationToken ct) =>
        db.ReadAsync(async c => await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM actors WHERE kind = 'admin'", cancellationToken: ct)) > 0, ct);

    private static string NewId(string kind)
    {
        const string alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
        Span<char> chars = stackalloc char[12];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return kind[..3] + "_" + new string(chars);
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("O");
}
