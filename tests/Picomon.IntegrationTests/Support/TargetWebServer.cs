using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Picomon.IntegrationTests.Support;

/// <summary>An in-process Kestrel on 127.0.0.1:0 that the daemon polls: it records when each path was
/// requested and what it answered. <c>/health</c> answers 200 or 503 as <see cref="Healthy"/> says,
/// <c>/fail</c> always 503, a path set down (<see cref="SetDown"/>) 503, any other path 200.</summary>
public sealed class TargetWebServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Hit>> _hits = new();
    private readonly ConcurrentDictionary<string, bool> _down = new();
    // Paths answering the opposite of their last answer at each request, and whether the next answer is 503.
    private readonly ConcurrentDictionary<string, bool> _toggling = new();
    private volatile bool _healthy = true;

    private TargetWebServer(WebApplication app) => _app = app;

    /// <summary>One request: when it arrived and the status it got.</summary>
    public sealed record Hit(DateTime At, int Status);

    public int Port { get; private set; }

    public bool Healthy { get => _healthy; set => _healthy = value; }

    public static async Task<TargetWebServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Longer than Kestrel's 30 s for a request's headers: on a busy machine a slow client is not a gone one.
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromMinutes(2);
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        var server = new TargetWebServer(app);
        app.Run(server.ServeAsync);
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Port = new Uri(url).Port;
        return server;
    }

    public IReadOnlyList<Hit> Hits(string path) => _hits.TryGetValue(path, out var hits) ? [.. hits] : [];

    public int Count(string path) => Hits(path).Count;

    /// <summary>Makes <paramref name="path"/> answer 503 (down) or 200 from now on.</summary>
    public void SetDown(string path, bool down)
    {
        if (down) _down[path] = true;
        else _down.TryRemove(path, out _);
    }

    /// <summary>Makes <paramref name="path"/> alternate, from its next request: 503, 200, 503… (a check that changes on
    /// every run, whatever the timing); <c>false</c> stops it, and the path answers 200 (or 503 if set down).</summary>
    public void SetToggling(string path, bool toggling)
    {
        if (toggling) _toggling[path] = true;
        else _toggling.TryRemove(path, out _);
    }

    /// <summary>Polls until <paramref name="path"/> was requested at least <paramref name="count"/> times.</summary>
    public Task WaitForHitsAsync(string path, int count, TimeSpan within) =>
        Poll.UntilAsync(() => Count(path) >= count, $"{count} request(s) to {path} (got {Count(path)})", within);

    private Task ServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var status = path switch
        {
            "/health" => _healthy ? 200 : 503,
            "/fail" => 503,
            _ when _toggling.TryGetValue(path, out var failNext) => Toggle(path, failNext),
            _ when _down.ContainsKey(path) => 503,
            _ => 200,
        };
        _hits.GetOrAdd(path, _ => new ConcurrentQueue<Hit>()).Enqueue(new Hit(DateTime.UtcNow, status));
        context.Response.StatusCode = status;
        return context.Response.WriteAsync(status == 200 ? "ok" : "down");
    }

    // One request at a time per path (a check never runs twice at once): the flip cannot be lost.
    private int Toggle(string path, bool failNext)
    {
        _toggling.TryUpdate(path, !failNext, failNext);
        return failNext ? 503 : 200;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
