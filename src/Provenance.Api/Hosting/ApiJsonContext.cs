using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Provenance.Api.Actors;
using Provenance.Api.Health;
using Provenance.Api.Records;

namespace Provenance.Api.Hosting;

/// <summary>Source-generated JSON metadata for every type the API reads or writes.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OnboardArtisanRequest))]
[JsonSerializable(typeof(OnboardHandlerRequest))]
[JsonSerializable(typeof(OnboardCertifierRequest))]
[JsonSerializable(typeof(ActorCreated))]
[JsonSerializable(typeof(ActorView))]
[JsonSerializable(typeof(ActorView[]))]
[JsonSerializable(typeof(PhotoInfo))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
