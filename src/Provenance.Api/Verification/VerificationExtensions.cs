using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Provenance.Api.Verification.Pages;
using Provenance.Api.Verification.Preview;
using Provenance.Api.Verification.Qr;
using Provenance.Api.Verification.Scans;

namespace Provenance.Api.Verification;

/// <summary>Composition of the public verification feature: pages, QR images, claiming, scan signals, labels.</summary>
public static class VerificationExtensions
{
    /// <summary>
    /// Registers the verification feature. The gateway registers <see cref="IPieceVerificationSource"/> and
    /// <see cref="IClaimService"/> from its store (before or after this call); without a source pages answer 503, and
    /// without a claim service claims answer "cannot be recorded right now".
    /// </summary>
    public static WebApplicationBuilder AddVerification(this WebApplicationBuilder builder)
    {
        builder.Services.AddVerification(builder.Configuration, builder.Environment);
        return builder;
    }

    /// <summary>Registers the verification feature's services and options (see <see cref="VerificationOptions"/>).</summary>
    public static IServiceCollection AddVerification(
        this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<VerificationOptions>()
            .Bind(configuration.GetSection(VerificationOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => environment.IsDevelopment() || !environment.IsProduction()
                    || (o.PreviewFixturesFile is null && o.PreviewStaticDirectory is null),
                "Verification preview fixtures and static files are refused in Production")
            .ValidateOnStart();

        services.AddAntiforgery();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPieceVerificationSource, UnavailablePieceVerificationSource>();
        services.AddSingleton<VerificationCache>();
        services.AddSingleton<VerificationUrls>();
        services.AddSingleton<PieceViews>();
        services.AddSingleton<StaticAssets>();
        services.AddSingleton<PageRenderer>();
        services.AddSingleton<VerificationPages>();
        services.AddSingleton<QrImages>();
        services.AddSingleton<PublicRateLimits>();
        services.AddSingleton<ClientFingerprints>();
        services.AddSingleton(sp => new ScanStore(sp.GetRequiredService<Data.Db>()));
        services.AddSingleton(sp => new ScanSignals(
            sp.GetRequiredService<IOptions<VerificationOptions>>(), sp.GetRequiredService<ScanStore>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ScanSignals>>()));
        services.AddSingleton<IScanStatistics>(sp => sp.GetRequiredService<ScanSignals>());
        services.AddHostedService(sp => sp.GetRequiredService<ScanSignals>());
        services.AddTransient<IStartupFilter, LabelSecurityHeaders>();

        var fixtures = configuration[$"{VerificationOptions.SectionName}:{nameof(VerificationOptions.PreviewFixturesFile)}"];
        if (!string.IsNullOrWhiteSpace(fixtures) && !environment.IsProduction())
        {
            services.AddKeyedSingleton<IPieceVerificationSource>(FixturePieceVerificationSource.ServiceKey,
                (_, _) => new FixturePieceVerificationSource(Path.GetFullPath(fixtures, environment.ContentRootPath)));
        }

        return services;
    }

    /// <summary>
    /// Maps <c>/p/{code}</c> (page), <c>/p/{code}/qr.svg|png</c>, <c>/p/{code}/claim</c>, <c>/p?code=</c> (look-up),
    /// <c>/01/{gtin}/21/{code}</c> (GS1 Digital Link), <c>/labels?codes=</c> and the stylesheet.
    /// </summary>
    public static IEndpointRouteBuilder MapVerification(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapVerificationRoutes();

        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<VerificationOptions>>().Value;
        var environment = endpoints.ServiceProvider.GetRequiredService<IHostEnvironment>();
        if (options.PreviewStaticDirectory is { Length: > 0 } directory && !environment.IsProduction())
        {
            var root = Path.GetFullPath(directory, environment.ContentRootPath);
            endpoints.MapGet("/preview/static/{file}", (string file) =>
                    file.IndexOfAny(['/', '\\']) < 0 && !file.StartsWith('.') && File.Exists(Path.Combine(root, file))
                        ? Results.File(Path.Combine(root, file), "text/html; charset=utf-8")
                        : Results.NotFound())
                .ExcludeFromDescription();
        }

        return endpoints;
    }
}

/// <summary>Stands in until the gateway registers its store-backed source: every read answers 503.</summary>
internal sealed class UnavailablePieceVerificationSource : IPieceVerificationSource
{
    public Task<PieceVerificationView?> GetByCodeAsync(string code, CancellationToken cancellationToken) =>
        throw new PieceSourceUnavailableException("no IPieceVerificationSource is registered");
}
