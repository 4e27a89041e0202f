using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using Picomon.Net;

namespace Picomon.Probes;

/// <summary>The <c>ping4</c>/<c>ping6</c> check: one ICMP echo request to the target, success on an echo
/// reply before the check's timeout. As root .NET uses a raw socket; otherwise it runs the <c>ping</c>
/// program (iputils-ping), which is why no custom payload is sent (that fallback rejects one).</summary>
public sealed class PingProbe : IProbe
{
    /// <summary>The ICMP wait itself; the check's timeout (the cancellation token) normally ends it first.</summary>
    private static readonly TimeSpan IcmpCeiling = TimeSpan.FromMinutes(5);

    private static readonly PingProbe Instance = new();

    public static IReadOnlyList<CheckType> Types { get; } =
    [
        CheckType.Of("ping4", "CheckPing4", TargetKind.Hosts, AddressFamily.InterNetwork, NoOptions.Read, _ => Instance),
        CheckType.Of("ping6", "CheckPing6", TargetKind.Hosts, AddressFamily.InterNetworkV6, NoOptions.Read, _ => Instance),
    ];

    public async Task<ProbeResult> RunAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        if (target.Address is null) return ProbeResult.Fail("no address to ping");
        var (address, error) = await ProbeNet.ResolveAsync(target.Address, target.Family, cancellationToken);
        if (address is null) return ProbeResult.Fail(error!);
        using var ping = new Ping();
        try
        {
            var reply = await ping.SendPingAsync(address, IcmpCeiling, cancellationToken: cancellationToken);
            return reply.Status == IPStatus.Success ? ProbeResult.Ok : ProbeResult.Fail(Describe(reply.Status));
        }
        catch (PlatformNotSupportedException)
        {
            // Not root, no unprivileged ICMP socket and no ping program: .NET has no way to send ICMP.
            return ProbeResult.Fail("ICMP needs root (raw socket) or the ping program (iputils-ping)");
        }
        catch (PingException e) when (e.InnerException is not OperationCanceledException)
        {
            return ProbeResult.Fail(e.InnerException is { } inner ? NetErrors.Describe(inner) : e.Message);
        }
    }

    /// <summary>A readable form of a non-success ICMP status: "Destination host unreachable", "Request timed out".</summary>
    internal static string Describe(IPStatus status) => status switch
    {
        IPStatus.TimedOut => "Request timed out",
        IPStatus.TtlExpired or IPStatus.TimeExceeded => "Time to live exceeded",
        IPStatus.BadDestination => "Bad destination address",
        _ => SplitWords(status.ToString()),
    };

    private static string SplitWords(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0) text.Append(' ').Append(char.ToLowerInvariant(c));
            else text.Append(c);
        }
        return text.ToString();
    }
}
