using Microsoft.Extensions.Options;

namespace Provenance.Api.Security;

/// <summary>
/// Secrets and public identity of the gateway (section <c>Security</c>). The master key never belongs in
/// appsettings: give it as env <c>PROVENANCE_MASTER_KEY</c> (base64 of 32 bytes) or point
/// <c>PROVENANCE_MASTER_KEY_FILE</c> at a file holding it (scripts/run.sh generates one under data/, mode 0600).
/// </summary>
public sealed class SecurityOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Security";

    /// <summary>Base64 of 32 random bytes; encrypts custodial signing keys (AES-256-GCM).</summary>
    public string? MasterKey { get; set; }

    /// <summary>A file holding the base64 master key (used when <see cref="MasterKey"/> is not set).</summary>
    public string? MasterKeyFile { get; set; }

    /// <summary>The public base URL that QR codes and verification links point to.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>Where the first start writes the admin API key (default: &lt;data&gt;/admin-api-key).</summary>
    public string? AdminKeyFile { get; set; }

    /// <summary>Reads the master key from <see cref="MasterKey"/> or <see cref="MasterKeyFile"/>.</summary>
    public byte[] ReadMasterKey()
    {
        var text = MasterKey;
        if (string.IsNullOrWhiteSpace(text) && !string.IsNullOrWhiteSpace(MasterKeyFile))
        {
            text = File.ReadAllText(MasterKeyFile);
        }

        return Convert.FromBase64String((text ?? "").Trim());
    }
}

/// <summary>Checks the security options at start, with one clear message per mistake.</summary>
public sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.MasterKey) && string.IsNullOrWhiteSpace(options.MasterKeyFile))
        {
            errors.Add("Security:MasterKey is missing: set env PROVENANCE_MASTER_KEY to base64 of 32 random bytes " +
                       "(e.g. `openssl rand -base64 32`) or PROVENANCE_MASTER_KEY_FILE to a file holding it.");
        }
        else if (string.IsNullOrWhiteSpace(options.MasterKey) && !File.Exists(options.MasterKeyFile))
        {
            errors.Add($"Security:MasterKeyFile '{options.MasterKeyFile}' does not exist.");
        }
        else
        {
            try
            {
                if (options.ReadMasterKey().Length != 32)
                {
                    errors.Add("Security:MasterKey must decode to exactly 32 bytes (AES-256).");
                }
            }
            catch (FormatException)
            {
                errors.Add("Security:MasterKey is not valid base64.");
            }
        }

        if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var uri) ||
            (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"Security:PublicBaseUrl '{options.PublicBaseUrl}' must be an absolute http(s) URL.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
