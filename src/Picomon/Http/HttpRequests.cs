using System.Text.Json;
using Akka.Actor;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Picomon.Checks;
using Picomon.Configuration;
using Picomon.Status;

namespace Picomon.Http;

/// <summary>What the HTTP front end reads: the read model, the scheduling health and the metrics' counters.</summary>
public sealed record HttpSources(StatusReader Reader, SchedulingHealth Health, MetricsSources Metrics, TimeZoneInfo Zone);

/// <summary>Answers every HTTP request, read-only: <c>/</c> (<see cref="StatusPage"/>), <c>/api/v1/checks</c> (the
/// read model's JSON, as <c>picomon status --json</c> prints it), <c>/metrics</c> (<see cref="MetricsText"/>) and
/// <c>/healthz</c> (200 while <see cref="SchedulingHealth"/> says the checks are being scheduled, else 503). Only
/// GET and HEAD (405 otherwise, for any path); an unknown path is 404. With basic-auth, every path but
/// <c>/healthz</c> (which tells nothing but up or down, for load balancers and probes without credentials) needs
/// it: 401 without.</summary>
public sealed class HttpRequests(BasicAuth? auth, ILogger log)
{
    public const string HealthPath = "/healthz";

    private readonly BasicAuthCheck? _auth = auth is null ? null : new BasicAuthCheck(auth);
    private volatile HttpSources? _sources;

    /// <summary>The sources, once the actors exist; until then every request is answered 503.</summary>
    public void Attach(HttpSources sources) => _sources = sources;

    public async Task HandleAsync(HttpContext context)
    {
        var (request, response) = (context.Request, context.Response);
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.Headers.Allow = "GET, HEAD";
            await PlainAsync(context, StatusCodes.Status405MethodNotAllowed, "read-only: only GET and HEAD");
            return;
        }
        var path = request.Path.Value ?? "/";
        if (path != HealthPath && _auth is not null && !_auth.Allows(request.Headers.Authorization))
        {
            response.Headers.WWWAuthenticate = BasicAuthCheck.Challenge;
            await PlainAsync(context, StatusCodes.Status401Unauthorized, "authentication required");
            return;
        }
        if (_sources is not { } sources)
        {
            await PlainAsync(context, StatusCodes.Status503ServiceUnavailable, "starting");
            return;
        }
        try
        {
            await RouteAsync(context, path, sources);
        }
        catch (AskTimeoutException e)
        {
            log.LogWarning("HTTP {Path}: no answer in time from the actors: {Message}", path, e.Message);
            if (!response.HasStarted) await PlainAsync(context, StatusCodes.Status503ServiceUnavailable, "the daemon did not answer in time");
        }
    }

    private static async Task RouteAsync(HttpContext context, string path, HttpSources sources)
    {
        var cancel = context.RequestAborted;
        switch (path)
        {
            case HealthPath:
                var healthy = sources.Health.IsScheduling(TimeProvider.System.GetUtcNow(), out var why);
                await PlainAsync(context, healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable,
                    healthy ? "ok: the checks are being scheduled" : $"not scheduling: {why}");
                return;
            case "/":
                if (Begin(context, StatusPage.ContentType) is { } page)
                    await StatusPage.WriteAsync(page, await ReadAsync(sources, cancel), sources.Zone, sources.Metrics.Version, cancel);
                return;
            case "/api/v1/checks":
                if (Begin(context, "application/json; charset=utf-8") is not null)
                {
                    await JsonSerializer.SerializeAsync(context.Response.Body, await ReadAsync(sources, cancel), StatusJson.Default.StatusReport, cancel);
                    await context.Response.WriteAsync("\n", cancel);
                }
                return;
            case "/metrics":
                if (Begin(context, MetricsText.ContentType) is { } metrics)
                    await MetricsText.WriteAsync(metrics, await ReadAsync(sources, cancel), sources.Metrics, cancel);
                return;
            default:
                await PlainAsync(context, StatusCodes.Status404NotFound, "not found: try /, /api/v1/checks, /metrics or /healthz");
                return;
        }
    }

    private static Task<StatusReport> ReadAsync(HttpSources sources, CancellationToken cancel) =>
        sources.Reader.ReadAsync(CheckPatterns.All, cancel);

    /// <summary>A 200 with <paramref name="contentType"/>, and where to write its body; null for HEAD, which gets
    /// the headers only (and costs no read of the model).</summary>
    private static Utf8Output? Begin(HttpContext context, string contentType)
    {
        context.Response.ContentType = contentType;
        return HttpMethods.IsHead(context.Request.Method) ? null : new Utf8Output(context.Response.BodyWriter);
    }

    private static async Task PlainAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (!HttpMethods.IsHead(context.Request.Method)) await context.Response.WriteAsync(text + "\n", context.RequestAborted);
    }
}
