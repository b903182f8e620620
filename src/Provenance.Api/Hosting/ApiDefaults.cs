using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.Extensions.Options;

namespace Provenance.Api.Hosting;

/// <summary>
/// Cross-cutting HTTP behaviour: strict JSON, RFC 9457 problem details for every error, request size limits, rate
/// limits answering 429 with Retry-After.
/// </summary>
public static class ApiDefaults
{
    /// <summary>Name of the claim rate-limit policy (per client and piece).</summary>
    public const string ClaimPolicy = "claim";

    /// <summary>Registers problem details, JSON options, the rate limiter and the validation of options.</summary>
    public static IHostApplicationBuilder AddApiDefaults(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.Configure<JsonOptions>(o =>
        {
            // Unknown members (e.g. "custodian", "status") are rejected, not ignored.
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        });
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Instance ??= c.HttpContext.Request.Path;
            c.ProblemDetails.Extensions.TryAdd("traceId", c.HttpContext.TraceIdentifier);
        });
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddValidation();
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var limits = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(ClientKey(http), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.PermitLimit,
                    Window = TimeSpan.FromSeconds(limits.WindowSeconds),
                    QueueLimit = 0,
                });
            });
            o.AddPolicy(ClaimPolicy, http =>
            {
                var limits = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                var piece = http.Request.RouteValues.TryGetValue("code", out var code) ? code?.ToString() : "";
                return RateLimitPartition.GetFixedWindowLimiter($"{ClientKey(http)}|{piece}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.ClaimPermitLimit,
                    Window = TimeSpan.FromSeconds(limits.ClaimWindowSeconds),
                    QueueLimit = 0,
                });
            });
            o.OnRejected = async (context, ct) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
                    ? (int)Math.Ceiling(after.TotalSeconds)
                    : 1;
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, retry).ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(
                    new ProblemDetailsContext
                    {
                        HttpContext = context.HttpContext,
                        ProblemDetails =
                        {
                            Status = 429, Title = "Too many requests",
                            Detail = $"Rate limit reached; retry after {Math.Max(1, retry)} s.",
                        },
                    });
            };
        });
        return builder;
    }

    /// <summary>Adds the error, size-limit and rate-limit middleware in the right order.</summary>
    public static WebApplication UseApiDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (http, next) =>
        {
            // Per-endpoint body limit: IRequestSizeLimitMetadata when present, else the JSON default. Kestrel enforces
            // it through its feature; other servers (the test server) get a counting stream.
            var limit = http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ??
                        http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.MaxJsonBodyBytes;
            if (http.Request.ContentLength > limit)
            {
                throw new BadHttpRequestException($"Request body larger than {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
            }

            var feature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (feature is { IsReadOnly: false })
            {
                feature.MaxRequestBodySize = limit;
            }
            else if (limit is { } max)
            {
                http.Request.Body = new LimitedReadStream(http.Request.Body, max);
            }

            await next(http);
        });
        app.UseRateLimiter();
        return app;
    }

    private static string ClientKey(HttpContext http)
    {
        var key = http.Request.Headers["X-Api-Key"].ToString();
        if (string.IsNullOrEmpty(key))
        {
            var auth = http.Request.Headers.Authorization.ToString();
            key = auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? auth[7..] : "";
        }

        // Partition by the key's public prefix only (never keep the secret part in memory as a dictionary key).
        var parts = key.Split('_');
        return parts.Length == 3 ? "key:" + parts[1] : "ip:" + http.Connection.RemoteIpAddress;
    }
}

/// <summary>Maps exceptions to problem details: <see cref="ApiProblemException"/>, bad requests, and the rest as 500.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = new ProblemDetails();
        switch (exception)
        {
            case ApiProblemException p:
                problem.Status = p.Status;
                problem.Title = p.Title;
                problem.Detail = p.Detail;
                if (p.Code is not null)
                {
                    problem.Extensions["code"] = p.Code;
                }

                if (p.RetryAfter is { } after)
                {
                    http.Response.Headers.RetryAfter = ((int)after.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                }

                break;
            case BadHttpRequestException bad:
                problem.Status = bad.StatusCode;
                problem.Title = bad.StatusCode == 413 ? "Request too large" : "Invalid request";
                problem.Detail = bad.InnerException is JsonException json ? json.Message : bad.Message;
                break;
            case Provenance.Ethereum.JsonRpc.RpcTransportException rpc:
                logger.LogWarning("Chain unreachable on {Method} {Path}: {Reason}", http.Request.Method, http.Request.Path, rpc.Message);
                problem.Status = 503;
                problem.Title = "Chain unavailable";
                problem.Detail = "The blockchain node cannot be reached; nothing was stored. Retry later.";
                problem.Extensions["code"] = "ChainUnavailable";
                http.Response.Headers.RetryAfter = "5";
                break;
            case OperationCanceledException when http.RequestAborted.IsCancellationRequested:
                problem.Status = 499;
                problem.Title = "Client closed request";
                break;
            default:
                logger.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
                problem.Status = 500;
                problem.Title = "Internal error";
                problem.Detail = "An unexpected error occurred.";
                break;
        }

        http.Response.StatusCode = problem.Status.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http, ProblemDetails = problem, Exception = exception,
        });
    }
}

/// <summary>Fails a read past <c>max</c> bytes with 413, like Kestrel's own limit.</summary>
internal sealed class LimitedReadStream(Stream inner, long max) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int n)
    {
        _read += n;
        if (_read > max)
        {
            throw new BadHttpRequestException($"Request body larger than {max} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        return n;
    }
}
