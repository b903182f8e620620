using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Provenance.Api.Tests.Support;

/// <summary>An onboarded actor as the tests use it.</summary>
public sealed record TestActor(string Id, string Address, string ApiKey, HttpClient Client);

/// <summary>Drives the API like a client: onboarding, writes, waiting for operations and the index.</summary>
public sealed class ApiDriver(GatewayFactory factory)
{
    /// <summary>The admin client.</summary>
    public HttpClient Admin { get; } = factory.ClientFor(factory.AdminKey);

    /// <summary>An anonymous client.</summary>
    public HttpClient Anonymous { get; } = factory.ClientFor(null);

    /// <summary>Onboards an actor of <paramref name="kind"/> (artisans, handlers, certifiers) and waits for its role grant.</summary>
    public async Task<TestActor> OnboardAsync(string kind, object body)
    {
        var response = await Admin.PostAsJsonAsync($"/api/actors/{kind}", body);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var key = created.GetProperty("apiKey").GetString()!;
        if (created.TryGetProperty("roleOperationId", out var op) && op.ValueKind == JsonValueKind.String)
        {
            await WaitForOperationAsync(op.GetString()!);
        }

        return new TestActor(created.GetProperty("id").GetString()!, created.GetProperty("address").GetString()!, key, factory.ClientFor(key));
    }

    /// <summary>Onboards an artisan with a given name.</summary>
    public Task<TestActor> ArtisanAsync(string name) =>
        OnboardAsync("artisans", new { name, craft = "kani", cluster = "Kanihama", village = "Kanihama", visibility = new { name = true, village = true } });

    /// <summary>Onboards a handler.</summary>
    public Task<TestActor> HandlerAsync(string name, string kind) => OnboardAsync("handlers", new { businessName = name, kind });

    /// <summary>Onboards a certifier.</summary>
    public Task<TestActor> CertifierAsync(string name) => OnboardAsync("certifiers", new { name });

    /// <summary>Posts JSON and returns status and body.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, string url, object? body)
    {
        var response = await client.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Posts a write expected to be accepted (202) and waits until its operation is confirmed.</summary>
    public async Task<JsonElement> AcceptedAsync(HttpClient client, string url, object? body)
    {
        var (status, json) = await PostAsync(client, url, body);
        status.Should().Be(HttpStatusCode.Accepted, json.ToString());
        var operation = await WaitForOperationAsync(json.GetProperty("operationId").GetString()!);
        operation.GetProperty("status").GetString().Should().Be("confirmed", operation.ToString());
        return json;
    }

    /// <summary>Polls an operation until it is confirmed or failed (waiting as told when the gateway answers 429).</summary>
    public async Task<JsonElement> WaitForOperationAsync(string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            using var response = await Anonymous.GetAsync($"/api/operations/{id}");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                continue;
            }

            response.EnsureSuccessStatusCode();
            var op = await response.Content.ReadFromJsonAsync<JsonElement>();
            var status = op.GetProperty("status").GetString();
            if (status is "confirmed" or "failed" || DateTime.UtcNow > deadline)
            {
                return op;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Reads the index status (admin) until it has indexed block <paramref name="head"/> (or 30 s passed).</summary>
    public async Task<JsonElement> IndexedAsync(long head)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var status = await Admin.GetFromJsonAsync<JsonElement>("/api/admin/index");
            if (status.GetProperty("indexedTo").GetInt64() >= head || DateTime.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Reads a piece until the index holds <paramref name="events"/> entries and nothing is pending.</summary>
    public async Task<JsonElement> PieceAsync(string code, int events)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var piece = await Anonymous.GetFromJsonAsync<JsonElement>($"/api/pieces/{code}");
            if ((piece.GetProperty("events").GetArrayLength() >= events && piece.GetProperty("pending").GetArrayLength() == 0)
                || DateTime.UtcNow > deadline)
            {
                return piece;
            }

            await Task.Delay(100);
        }
    }
}
