using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Provenance.Api.Security;

namespace Provenance.Api.Audit;

/// <summary>Composition of the audit feature: auditor role, queries, exports, integrity check, statistics, EPCIS import.</summary>
public static class AuditExtensions
{
    /// <summary>The auditor actor kind and role name.</summary>
    public const string AuditorRole = "auditor";

    /// <summary>The policy of every audit read: auditors only.</summary>
    public const string AuditorPolicy = "auditor";

    /// <summary>Registers the audit services, options and the auditor policy.</summary>
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, AuditJsonContext.Default));
        builder.Services.AddAuthorizationBuilder().AddPolicy(AuditorPolicy, p => p.RequireRole(AuditorRole));
        builder.Services.AddSingleton<AuditStore>();
        builder.Services.AddSingleton<AuditExports>();
        builder.Services.AddSingleton<IntegrityChecker>();
        builder.Services.AddSingleton<StatisticsReader>();
        builder.Services.AddSingleton<EpcisImport>();
        return builder;
    }

    /// <summary>Maps <c>/api/audit/*</c>, <c>POST /api/actors/auditors</c> and <c>POST /api/epcis/events</c>.</summary>
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder routes)
    {
        AuditApi.Map(routes);
        return routes;
    }

    /// <summary>JSON options for writing audit documents outside the minimal-API pipeline (streamed exports).</summary>
    internal static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = AuditJsonContext.Default,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
