using Akka.Actor;
using Microsoft.Extensions.Logging;
using Picomon.Actors;
using Picomon.Configuration;
using Picomon.Http;
using Picomon.Metrics;
using Picomon.Probes;
using Picomon.Scheduling;
using Picomon.Status;

namespace Picomon.Cli;

/// <summary>The daemon's operating surface besides the control socket: the HTTP front end (when <c>http.listen</c>
/// is set) and systemd's notifications (when <c>NOTIFY_SOCKET</c> is set), the <see cref="SchedulingHealth"/>
/// both report, and the counters the metrics read. Neither on: no heartbeat, no counting probe, no listener.</summary>
public sealed class Operations(HttpFrontEnd? http, SystemdNotify? systemd, ILogger log)
{
    /// <summary>How long the checks supervisor may take to start every check before READY is given up.</summary>
    private static readonly TimeSpan StartTime = TimeSpan.FromMinutes(10);

    public SchedulingHealth Health { get; } = new();

    /// <summary>Counted by every probe when HTTP serves the metrics.</summary>
    public ProbeCounters Probes { get; } = new();

    /// <summary>For the notification code to count deliveries in; <c>/metrics</c> reads them.</summary>
    public NotificationCounters Notifications { get; } = new();

    /// <summary>The checks' probes, counted for the metrics when HTTP is on (and only then).</summary>
    public Func<CheckDefinition, IProbe> Probe(Func<CheckDefinition, IProbe> create) =>
        http is null ? create : check => Probes.Count(check, create(check));

    /// <summary>Once the actors exist: the heartbeat if HTTP or the watchdog needs it, READY=1 once the checks
    /// supervisor has started every check, and HTTP answering from the read model.</summary>
    public void Start(ActorSystem system, IActorRef checks, StatusReader reader, LoadStats load)
    {
        var watchdog = systemd?.WatchdogInterval is { } interval ? new Heartbeat.Watchdog(interval, systemd.Watchdog) : null;
        if (http is not null || watchdog is not null) system.ActorOf(Heartbeat.Props(Health, watchdog), "heartbeat");
        http?.Attach(new HttpSources(reader, Health, new MetricsSources(Probes, load, Notifications, App.Version), TimeZoneInfo.Local));
        _ = ReadyAsync(checks);
    }

    // The supervisor creates every check in its constructor: its answer to Identify comes after that.
    private async Task ReadyAsync(IActorRef checks)
    {
        try
        {
            await checks.Ask<ActorIdentity>(new Identify(null), StartTime);
        }
        catch (AskTimeoutException)
        {
            log.LogError("The checks were not all started within {Minutes} minutes", StartTime.TotalMinutes);
            return;
        }
        Health.Started();
        systemd?.Ready();
        log.LogDebug("Every check is scheduled{Systemd}", systemd is null ? "" : " (READY=1 sent to systemd)");
    }

    /// <summary>Shutdown begins: /healthz and the watchdog say so, systemd hears STOPPING=1, HTTP stops.</summary>
    public async Task StoppingAsync()
    {
        Health.Stopping();
        systemd?.Stopping();
        if (http is not null) await http.DisposeAsync();
    }
}
