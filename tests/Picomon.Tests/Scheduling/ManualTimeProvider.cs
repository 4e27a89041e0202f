namespace Picomon.Tests.Scheduling;

/// <summary>A clock the test moves by hand, with timers that fire only when <see cref="Advance"/> passes
/// their due time; it records every arming of every timer, so a test can see that nothing ticks.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly List<ManualTimer> _timers = [];
    private long _now = TimeSpan.FromDays(1).Ticks;

    /// <summary>Each <c>Change</c> of any timer: the delay it was armed with and its period.</summary>
    public List<(TimeSpan Due, TimeSpan Period)> Armings { get; } = [];

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public override long GetTimestamp() => Interlocked.Read(ref _now);
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _now), TimeSpan.Zero);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_timers) _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock on, firing each timer whose due time is passed, on this thread, in due order.</summary>
    public void Advance(TimeSpan by)
    {
        var end = GetTimestamp() + by.Ticks;
        while (NextDue(end) is { } timer)
        {
            Interlocked.Exchange(ref _now, Math.Max(GetTimestamp(), timer.DueAt!.Value));
            timer.Fire();
        }
        Interlocked.Exchange(ref _now, end);
    }

    private ManualTimer? NextDue(long end)
    {
        lock (_timers)
            return _timers.Where(t => t.DueAt <= end).MinBy(t => t.DueAt);
    }

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        public long? DueAt { get; private set; }
        private long _period;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._timers)
            {
                clock.Armings.Add((dueTime, period));
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetTimestamp() + dueTime.Ticks;
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
