using System.Security.Claims;
using Dapper;
using Provenance.Api.Actors;
using Provenance.Api.Data;
using Provenance.Api.Hosting;
using Provenance.Api.Security;

namespace Provenance.Api.Products;

/// <summary>A piece as the gateway stored it at registration.</summary>
public sealed class PieceRow
{
    /// <summary>Piece code.</summary>
    public required string Code { get; init; }

    /// <summary>keccak256(code), 0x hex.</summary>
    public required string PieceId { get; init; }

    /// <summary>Registering artisan's actor id.</summary>
    public required string RegistrantId { get; init; }

    /// <summary>Committed claim-key address.</summary>
    public required string ClaimSigner { get; init; }

    /// <summary>ISO 8601.</summary>
    public required string CreatedAt { get; init; }
}

/// <summary>Finds pieces by (user-typed) code and the calling actor.</summary>
public sealed class PieceLookup(Db db, ActorStore actors)
{
    private readonly ImmutableCache<string, PieceRow> _byCode = new();

    /// <summary>The piece for a code as typed (normalised), or 404.</summary>
    public async Task<PieceRow> GetAsync(string code, CancellationToken ct)
    {
        var normalized = PieceCode.Normalize(code) ?? throw ApiProblemException.NotFound($"'{code}' is not a valid piece code.", "UnknownPiece");
        return await FindAsync(normalized, ct) ?? throw ApiProblemException.NotFound($"No piece with code {normalized}.", "UnknownPiece");
    }

    /// <summary>The piece for a normalised code, or null.</summary>
    /// <remarks>A stored piece row (these columns) never changes: rows found are kept in memory for the write path.</remarks>
    public Task<PieceRow?> FindAsync(string code, CancellationToken ct) =>
        _byCode.GetOrLoadAsync(code, () => db.ReadAsync(c => c.QuerySingleOrDefaultAsync<PieceRow>(new CommandDefinition(
            "SELECT code AS Code, piece_id AS PieceId, registrant_id AS RegistrantId, claim_signer AS ClaimSigner, created_at AS CreatedAt " +
            "FROM pieces WHERE code = @code", new { code }, cancellationToken: ct)), ct));

    /// <summary>The calling actor.</summary>
    public async Task<ActorRow> CallerAsync(ClaimsPrincipal user, CancellationToken ct) =>
        await actors.FindAsync(user.ActorId(), ct) ?? throw ApiProblemException.Forbidden("Unknown actor.");
}
