namespace Picomon.Status;

/// <summary>Whether the checks are being scheduled: what <c>/healthz</c> answers and what keeps the systemd
/// watchdog fed. True once the checks supervisor has started every check, until shutdown begins, while the
/// <see cref="Actors.Heartbeat"/> has beaten within <see cref="Tolerance"/>: its beat is a timer of the actor
/// system's scheduler delivered through the dispatcher, the path every check's run takes, so a hung scheduler
/// or dispatcher stops it. Thread-safe.</summary>
public sealed class SchedulingHealth
{
    /// <summary>How often the heartbeat beats.</summary>
    public static readonly TimeSpan BeatPeriod = TimeSpan.FromSeconds(5);

    /// <summary>Three beats: a garbage collection pause or a busy machine delays a beat, never three.</summary>
    public static readonly TimeSpan Tolerance = BeatPeriod * 3;

    private long _lastBeat = long.MinValue; // UTC ticks
    private volatile bool _started, _stopping;

    /// <summary>The checks supervisor has started every check.</summary>
    public void Started() => _started = true;

    /// <summary>Shutdown has begun: no new run will start.</summary>
    public void Stopping() => _stopping = true;

    public void Beat(DateTimeOffset now) => Interlocked.Exchange(ref _lastBeat, now.UtcTicks);

    /// <summary>Whether the checks are being scheduled at <paramref name="now"/>; if not, <paramref name="why"/> says why.</summary>
    public bool IsScheduling(DateTimeOffset now, out string why)
    {
        var last = Interlocked.Read(ref _lastBeat);
        why = _stopping ? "stopping"
            : !_started ? "starting: the checks are not all started yet"
            : last == long.MinValue || now.UtcTicks - last > Tolerance.Ticks
                ? $"the scheduler has not run the heartbeat for more than {Tolerance.TotalSeconds:0} s"
            : "";
        return why.Length == 0;
    }
}
