using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Picomon.Configuration;
using Picomon.Net;

namespace Picomon.Notifications;

/// <summary>Delivers to a webhook channel with <see cref="HttpClient"/>: one client per channel, its connections
/// renewed every <see cref="ConnectionLifetime"/> (so a changed DNS answer is followed), TLS certificates verified
/// as the system does, redirects not followed, each request bounded by the channel's <c>timeout</c>. Any 2xx is
/// delivered; a 5xx, 408 (request timeout), 429 (too many requests), a timeout or a network error is retried; any
/// other answer is refused for good. Nothing it reports names the URL's path, query or credentials, or a header
/// value: those hold the secrets of most webhooks.</summary>
public sealed class WebhookTransport : IDeliveryTransport
{
    public static readonly TimeSpan ConnectionLifetime = TimeSpan.FromMinutes(2);

    private readonly WebhookChannelSettings _settings;
    private readonly HttpClient _client;

    public WebhookTransport(WebhookChannelSettings settings)
    {
        _settings = settings;
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = ConnectionLifetime,
            AllowAutoRedirect = false,
            ConnectTimeout = settings.Timeout,
            UseCookies = false,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public string Target => _settings.RedactedUrl;

    public async Task<DeliveryOutcome> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        using var request = Request(delivery);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.Timeout);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            var detail = $"HTTP {code} {Excerpt.FirstLine(response.ReasonPhrase ?? "")}".TrimEnd();
            return code is >= 200 and < 300 ? new(DeliveryStatus.Delivered, detail)
                : code >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
                    ? new(DeliveryStatus.Retry, detail)
                    : new(DeliveryStatus.Rejected, detail);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(DeliveryStatus.Retry, $"no answer within {_settings.Timeout.TotalSeconds:0.###}s");
        }
        catch (HttpRequestException e)
        {
            return new(DeliveryStatus.Retry, Describe(e));
        }
    }

    public void Dispose() => _client.Dispose();

    private HttpRequestMessage Request(Delivery delivery)
    {
        var request = new HttpRequestMessage(new HttpMethod(_settings.Method), _settings.Url)
        {
            Content = new StringContent(delivery.Body),
        };
        // The renderer chose the media type (a template's is its Content-Type header, if any).
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(delivery.ContentType);
        foreach (var (name, value) in _settings.Headers)
            if (!name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && !request.Headers.TryAddWithoutValidation(name, value))
                request.Content.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    /// <summary>What went wrong, from the kind of error (HttpClient's own messages may quote the URL).</summary>
    private static string Describe(HttpRequestException e) => e.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => $"cannot resolve {(e.InnerException is SocketException s ? NetErrors.Describe(s) : "the host name")}",
        HttpRequestError.ConnectionError => e.InnerException is SocketException s ? NetErrors.Describe(s) : "cannot connect",
        HttpRequestError.SecureConnectionError => $"TLS handshake failed: {Excerpt.FirstLine(e.InnerException?.Message ?? "no detail")}",
        HttpRequestError.ResponseEnded => "the connection closed before a complete response",
        HttpRequestError.InvalidResponse => "not an HTTP response",
        var other => $"request failed ({other})",
    };
}
