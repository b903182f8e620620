using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using Provenance.Api.Actors;
using Provenance.Api.Chain;
using Provenance.Api.Data;
using Provenance.Api.Hosting;
using Provenance.Api.Operations;
using Provenance.Api.Records;
using Provenance.Api.Security;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.Crypto;

namespace Provenance.Api.Products;

/// <summary>Mints codes, builds piece records and registration drafts, and runs them through the write pipeline.</summary>
public sealed class PieceRegistrar(
    ActorStore actors, Db db, ActionPipeline pipeline, IOptions<SecurityOptions> security, TimeProvider time)
{
    /// <summary>The on-chain id of a piece code: keccak256(bytes(code)).</summary>
    public static string PieceId(string code) => HexConvert.ToHex(Keccak.Keccak256(Encoding.UTF8.GetBytes(code)));

    /// <summary>Registers pieces for <paramref name="artisan"/> (one transaction; all or none).</summary>
    public async Task<PieceRegistered[]> RegisterAsync(ActorRow artisan, IReadOnlyList<RegisterPieceRequest> requests, CancellationToken ct)
    {
        if (!artisan.Custodial)
        {
            throw ApiProblemException.Unprocessable(
                "This artisan signs with its own wallet: register directly on the registry contract.", "SignatureRequired");
        }

        var drafts = new List<ActionDraft>();
        var results = new List<PieceRegistered>();
        foreach (var request in requests)
        {
            var makers = await ResolveMakersAsync(request.Makers, ct);
            await CheckPhotosAsync(request.Photos ?? [], ct);
            var code = PieceCode.New();
            var claimCode = ClaimCode.New();
            var claimKey = ClaimCode.DeriveKey(code, ClaimCode.Normalize(claimCode)!);
            var claimSigner = EthKey.FromPrivateKey(claimKey).Address.ToString();
            Array.Clear(claimKey);
            var record = RecordHash.Of(new PieceRecord(
                "provenance.piece/v1", code, request.Craft, request.Title, request.Description, request.Materials ?? [],
                request.Dimensions, request.Techniques ?? [],
                makers.Select(m => new MakerRecord(m.Actor.Id, m.Actor.Address, m.Part)).ToArray(),
                request.Photos ?? [], request.GiLabel, artisan.Address, time.GetUtcNow().ToString("O")),
                ApiJsonContext.Default.PieceRecord);
            var pieceId = PieceId(code);
            var action = new SignedAction(ActionType.Register, artisan.Address, pieceId, EventKind.Registration,
                record.HashHex, claimSigner,
                makers.Select(m => m.Actor.Address).OrderBy(a => a.ToLowerInvariant(), StringComparer.Ordinal).ToArray(),
                ActionAuthorization.None, ActionAuthorization.None);
            drafts.Add(new ActionDraft("register", artisan.Id, code, action, new ActionSigning.Custodial(artisan.Id), null,
                [artisan.Address, .. action.Makers],
                async (c, tx, operationId, token) =>
                {
                    var now = time.GetUtcNow().ToString("O");
                    await c.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO pieces(code, piece_id, registrant_id, claim_signer, created_at) VALUES (@code, @pieceId, @registrant, @claimSigner, @now)",
                        new { code, pieceId, registrant = artisan.Id, claimSigner, now }, tx, cancellationToken: token));
                    foreach (var m in makers)
                    {
                        await c.ExecuteAsync(new CommandDefinition(
                            "INSERT INTO piece_makers(piece_code, actor_id, part) VALUES (@code, @actor, @part)",
                            new { code, actor = m.Actor.Id, part = m.Part }, tx, cancellationToken: token));
                    }

                    await RecordStore.InsertAsync(c, tx, code, "piece", artisan.Id, record, operationId, token);
                }));
            var baseUrl = security.Value.PublicBaseUrl.TrimEnd('/');
            results.Add(new PieceRegistered(code, pieceId, claimCode, $"{baseUrl}/p/{code}/qr.svg", $"{baseUrl}/p/{code}",
                "", OperationStatus.Pending, ""));
        }

        var ids = await pipeline.SubmitManyAsync(drafts, ct);
        return results.Select((r, i) => r with { OperationId = ids[i], StatusUrl = $"/api/operations/{ids[i]}" }).ToArray();
    }

    private async Task<List<(ActorRow Actor, string Part)>> ResolveMakersAsync(MakerInput[] makers, CancellationToken ct)
    {
        if (makers.Select(m => m.ActorId).Distinct().Count() != makers.Length)
        {
            throw ApiProblemException.Unprocessable("Each maker may appear only once.", "DuplicateMaker");
        }

        var result = new List<(ActorRow, string)>();
        foreach (var m in makers)
        {
            var actor = await actors.FindAsync(m.ActorId, ct);
            if (actor is null || actor.Kind != Roles.Artisan)
            {
                throw ApiProblemException.Unprocessable($"Maker '{m.ActorId}' is not an onboarded artisan.", "UnknownMaker");
            }

            result.Add((actor, m.Part));
        }

        return result;
    }

    private async Task CheckPhotosAsync(string[] photos, CancellationToken ct)
    {
        foreach (var photo in photos)
        {
            var known = await db.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM photos WHERE sha256 = @photo", new { photo }, cancellationToken: ct)), ct);
            if (known == 0)
            {
                throw ApiProblemException.Unprocessable($"Photo '{photo}' was not uploaded (POST /api/photos first).", "UnknownPhoto");
            }
        }
    }
}
