using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provenance.Api.Audit;

/// <summary>Source-generated JSON metadata for the audit feature's types.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(AuditPage<AuditEvent>))]
[JsonSerializable(typeof(AuditPage<AuditPiece>))]
[JsonSerializable(typeof(AuditEvent))]
[JsonSerializable(typeof(IntegrityReport))]
[JsonSerializable(typeof(AuditStatistics))]
[JsonSerializable(typeof(OnboardAuditorRequest))]
[JsonSerializable(typeof(EpcisImportAccepted))]
[JsonSerializable(typeof(EpcisProblem[]))]
[JsonSerializable(typeof(IReadOnlyList<EpcisProblem>))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
