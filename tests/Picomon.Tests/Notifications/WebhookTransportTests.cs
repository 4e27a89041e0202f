using System.Net;
using System.Net.Sockets;
using Picomon.Configuration;
using Picomon.Notifications;
using Picomon.Tests.Support;

namespace Picomon.Tests.Notifications;

/// <summary>The webhook transport against a real Kestrel receiver: what it sends, and how each answer (or none)
/// is classified.</summary>
public sealed class WebhookTransportTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T = new(2026, 11, 24, 10, 2, 3, TimeSpan.Zero);
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private static Delivery Delivery(string contentType = "application/json") =>
        new("<d1@monitor>", "problem", "Problem http4/web#1", """{"kind":"problem","message":"ünïcode ✓"}""", contentType,
            new Dictionary<string, string>(), T);

    private WebhookTransport Transport(string path = "/hook?token=s3cret", string method = "POST", TimeSpan? timeout = null,
        params KeyValuePair<string, string>[] headers) =>
        new(new WebhookChannelSettings("hook", new Uri($"http://127.0.0.1:{_receiver.Port}{path}"), method, headers,
            timeout ?? TimeSpan.FromSeconds(10), WebhookFormat.Picomon, null));

    [Fact]
    public async Task Posts_the_body_with_its_media_type_and_the_configured_headers()
    {
        using var transport = Transport(headers: [new("Authorization", "Bearer s3cret"), new("Priority", "high")]);

        var outcome = await transport.SendAsync(Delivery(), CancellationToken.None);

        Assert.Equal(new DeliveryOutcome(DeliveryStatus.Delivered, "HTTP 200 OK"), outcome);
        var request = Assert.Single(_receiver.Requests);
        Assert.Equal(("POST", "/hook?token=s3cret", """{"kind":"problem","message":"ünïcode ✓"}"""), (request.Method, request.PathAndQuery, request.Body));
        Assert.Equal(("application/json", "Bearer s3cret", "high"), (request.Headers["Content-Type"], request.Headers["Authorization"], request.Headers["Priority"]));
        Assert.Equal("http://127.0.0.1:" + _receiver.Port + "/…", transport.Target);
    }

    [Fact]
    public async Task Uses_the_configured_method_and_a_templates_media_type()
    {
        using var transport = Transport(method: "PUT");

        await transport.SendAsync(Delivery("text/markdown; charset=utf-8"), CancellationToken.None);

        var request = Assert.Single(_receiver.Requests);
        Assert.Equal(("PUT", "text/markdown; charset=utf-8"), (request.Method, request.Headers["Content-Type"]));
    }

    [Theory]
    [InlineData(WebhookReceiver.Mode.Unavailable, DeliveryStatus.Retry, "HTTP 503 Service Unavailable")]
    [InlineData(WebhookReceiver.Mode.TooManyRequests, DeliveryStatus.Retry, "HTTP 429 Too Many Requests")]
    [InlineData(WebhookReceiver.Mode.BadRequest, DeliveryStatus.Rejected, "HTTP 400 Bad Request")]
    public async Task A_5xx_or_429_is_retried_and_another_4xx_refused_for_good(WebhookReceiver.Mode answer, DeliveryStatus status, string detail)
    {
        _receiver.Answer = answer;
        using var transport = Transport();

        Assert.Equal(new DeliveryOutcome(status, detail), await transport.SendAsync(Delivery(), CancellationToken.None));
    }

    [Fact]
    public async Task A_receiver_that_never_answers_is_retried_after_the_timeout()
    {
        _receiver.Answer = WebhookReceiver.Mode.Hang;
        using var transport = Transport(timeout: TimeSpan.FromMilliseconds(300));

        Assert.Equal(new DeliveryOutcome(DeliveryStatus.Retry, "no answer within 0.3s"), await transport.SendAsync(Delivery(), CancellationToken.None));
    }

    [Fact]
    public async Task A_refused_connection_is_retried()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var transport = new WebhookTransport(new WebhookChannelSettings("hook", new Uri($"http://127.0.0.1:{port}/s3cret"), "POST", [],
            TimeSpan.FromSeconds(10), WebhookFormat.Picomon, null));

        Assert.Equal(new DeliveryOutcome(DeliveryStatus.Retry, "Connection refused"), await transport.SendAsync(Delivery(), CancellationToken.None));
    }

    [Fact]
    public async Task A_certificate_the_system_does_not_trust_is_refused_and_retried()
    {
        using var certificate = NetWebServer.Certificate(DateTimeOffset.UtcNow.AddDays(30));
        await using var https = await WebhookReceiver.StartAsync(certificate);
        using var transport = new WebhookTransport(new WebhookChannelSettings("hook", new Uri($"https://localhost:{https.Port}/s3cret"), "POST", [],
            TimeSpan.FromSeconds(10), WebhookFormat.Picomon, null));

        var outcome = await transport.SendAsync(Delivery(), CancellationToken.None);

        Assert.Equal(DeliveryStatus.Retry, outcome.Status);
        Assert.StartsWith("TLS handshake failed: ", outcome.Detail);
        Assert.DoesNotContain("s3cret", outcome.Detail);
        Assert.Empty(https.Requests);
    }
}
