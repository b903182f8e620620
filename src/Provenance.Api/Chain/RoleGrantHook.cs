using System.Data;
using Microsoft.Data.Sqlite;
using Provenance.Api.Actors;
using Provenance.Api.Operations;
using Provenance.Api.Security;

namespace Provenance.Api.Chain;

/// <summary>
/// Queues the on-chain role of a new actor in its onboarding transaction: ARTISAN_ROLE, HANDLER_ROLE or
/// CERTIFIER_ROLE (the gateway admin gets CERTIFIER_ROLE so it can flag and revoke). The relayer, holding
/// REGISTRAR_ROLE, sends the grant.
/// </summary>
public sealed class RoleGrantHook : IActorOnboardingHook
{
    /// <inheritdoc />
    public async Task<string?> OnboardedAsync(SqliteConnection c, IDbTransaction tx, ActorRow actor, CancellationToken ct)
    {
        var role = actor.Kind switch
        {
            Roles.Artisan => "ARTISAN_ROLE",
            Roles.Handler => "HANDLER_ROLE",
            Roles.Certifier or Roles.Admin => "CERTIFIER_ROLE",
            _ => null,
        };
        return role is null ? null : await OperationStore.InsertGrantAsync(c, tx, actor.Id, new RoleGrant(role, actor.Address), ct);
    }
}
