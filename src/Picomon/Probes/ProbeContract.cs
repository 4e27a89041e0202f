using System.Net.Sockets;

namespace Picomon.Probes;

/// <summary>The outcome of one probe run: a success, or a failure with a short message saying
/// what went wrong. A failed probe is a value, never an exception.</summary>
public sealed record ProbeResult(bool Success, string Message)
{
    /// <summary>When the server's TLS certificate expires, for a probe that completed a TLS handshake (the
    /// <c>https</c> checks); null otherwise. Reported whatever the outcome, for the expiry metric.</summary>
    public DateTimeOffset? CertificateExpiry { get; init; }

    public static readonly ProbeResult Ok = new(true, "");

    public static ProbeResult Fail(string message) => new(false, message);
}

/// <summary>What a check probes. <see cref="Address"/> is a literal IP or a DNS name (resolved by the
/// probe in <see cref="Family"/>); <see cref="Zone"/> is set instead for <c>dns-zone</c>; both are null
/// for a <c>plugin</c>/<c>exec</c> check given no hosts.</summary>
/// <param name="Key">The target part of the check id: host key, literal address, zone or program name.</param>
/// <param name="Name">The human-readable target name (`target-name`, or the host's `name`).</param>
/// <param name="Address">The address to probe, when the check has a host.</param>
/// <param name="Family">InterNetwork for v4 types, InterNetworkV6 for v6 types, Unspecified otherwise.</param>
/// <param name="Zone">The zone, for <c>dns-zone</c>.</param>
public sealed record ProbeTarget(string Key, string Name, string? Address, AddressFamily Family, string? Zone = null);

/// <summary>One protocol's probe with its options already bound. Implementations must honour the
/// cancellation token (it fires at the check's timeout) and must not throw for a failed target.</summary>
public interface IProbe
{
    Task<ProbeResult> RunAsync(ProbeTarget target, CancellationToken cancellationToken);
}
