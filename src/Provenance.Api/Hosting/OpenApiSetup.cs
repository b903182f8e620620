using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Provenance.Api.Hosting;

/// <summary>A request-body example shown in the OpenAPI document and Swagger UI.</summary>
public sealed record RequestExample(object Value);

/// <summary>OpenAPI document (Microsoft.AspNetCore.OpenApi, /openapi/v1.json) and Swagger UI (/swagger).</summary>
public static class OpenApiSetup
{
    /// <summary>Adds the document generator with the API-key scheme and request examples.</summary>
    public static IHostApplicationBuilder AddApiDocs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((doc, _, _) =>
            {
                doc.Info = new OpenApiInfo
                {
                    Title = "Provenance gateway",
                    Version = "v1",
                    Description = "Blockchain-backed provenance for Kashmiri handicrafts. Authenticate with " +
                                  "`Authorization: Bearer pvk_…` (or `X-Api-Key`). Writes answer 202 with an operation id; " +
                                  "poll GET /api/operations/{id}. Errors are RFC 9457 problem details.",
                };
                doc.Components ??= new OpenApiComponents();
                doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                doc.Components.SecuritySchemes["ApiKey"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "API key pvk_…",
                };
                doc.Security ??= [];
                doc.Security.Add(new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference("ApiKey", doc)] = [],
                });
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                var example = context.Description.ActionDescriptor.EndpointMetadata.OfType<RequestExample>().FirstOrDefault();
                if (example is not null && operation.RequestBody?.Content is { } content &&
                    content.TryGetValue("application/json", out var media))
                {
                    var json = context.ApplicationServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
                    media.Example = JsonNode.Parse(JsonSerializer.Serialize(example.Value, example.Value.GetType(), json));
                }

                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>Maps /openapi/v1.json and the Swagger UI at /swagger.</summary>
    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi();
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "Provenance v1");
            o.RoutePrefix = "swagger";
            o.DocumentTitle = "Provenance gateway API";
        });
        return app;
    }

    /// <summary>Attaches a request-body example to an endpoint.</summary>
    public static RouteHandlerBuilder WithRequestExample(this RouteHandlerBuilder builder, object example) =>
        builder.WithMetadata(new RequestExample(example));
}
