using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Picomon.TestSupport;

/// <summary>A webhook receiver for tests: an in-process Kestrel on 127.0.0.1:0 (HTTPS when given a certificate)
/// that records every request and answers as <see cref="Answer"/> says — 200, 503, 400, 429, or never (the
/// request hangs until the client gives up).</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public enum Mode { Ok, Unavailable, BadRequest, TooManyRequests, Hang }

    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;
    private readonly List<ReceivedRequest> _requests = [];
    private readonly CancellationTokenSource _stopping = new();
    private volatile Mode _answer = Mode.Ok;

    private WebhookReceiver(WebApplication app) => _app = app;

    public int Port { get; private set; }

    /// <summary>How the next requests are answered.</summary>
    public Mode Answer { get => _answer; set => _answer = value; }

    /// <summary>Every request received, in arrival order, with the status it got (0 for one left hanging).</summary>
    public IReadOnlyList<ReceivedRequest> Requests { get { lock (_requests) return [.. _requests]; } }

    /// <summary>The requests answered with a 2xx, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> Accepted => Requests.Where(r => r.Status is >= 200 and < 300).ToList();

    public static async Task<WebhookReceiver> StartAsync(X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Longer than Kestrel's own deadlines (10 s for a TLS handshake, 30 s for the headers): on a busy machine a
            // slow client is not a gone one.
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromMinutes(2);
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                if (certificate is not null) listen.UseHttps(certificate, https => https.HandshakeTimeout = TimeSpan.FromMinutes(2));
            });
        });
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(receiver.ServeAsync);
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Port = new Uri(url).Port;
        return receiver;
    }

    /// <summary>Polls until <paramref name="count"/> requests were accepted, else throws a TimeoutException.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAcceptedAsync(int count, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? DefaultWait);
        while (Accepted is var accepted && accepted.Count < count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"webhook receiver: {accepted.Count} of {count} request(s) accepted within {within ?? DefaultWait}");
            await Task.Delay(20);
        }
        return Accepted;
    }

    /// <summary>Polls until <paramref name="count"/> requests arrived, whatever they were answered.</summary>
    public async Task WaitForRequestsAsync(int count, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? DefaultWait);
        while (Requests.Count < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"webhook receiver: fewer than {count} request(s) within {within ?? DefaultWait}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task ServeAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var answer = _answer;
        var status = answer switch
        {
            Mode.Ok => 200,
            Mode.Unavailable => 503,
            Mode.BadRequest => 400,
            Mode.TooManyRequests => 429,
            _ => 0,
        };
        var request = new ReceivedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body, status, DateTime.UtcNow);
        lock (_requests) _requests.Add(request);
        if (answer == Mode.Hang)
        {
            try { await Task.Delay(Timeout.Infinite, CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, context.RequestAborted).Token); }
            catch (OperationCanceledException) { /* the client gave up, or the receiver stops */ }
            return;
        }
        context.Response.StatusCode = status;
    }
}

/// <summary>One request a <see cref="WebhookReceiver"/> got: what was sent, and the status it answered.</summary>
public sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body,
    int Status, DateTime ReceivedAt);
