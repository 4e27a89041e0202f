namespace Picomon.Notifications;

/// <summary>How one delivery attempt ended.</summary>
public enum DeliveryStatus
{
    /// <summary>The receiver took it (a 2xx, exit 0).</summary>
    Delivered,
    /// <summary>Not now (down, a 5xx, a timeout, a non-zero exit): it stays first in line and is tried again.</summary>
    Retry,
    /// <summary>Refused for good (a 4xx): set aside in the dead-letter list.</summary>
    Rejected,
}

/// <summary>One attempt's outcome and what to say about it (<c>HTTP 503 Service Unavailable</c>), never a secret.</summary>
public sealed record DeliveryOutcome(DeliveryStatus Status, string Detail);

/// <summary>Sends one rendered message to one webhook or exec channel. Never throws for a failed delivery: the
/// outcome says what happened; only cancellation (the daemon stopping) throws.</summary>
public interface IDeliveryTransport : IDisposable
{
    /// <summary>Where it delivers, as log lines may show it (<c>https://host:443/…</c>, <c>exec page-oncall</c>).</summary>
    string Target { get; }

    Task<DeliveryOutcome> SendAsync(Delivery delivery, CancellationToken cancellationToken);
}
