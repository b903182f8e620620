using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Provenance.Api.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer pvk_…</c> or <c>X-Api-Key: pvk_…</c>. The key itself is never logged.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>Claim type carrying the actor's chain address.</summary>
    public const string AddressClaim = "address";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? key = null;
        if (Request.Headers.TryGetValue("X-Api-Key", out var header))
        {
            key = header.ToString();
        }
        else if (Request.Headers.Authorization.ToString() is { } auth &&
                 auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            key = auth["Bearer ".Length..].Trim();
        }

        if (string.IsNullOrEmpty(key))
        {
            return AuthenticateResult.NoResult();
        }

        var owner = await keys.VerifyAsync(key, Context.RequestAborted);
        if (owner is null)
        {
            return AuthenticateResult.Fail("Invalid API key.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, owner.ActorId),
                new Claim(ClaimTypes.Name, owner.Name),
                new Claim(ClaimTypes.Role, owner.Kind),
                new Claim(AddressClaim, owner.Address),
            ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}

/// <summary>Reads the authenticated actor from a principal.</summary>
public static class PrincipalExtensions
{
    /// <summary>The actor id of the caller.</summary>
    public static string ActorId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("not authenticated");

    /// <summary>The actor kind (role) of the caller.</summary>
    public static string ActorKind(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role) ?? "";
}
