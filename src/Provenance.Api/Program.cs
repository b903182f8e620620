using Provenance.Api.Actors;
using Provenance.Api.Audit;
using Provenance.Api.Chain;
using Provenance.Api.Data;
using Provenance.Api.Health;
using Provenance.Api.Idempotency;
using Provenance.Api.Indexing;
using Provenance.Api.Hosting;
using Provenance.Api.Operations;
using Provenance.Api.Records;
using Provenance.Api.Security;
using Provenance.Api.Verification;

var builder = WebApplication.CreateBuilder(args);
builder.AddApiDefaults();
builder.AddApiDocs();
builder.AddData();
builder.AddSecurity();
builder.AddRecords();
builder.AddChain();
builder.AddPieces();
builder.AddVerification();
builder.AddAudit();

var app = builder.Build();
if (args is ["rebuild-index", ..])
{
    return await IndexAdminApi.RunRebuildCommandAsync(app.Services, CancellationToken.None);
}

app.UseApiDefaults();
app.UseAuthentication();
app.UseAuthorization();
app.UseIdempotency();
app.MapApiDocs();
app.MapHealth();
app.MapActors();
app.MapPhotos();
app.MapPieces();
app.MapVerification();
app.MapAudit();
app.MapIndexAdmin();
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to <c>WebApplicationFactory</c> in the tests.</summary>
public partial class Program;
