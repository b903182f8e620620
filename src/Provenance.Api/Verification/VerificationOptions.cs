namespace Provenance.Api.Verification;

/// <summary>Settings of the public verification feature (section <c>Verification</c>), validated at start.</summary>
public sealed class VerificationOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Verification";
}
