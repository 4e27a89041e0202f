using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Picomon.TestSupport;

/// <summary>An in-process Kestrel on 127.0.0.1:0 and [::1]:0 (HTTPS when given a certificate), with the
/// endpoints the HTTP probe tests need; it records the TLS server names (SNI) clients asked for.</summary>
public sealed class NetWebServer : IAsyncDisposable
{
    public const string Greeting = "hello from the picomon test server";

    private readonly WebApplication _app;

    private NetWebServer(WebApplication app) => _app = app;

    public ConcurrentQueue<string?> ServerNames { get; } = new();
    public int RedirectTargetHits;
    public int PortV4 { get; private set; }
    public int PortV6 { get; private set; }

    public static async Task<NetWebServer> StartAsync(X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        NetWebServer? server = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Kestrel's own deadlines (10 s for a TLS handshake, 30 s for a request's headers) are shorter than the
            // tests' on a busy machine: the server would hang up on a client that is only slow.
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromMinutes(2);
            void Listen(IPAddress address) => kestrel.Listen(address, 0, listen =>
            {
                if (certificate is not null)
                    listen.UseHttps(https =>
                    {
                        https.HandshakeTimeout = TimeSpan.FromMinutes(2);
                        https.ServerCertificateSelector = (_, name) =>
                        {
                            server!.ServerNames.Enqueue(name);
                            return certificate;
                        };
                    });
            });
            Listen(IPAddress.Loopback);
            if (NetLoopback.HasIPv6) Listen(IPAddress.IPv6Loopback);
        });
        var app = builder.Build();
        server = new NetWebServer(app);
        server.MapEndpoints();
        await app.StartAsync();
        var urls = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        server.PortV4 = new Uri(urls.First(u => u.Contains("127.0.0.1"))).Port;
        server.PortV6 = NetLoopback.HasIPv6 ? new Uri(urls.First(u => u.Contains("[::1]"))).Port : 0;
        return server;
    }

    private void MapEndpoints()
    {
        _app.MapGet("/", () => Greeting);
        _app.MapGet("/status/{code:int}", (int code) => Results.StatusCode(code));
        _app.MapGet("/redirect", () => Results.Redirect("/redirect-target"));
        _app.MapGet("/redirect-target", () =>
        {
            Interlocked.Increment(ref RedirectTargetHits);
            return "redirect followed";
        });
        _app.MapGet("/deep/path", () => "the deep path");
        _app.MapGet("/host", (HttpContext context) => $"host={context.Request.Host}");
        _app.MapGet("/sni", (HttpContext context) =>
            $"sni={context.Features.Get<ITlsHandshakeFeature>()?.HostName}");
        // 100 KiB of filler, then a marker the probe must not see past its 64 KiB cap.
        _app.MapGet("/big", () => new string('a', 100 * 1024) + "needle");
    }

    /// <summary>A self-signed certificate for <c>localhost</c> valid until <paramref name="notAfter"/>.</summary>
    public static X509Certificate2 Certificate(DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var notBefore = notAfter < DateTimeOffset.UtcNow ? notAfter.AddDays(-30) : DateTimeOffset.UtcNow.AddDays(-1);
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
