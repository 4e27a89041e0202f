using Microsoft.Extensions.Hosting.Systemd;

namespace Picomon.Cli;

/// <summary>systemd's notify protocol for <c>Type=notify</c>: READY=1 once every check is scheduled, STOPPING=1
/// when shutdown begins, WATCHDOG=1 at half of <c>WATCHDOG_USEC</c> while the checks are being scheduled. Sent
/// through Microsoft.Extensions.Hosting.Systemd's <see cref="SystemdNotifier"/> (the datagram to
/// <c>NOTIFY_SOCKET</c>, abstract sockets included) rather than its <c>UseSystemd()</c> lifetime, which would say
/// READY when the host has started — before the checks are — and replace Picomon's log format. Exists only when
/// <c>NOTIFY_SOCKET</c> is set: without it nothing is sent and that assembly is never loaded (so no field here may
/// be of one of its value types: loading this class would load it).</summary>
public sealed class SystemdNotify
{
    private readonly SystemdNotifier _notifier = new();
    private readonly Lock _sending = new();
    private bool _stopping;

    private SystemdNotify(TimeSpan? watchdogInterval) => WatchdogInterval = watchdogInterval;

    /// <summary>Half of <c>WATCHDOG_USEC</c> when systemd's watchdog is on for this process (its
    /// <c>WATCHDOG_PID</c>, when set, is this process), else null.</summary>
    public TimeSpan? WatchdogInterval { get; }

    /// <summary>A notifier when <c>NOTIFY_SOCKET</c> is set, else null.</summary>
    public static SystemdNotify? FromEnvironment(Func<string, string?> environment, int pid) =>
        environment("NOTIFY_SOCKET") is { Length: > 0 } ? new SystemdNotify(Watchdog(environment, pid)) : null;

    private static TimeSpan? Watchdog(Func<string, string?> environment, int pid)
    {
        if (!long.TryParse(environment("WATCHDOG_USEC"), out var micros) || micros <= 0) return null;
        if (environment("WATCHDOG_PID") is { Length: > 0 } owner && owner != pid.ToString(System.Globalization.CultureInfo.InvariantCulture)) return null;
        return TimeSpan.FromMicroseconds(micros / 2.0);
    }

    public void Ready() => _notifier.Notify(ServiceState.Ready);

    /// <summary>STOPPING=1; no watchdog ping follows it.</summary>
    public void Stopping()
    {
        lock (_sending)
        {
            _stopping = true;
            _notifier.Notify(ServiceState.Stopping);
        }
    }

    public void Watchdog()
    {
        lock (_sending)
            if (!_stopping) _notifier.Notify(new ServiceState("WATCHDOG=1"));
    }
}
