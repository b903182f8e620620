using Provenance.Api.Claims;
using Provenance.Api.Custody;
using Provenance.Api.Events;
using Provenance.Api.Products;

namespace Provenance.Api.Operations;

/// <summary>Registers the write path and the piece features built on it.</summary>
public static class OperationsExtensions
{
    /// <summary>Adds operations, nonces, the pipeline, and the pieces/events/custody services.</summary>
    public static IHostApplicationBuilder AddPieces(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OperationStore>();
        builder.Services.AddSingleton<SignerNonces>();
        builder.Services.AddSingleton<ActionPipeline>();
        builder.Services.AddSingleton<PieceLookup>();
        builder.Services.AddSingleton<PieceRegistrar>();
        builder.Services.AddSingleton<PieceReader>();
        builder.Services.AddSingleton<EventWriter>();
        builder.Services.AddSingleton<HandoffStore>();
        builder.Services.AddSingleton<ClaimService>();
        builder.Services.AddSingleton<Verification.IClaimService>(sp => sp.GetRequiredService<ClaimService>());
        builder.Services.AddSingleton<Verification.IPieceVerificationSource, PieceVerificationSource>();
        return builder;
    }

    /// <summary>Maps pieces, events, custody, claims and operations.</summary>
    public static IEndpointRouteBuilder MapPieces(this IEndpointRouteBuilder routes) =>
        routes.MapProducts().MapEvents().MapCustody().MapClaims().MapOperations();
}
