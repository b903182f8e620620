using Provenance.Ethereum.Crypto;

namespace Provenance.Verify.Tests.Support;

/// <summary>
/// A registry with a varied history made once for the collection: every entry kind, two makers, two handoffs, a
/// claim, a flag and unflag, a revocation. Tests only read it.
/// </summary>
public sealed class VerifiedHistory : IAsyncLifetime
{
    /// <summary>The driven registry.</summary>
    public RegistryDriver Chain { get; } = new();

    /// <summary>The piece that went through the whole supply chain.</summary>
    public string Journey { get; private set; } = "";

    /// <summary>A piece flagged, unflagged and noted.</summary>
    public string Flagged { get; private set; } = "";

    /// <summary>A revoked piece.</summary>
    public string Revoked { get; private set; } = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await Chain.InitializeAsync();
        var c = Chain;
        Journey = c.NewCode();
        var claim = await c.RegisterAsync(c.Artisan, Journey, c.Artisan, c.Artisan2);
        await c.AppendAsync(c.Artisan, Journey, "Processing", 2);
        await c.AppendAsync(c.Certifier, Journey, "Certification", 3);
        await c.HandoffAsync(c.Artisan, c.Handler, Journey, 4);
        await c.AppendAsync(c.Handler, Journey, "Shipping", 5);
        await c.HandoffAsync(c.Handler, c.Handler2, Journey, 6);
        await c.AppendAsync(c.Handler2, Journey, "Sale", 7);
        await c.AppendAsync(c.Artisan, Journey, "PaymentConfirmed", 8);
        await c.ClaimAsync(claim, Journey, EthKey.Generate().Address);

        Flagged = c.NewCode();
        await c.RegisterAsync(c.Artisan2, Flagged, c.Artisan2);
        await c.StatusAsync(c.Certifier, Flagged, "flag", 2);
        await c.StatusAsync(c.Certifier, Flagged, "unflag", 3);
        await c.AppendAsync(c.Certifier, Flagged, "Note", 4);

        Revoked = c.NewCode();
        await c.RegisterAsync(c.Artisan, Revoked, c.Artisan);
        await c.AppendAsync(c.Artisan, Revoked, "Export", 2);
        await c.StatusAsync(c.Admin, Revoked, "revoke", 3);
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Chain.DisposeAsync();
}

/// <summary>Tests reading the shared history.</summary>
[CollectionDefinition(Name)]
public sealed class VerifiedHistoryCollection : ICollectionFixture<VerifiedHistory>
{
    /// <summary>The collection name.</summary>
    public const string Name = "verified-history";
}
