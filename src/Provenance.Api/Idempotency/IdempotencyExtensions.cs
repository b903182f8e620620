using System.Text.Json.Serialization;

namespace Provenance.Api.Idempotency;

/// <summary>Wires <see cref="IdempotencyMiddleware"/> into the pipeline.</summary>
public static class IdempotencyExtensions
{
    /// <summary>
    /// Adds the Idempotency-Key middleware; call after authentication and authorisation (the key is scoped to the
    /// caller) so that it wraps the endpoint.
    /// </summary>
    public static WebApplication UseIdempotency(this WebApplication app)
    {
        app.UseMiddleware<IdempotencyMiddleware>();
        return app;
    }
}

/// <summary>Source-generated JSON for the stored responses.</summary>
[JsonSerializable(typeof(StoredResponse))]
internal sealed partial class IdempotencyJsonContext : JsonSerializerContext;
