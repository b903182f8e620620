using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Provenance.Api.Actors;

/// <summary>What an artisan's public page may show (the cluster is always shown).</summary>
public sealed record PublicVisibility(bool Name = true, bool Photo = false, bool Village = false);

/// <summary>Onboards an artisan.</summary>
public sealed record OnboardArtisanRequest(
    [property: Required, StringLength(120, MinimumLength = 1)] string Name,
    [property: Required, StringLength(60, MinimumLength = 2)] string Craft,
    [property: Required, StringLength(80, MinimumLength = 2)] string Cluster,
    [property: StringLength(80)] string? Village = null,
    [property: StringLength(40)] string? ArtisanCardNumber = null,
    [property: RegularExpression(ActorValidation.PhotoPattern, ErrorMessage = ActorValidation.PhotoMessage)] string? Photo = null,
    [property: StringLength(4000)] string? Story = null,
    PublicVisibility? Visibility = null,
    [property: RegularExpression(ActorValidation.AddressPattern, ErrorMessage = ActorValidation.AddressMessage)] string? Address = null);

/// <summary>Kinds of handler.</summary>
public enum HandlerKind
{
    /// <summary>Buys from artisans and sells on.</summary>
    Middleman,

    /// <summary>Ships abroad.</summary>
    Exporter,

    /// <summary>Sells to consumers.</summary>
    Retailer,
}

/// <summary>Onboards a handler (middleman, exporter, retailer).</summary>
public sealed record OnboardHandlerRequest(
    [property: Required, StringLength(160, MinimumLength = 1)] string BusinessName,
    [property: Required] HandlerKind? Kind,
    [property: StringLength(120)] string? Location = null,
    [property: RegularExpression(ActorValidation.AddressPattern, ErrorMessage = ActorValidation.AddressMessage)] string? Address = null);

/// <summary>Onboards a certifier (GI lab, Craft Development Institute).</summary>
public sealed record OnboardCertifierRequest(
    [property: Required, StringLength(160, MinimumLength = 1)] string Name,
    [property: StringLength(160)] string? Accreditation = null,
    [property: RegularExpression(ActorValidation.AddressPattern, ErrorMessage = ActorValidation.AddressMessage)] string? Address = null);

/// <summary>The new actor and its API key (shown only in this response).</summary>
public sealed record ActorCreated(string Id, string Kind, string Address, bool Custodial, string ApiKey, string? RoleOperationId);

/// <summary>An actor as the API shows it; <see cref="Profile"/> is limited to public fields for other callers.</summary>
public sealed record ActorView(string Id, string Kind, string Name, string Address, bool Custodial, JsonElement Profile, DateTimeOffset CreatedAt);

/// <summary>Shared validation patterns.</summary>
public static class ActorValidation
{
    /// <summary>A 20-byte hex address.</summary>
    public const string AddressPattern = "^0x[0-9a-fA-F]{40}$";

    /// <summary>Message for a bad address.</summary>
    public const string AddressMessage = "must be a 0x-prefixed 20-byte hex address";

    /// <summary>A photo reference: SHA-256 hex returned by POST /api/photos.</summary>
    public const string PhotoPattern = "^[0-9a-f]{64}$";

    /// <summary>Message for a bad photo reference.</summary>
    public const string PhotoMessage = "must be the sha256 returned by POST /api/photos";
}
