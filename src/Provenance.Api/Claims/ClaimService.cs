using System.Text.Json;
using Dapper;
using Provenance.Api.Actors;
using Provenance.Api.Chain;
using Provenance.Api.Data;
using Provenance.Api.Hosting;
using Provenance.Api.Operations;
using Provenance.Api.Products;
using Provenance.Api.Verification;
using Provenance.Ethereum;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.JsonRpc;

namespace Provenance.Api.Claims;

/// <summary>
/// Claims a piece: normalises the claim code, derives the claim key (<see cref="ClaimCode.DeriveKey"/>), checks its
/// address against the commitment made at registration, and relays a Claim signed with it for the given owner address
/// or for a new custodial owner account created in the same transaction. Used by the API and the claim page.
/// </summary>
public sealed class ClaimService(PieceLookup pieces, ActorStore actors, ActionPipeline pipeline, Db db) : IClaimService
{
    /// <summary>Claims <paramref name="code"/>; throws <see cref="ApiProblemException"/> with a precise status otherwise.</summary>
    public async Task<ClaimAccepted> ClaimAsync(string code, string claimCodeText, string? owner, CancellationToken ct)
    {
        var piece = await pieces.GetAsync(code, ct);
        var claimCode = ClaimCode.Normalize(claimCodeText)
                        ?? throw ApiProblemException.Unprocessable("The claim code is not well formed (check for typos).", "InvalidClaimCode");
        var key = ClaimCode.DeriveKey(piece.Code, claimCode);
        try
        {
            if (!string.Equals(EthKey.FromPrivateKey(key).Address.ToString(), piece.ClaimSigner, StringComparison.OrdinalIgnoreCase))
            {
                throw ApiProblemException.Forbidden("This claim code does not belong to this piece.", "ProvenanceRegistryNotClaimSigner");
            }

            var pending = await db.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM operations WHERE piece_code = @code AND kind = 'claim' AND status IN ('pending','submitted','confirmed')",
                new { code = piece.Code }, cancellationToken: ct)), ct);
            if (pending > 0)
            {
                throw ApiProblemException.Conflict("The piece is already claimed (or a claim for it is on its way).", "ProvenanceRegistryAlreadyClaimed");
            }

            // Without an owner address, a custodial owner account is created in the claim's own transaction.
            var ownerAddress = owner is null ? null : Address.Parse(owner).ToString();
            var ownerKey = ownerAddress is null ? EthKey.Generate().ExportPrivateKey() : null;
            ActorCreated? created = null;
            var action = new SignedAction(ActionType.Claim, piece.ClaimSigner, piece.PieceId, EventKind.Claim,
                SignedAction.ZeroHash, ownerAddress ?? EthKey.FromPrivateKey(ownerKey!).Address.ToString(), [],
                ActionAuthorization.None, ActionAuthorization.None);
            StoreRows? createOwner = ownerKey is null ? null : async (c, tx, _, token) =>
            {
                created = await actors.CreateAsync(c, tx, "owner", "Owner of " + piece.Code,
                    JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["piece"] = piece.Code }, ApiJsonContext.Default.DictionaryStringString),
                    null, token, ownerKey);
            };
            var id = await pipeline.SubmitAsync(new ActionDraft("claim", null, piece.Code, action,
                new ActionSigning.WithKey(key), null, [], createOwner), ct);
            return new ClaimAccepted(id, OperationStatus.Pending, $"/api/operations/{id}", action.Account, created?.Id, created?.ApiKey);
        }
        finally
        {
            Array.Clear(key);
        }
    }

    /// <inheritdoc />
    async Task<ClaimResult> IClaimService.ClaimAsync(string code, string claimCode, string clientId, CancellationToken ct)
    {
        try
        {
            var accepted = await ClaimAsync(code, claimCode, null, ct);
            return new ClaimResult(ClaimOutcome.Claimed, accepted.OperationId, accepted.Owner, accepted.OwnerApiKey);
        }
        catch (ApiProblemException e)
        {
            return new ClaimResult(e.Status switch
            {
                404 => ClaimOutcome.UnknownPiece,
                503 => ClaimOutcome.ChainUnavailable,
                _ when e.Code is "InvalidClaimCode" or "ProvenanceRegistryNotClaimSigner" => ClaimOutcome.WrongCode,
                _ when e.Code is "ProvenanceRegistryAlreadyClaimed" => ClaimOutcome.AlreadyClaimed,
                _ when e.Detail.Contains("Claimed", StringComparison.Ordinal) => ClaimOutcome.AlreadyClaimed,
                _ => ClaimOutcome.NotClaimable,
            });
        }
        catch (RpcTransportException)
        {
            return new ClaimResult(ClaimOutcome.ChainUnavailable);
        }
    }
}
