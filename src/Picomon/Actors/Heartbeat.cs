using Akka.Actor;
using Picomon.Status;

namespace Picomon.Actors;

/// <summary>Proves that the actor system still schedules: every <see cref="SchedulingHealth.BeatPeriod"/> its timer
/// (the same scheduler and dispatcher every check's timer goes through) records a beat in the
/// <see cref="SchedulingHealth"/>. With the systemd watchdog on, it also pings it at the watchdog's interval,
/// only while the checks are being scheduled, so a hung scheduler (or a daemon stopping) stops the pings.
/// Started only when HTTP or the watchdog needs it.</summary>
public sealed class Heartbeat : ReceiveActor, IWithTimers
{
    private sealed class Beat { public static readonly Beat Instance = new(); }
    private sealed class WatchdogDue { public static readonly WatchdogDue Instance = new(); }

    private readonly SchedulingHealth _health;
    private readonly Watchdog? _watchdog;

    /// <summary>A ping to send every <paramref name="Interval"/> while the checks are being scheduled.</summary>
    public sealed record Watchdog(TimeSpan Interval, Action Ping);

    public Heartbeat(SchedulingHealth health, Watchdog? watchdog)
    {
        (_health, _watchdog) = (health, watchdog);
        Receive<Beat>(_ => _health.Beat(Now));
        Receive<WatchdogDue>(due =>
        {
            if (_health.IsScheduling(Now, out _)) _watchdog!.Ping();
        });
    }

    public static Props Props(SchedulingHealth health, Watchdog? watchdog) =>
        Akka.Actor.Props.Create(() => new Heartbeat(health, watchdog));

    public ITimerScheduler Timers { get; set; } = null!;

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    protected override void PreStart()
    {
        _health.Beat(Now);
        Timers.StartPeriodicTimer(nameof(Beat), Beat.Instance, SchedulingHealth.BeatPeriod);
        if (_watchdog is not null) Timers.StartPeriodicTimer(nameof(WatchdogDue), WatchdogDue.Instance, _watchdog.Interval);
    }
}
