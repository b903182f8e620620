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
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Provenance.Api.Chain.SignedAction))]
[JsonSerializable(typeof(Provenance.Api.Operations.RoleGrant))]
[JsonSerializable(typeof(Provenance.Api.Operations.OperationView))]
[JsonSerializable(typeof(Provenance.Api.Operations.OperationAccepted))]
[JsonSerializable(typeof(Provenance.Api.Products.RegisterPieceRequest))]
[JsonSerializable(typeof(Provenance.Api.Products.RegisterBatchRequest))]
[JsonSerializable(typeof(Provenance.Api.Products.PieceRegistered))]
[JsonSerializable(typeof(Provenance.Api.Products.BatchRegistered))]
[JsonSerializable(typeof(Provenance.Api.Products.PieceRecord))]
[JsonSerializable(typeof(Provenance.Api.Products.PieceDetails))]
[JsonSerializable(typeof(Provenance.Api.Products.CustodyItem[]))]
[JsonSerializable(typeof(Provenance.Api.Events.AppendEventRequest))]
[JsonSerializable(typeof(Provenance.Api.Events.CertifyRequest))]
[JsonSerializable(typeof(Provenance.Api.Events.StatusChangeRequest))]
[JsonSerializable(typeof(Provenance.Api.Events.EventRecord))]
[JsonSerializable(typeof(Provenance.Api.Events.StatusRecord))]
[JsonSerializable(typeof(Provenance.Api.Custody.ProposeHandoffRequest))]
[JsonSerializable(typeof(Provenance.Api.Custody.AcceptHandoffRequest))]
[JsonSerializable(typeof(Provenance.Api.Custody.HandoffView))]
[JsonSerializable(typeof(Provenance.Api.Custody.HandoffTypedData))]
[JsonSerializable(typeof(Provenance.Api.Custody.HandoffRecord))]
[JsonSerializable(typeof(Provenance.Api.Claims.ClaimRequest))]
[JsonSerializable(typeof(Provenance.Api.Claims.ClaimAccepted))]
[JsonSerializable(typeof(Provenance.Api.Indexing.IndexedArgs))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
[JsonSerializable(typeof(Provenance.Api.Chain.TypedDataToSign))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(IReadOnlyList<Products.Craft>))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;

