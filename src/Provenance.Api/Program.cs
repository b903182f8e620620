using Provenance.Api.Verification;

var builder = WebApplication.CreateBuilder(args);
builder.AddVerification();
var app = builder.Build();
app.MapGet("/health", () => TypedResults.Ok(new { status = "starting" }));
app.MapVerification();
app.Run();

/// <summary>Entry point, visible to <c>WebApplicationFactory</c> in the tests.</summary>
public partial class Program;
