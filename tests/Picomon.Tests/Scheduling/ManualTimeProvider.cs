namespace Picomon.Tests.Scheduling;

/// <summary>A clock the test moves by hand, with timers that fire only when <see cref="Advance"/> passes
/// their due time; it records every arming of every timer, so a test can see that nothing ticks.</summary>
/// <param name="frequency">Timestamp units a second: by default a tick (100 ns); <see cref="Nanoseconds"/> is what
/// the system clock has on Linux, where a long of them overflows sooner.</param>
internal sealed class ManualTimeProvider(long frequency = TimeSpan.TicksPerSecond) : TimeProvider
{
    public const long Nanoseconds = 1_000_000_000;

    private readonly List<ManualTimer> _timers = [];
    private long _now = TimeSpan.FromDays(1).Ticks;

    /// <summary>Each <c>Change</c> of any timer: the delay it was armed with and its period.</summary>
    public List<(TimeSpan Due, TimeSpan Period)> Armings { get; } = [];

    public override long TimestampFrequency => frequency;
    public override long GetTimestamp() => (long)((Int128)Interlocked.Read(ref _now) * frequency / TimeSpan.TicksPerSecond);
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _now), TimeSpan.Zero);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_timers) _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>How long after its due time a timer fires (the system's timers wake late, by a few milliseconds).</summary>
    public TimeSpan WakeLate { get; set; }

    /// <summary>Moves the clock on, firing each timer whose due time (plus <see cref="WakeLate"/>) is passed, on this
    /// thread, in due order.</summary>
    public void Advance(TimeSpan by)
    {
        var end = Interlocked.Read(ref _now) + by.Ticks;
        while (NextDue(end) is { } timer)
        {
            Interlocked.Exchange(ref _now, Math.Max(Interlocked.Read(ref _now), timer.DueAt!.Value + WakeLate.Ticks));
            timer.Fire();
        }
        Interlocked.Exchange(ref _now, end);
    }

    private ManualTimer? NextDue(long end)
    {
        lock (_timers)
            return _timers.Where(t => t.DueAt + WakeLate.Ticks <= end).MinBy(t => t.DueAt);
    }

    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(0xFFFFFFFE);

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        public long? DueAt { get; private set; }
        private long _period;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            // As System.Threading.Timer: at most 0xFFFFFFFE ms (49.7 days).
            ArgumentOutOfRangeException.ThrowIfGreaterThan(dueTime, MaxDelay);
            lock (clock._timers)
            {
                clock.Armings.Add((dueTime, period));
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : Interlocked.Read(ref clock._now) + dueTime.Ticks;
                _period = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
            }
            return true;
        }

        public void Fire()
        {
            lock (clock._timers) DueAt = _period > 0 ? DueAt + _period : null;
            callback(state);
        }

        public void Dispose()
        {
            lock (clock._timers)
            {
                DueAt = null;
                clock._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
