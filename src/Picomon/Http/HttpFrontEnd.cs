using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Picomon.Configuration;

namespace Picomon.Http;

/// <summary>The listener of <c>picomon.http</c>: Kestrel (from the shared framework) in a web host of its own,
/// with nothing but <see cref="HttpRequests"/> behind it. Created only when <c>http.listen</c> is set; with
/// <see cref="HttpRequests"/> it is the only code that names ASP.NET Core, so a daemon without <c>http</c>
/// loads none of it. It listens before the actors start (a port in use stops the daemon at start, exit 2) and
/// answers 503 until <see cref="Attach"/>.</summary>
public sealed class HttpFrontEnd : IAsyncDisposable
{
    /// <summary>Bounds what concurrent clients can cost (each page or scrape holds a read model while it is written).</summary>
    public const int MaxConnections = 32;

    private static readonly TimeSpan StopTime = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly HttpRequests _requests;
    private int _disposed;

    private HttpFrontEnd(WebApplication app, HttpRequests requests, string address) =>
        (_app, _requests, Address) = (app, requests, address);

    /// <summary>The URL it listens on (with the port taken when <c>listen</c> gave port 0).</summary>
    public string Address { get; }

    /// <exception cref="IOException">The address cannot be listened on (in use, not local, no permission).</exception>
    public static async Task<HttpFrontEnd> StartAsync(HttpSettings settings, ILoggerProvider logs)
    {
        var endpoint = settings.Listen ?? throw new ArgumentException("http.listen is not set", nameof(settings));
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.AddProvider(logs);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // The daemon's own host owns SIGTERM and SIGINT; this one is stopped by the daemon's shutdown.
        builder.Services.AddSingleton<IHostLifetime, DaemonOwnedLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = MaxConnections;
            kestrel.Listen(endpoint.Address, endpoint.Port);
        });
        var app = builder.Build();
        var requests = new HttpRequests(settings.BasicAuth, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("picomon.http"));
        app.Run(requests.HandleAsync);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new HttpFrontEnd(app, requests, address);
    }

    public void Attach(HttpSources sources) => _requests.Attach(sources);

    /// <summary>Stops listening; requests being answered get <see cref="StopTime"/> to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        using (var stopping = new CancellationTokenSource(StopTime)) await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }

    private sealed class DaemonOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
