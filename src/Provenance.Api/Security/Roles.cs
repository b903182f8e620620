namespace Provenance.Api.Security;

/// <summary>Actor kinds, used as role names on API keys, and the authorisation policies built from them.</summary>
public static class Roles
{
    /// <summary>Gateway operator / registrar: onboards actors, flags and revokes.</summary>
    public const string Admin = "admin";

    /// <summary>Maker who registers pieces and confirms payment.</summary>
    public const string Artisan = "artisan";

    /// <summary>Middleman, exporter or retailer holding custody.</summary>
    public const string Handler = "handler";

    /// <summary>GI lab or craft institute attesting tests and certification.</summary>
    public const string Certifier = "certifier";

    /// <summary>Every actor kind.</summary>
    public static readonly string[] All = [Admin, Artisan, Handler, Certifier];

    /// <summary>Policy names.</summary>
    public static class Policies
    {
        /// <summary>Admin only.</summary>
        public const string Admin = "admin";

        /// <summary>Artisans only.</summary>
        public const string Artisan = "artisan";

        /// <summary>Certifiers, and the admin.</summary>
        public const string Certifier = "certifier";

        /// <summary>Anyone who can hold custody: artisans and handlers.</summary>
        public const string Custodian = "custodian";

        /// <summary>Any authenticated actor.</summary>
        public const string Actor = "actor";
    }
}
