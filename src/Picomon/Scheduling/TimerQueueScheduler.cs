using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;

namespace Picomon.Scheduling;

/// <summary>Akka's scheduler for Picomon (<c>akka.scheduler.implementation</c>): every pending timer sits in
/// one min-heap ordered by due time, and a single .NET timer (<see cref="TimeProvider"/>) is armed for the
/// earliest (for the end of its slot, below). Nothing wakes between due times — Akka's default wheel ticks every 10 ms while any timer is
/// pending, which is 5 % of a core for a daemon that has nothing to do for a minute —, and timers due at the
/// same instant fire in the order they were scheduled. Cancelled timers are dropped when they reach the top of
/// the heap. Timers are fired by slots of <see cref="CoalesceWindow"/> on a fixed grid of the monotonic clock:
/// a timer fires at the end of the slot its due time falls in (about a millisecond later, as the .NET timer
/// rounds up), never before its due time and at most one window after it, with the others of its slot.</summary>
/// <remarks>Why slots: a thousand checks spread evenly over a second each woke the timer thread and then the
/// thread-pool workers on their own, and the wake-ups cost more than the probes (measured: 1,000 HTTP checks
/// every 1 s, 304–350 µs of CPU and 9–11 context switches a probe without slots, 203–214 µs and 4–4.5 with
/// 20 ms slots). A check's due times keep their phase on the grid, so the interval between two of its runs is
/// unchanged; only the start-versus-schedule lateness grows, by at most the window.</remarks>
public sealed class TimerQueueScheduler : SchedulerBase, IDateTimeOffsetNowTimeProvider, IDisposable
{
    /// <summary>The Akka setting that selects this scheduler.</summary>
    public const string Hocon = "akka.scheduler.implementation = \"Picomon.Scheduling.TimerQueueScheduler, picomon\"";

    /// <summary>The width of the slots timers fire by (see the remarks); well inside the 50 ms lateness target.</summary>
    public static readonly TimeSpan CoalesceWindow = TimeSpan.FromMilliseconds(20);

    // A .NET timer cannot be armed beyond 49.7 days: a due time further away is reached by wake-ups a day apart.
    private static readonly TimeSpan MaxArming = TimeSpan.FromDays(1);
    // Longer delays are taken as a century, so that a due time (a timestamp plus a delay) cannot overflow.
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(365 * 100);

    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly long _slot; // the coalescing window in timestamp units, at least 1
    // Ordered by due time, then by scheduling order, so that timers due together fire in the order set.
    private readonly PriorityQueue<TimerEntry, (long Due, long Sequence)> _heap = new();
    private readonly Lock _gate = new();
    private long _armedFor = long.MaxValue; // timestamp the .NET timer is armed for; MaxValue = disarmed
    private long _wakeups;
    private long _sequence;
    private bool _disposed;

    public TimerQueueScheduler(Config scheduler, ILoggingAdapter log)
        : this(scheduler, log, TimeProvider.System, CoalesceWindow) { }

    /// <summary>With a test clock: <paramref name="time"/> gives the timestamps and the one timer; each timer
    /// fires at its own due time, or by slots of <paramref name="coalesce"/> when it is given.</summary>
    public TimerQueueScheduler(Config scheduler, ILoggingAdapter log, TimeProvider time, TimeSpan coalesce = default)
        : base(scheduler, log)
    {
        _time = time;
        _slot = Math.Max(1, ToTimestamp(coalesce));
        // The timer captures no ExecutionContext: timers outlive whatever scheduled them.
        using (ExecutionContext.SuppressFlow())
            _timer = time.CreateTimer(static s => ((TimerQueueScheduler)s!).OnTimer(), this,
                Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How many times the .NET timer has fired: one per slot with a due timer, never a periodic tick.</summary>
    public long Wakeups => Interlocked.Read(ref _wakeups);

    /// <summary>Timers scheduled and not yet fired (cancelled ones included until they reach the top).</summary>
    public int Pending { get { lock (_gate) return _heap.Count; } }

    protected override DateTimeOffset TimeNow => _time.GetLocalNow();
    // The monotonic clock of the time provider (CLOCK_MONOTONIC for the system one), as Akka's wheel uses.
    public override TimeSpan MonotonicClock => _time.GetElapsedTime(0);
    public override TimeSpan HighResMonotonicClock => _time.GetElapsedTime(0);

    // A tell is its own entry (no runnable beside it): a check arms one at every run.
    protected override void InternalScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable) =>
        Add(new Tell(DueIn(delay), 0, cancelable, receiver, message, sender));

    protected override void InternalScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable) =>
        Add(new Tell(DueIn(initialDelay), ToTimestamp(interval), cancelable, receiver, message, sender));

    protected override void InternalScheduleOnce(TimeSpan delay, Action action, ICancelable cancelable) =>
        Add(new Runnable(DueIn(delay), 0, cancelable, new ActionRunnable(action)));

    protected override void InternalScheduleOnce(TimeSpan delay, IRunnable action, ICancelable cancelable) =>
        Add(new Runnable(DueIn(delay), 0, cancelable, action));

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action, ICancelable cancelable) =>
        Add(new Runnable(DueIn(initialDelay), ToTimestamp(interval), cancelable, new ActionRunnable(action)));

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, IRunnable action, ICancelable cancelable) =>
        Add(new Runnable(DueIn(initialDelay), ToTimestamp(interval), cancelable, action));

    private long DueIn(TimeSpan delay) => _time.GetTimestamp() + ToTimestamp(delay);

    private void Add(TimerEntry entry)
    {
        lock (_gate)
        {
            if (_disposed) throw new SchedulerException("cannot schedule after the scheduler was disposed");
            Push(entry);
            if (SlotEnd(entry.Due) < _armedFor) Arm(entry.Due);
        }
    }

    private void OnTimer()
    {
        Interlocked.Increment(ref _wakeups);
        List<TimerEntry> due = [];
        lock (_gate)
        {
            if (_disposed) return;
            _armedFor = long.MaxValue;
            var now = _time.GetTimestamp();
            // The slots ended by now, not every timer due by now: the .NET timer wakes up to a few milliseconds after the
            // slot's end, and a timer due in that time belongs to the next slot. Taken now, it fired a slot early this time
            // and on time the next, or the other way round, as the wake-up's lateness went: measured at nginx, about one
            // interval in a hundred was a slot's width off (1,000 HTTP checks every 1 s, p99 20 ms with 20 ms slots).
            var ended = now / _slot * _slot;
            while (_heap.TryPeek(out var next, out var key) && key.Due <= ended)
            {
                _heap.Dequeue();
                due.Add(next);
            }
            // A repeating timer keeps its rate; one that fell a whole interval behind restarts from now.
            foreach (var entry in due)
                if (entry.Interval > 0 && !entry.IsCancelled)
                {
                    entry.Due = Math.Max(entry.Due + entry.Interval, now);
                    Push(entry);
                }
            if (_heap.TryPeek(out var first, out _)) Arm(first.Due);
        }
        foreach (var entry in due) Run(entry);
    }

    private void Push(TimerEntry entry) => _heap.Enqueue(entry, (entry.Due, _sequence++));

    // The end of the slot a due time falls in: when a timer due then fires.
    private long SlotEnd(long due) => (due + _slot - 1) / _slot * _slot;

    // Called under the lock: the .NET timer takes a relative delay, rounded up so it never fires early, and at most
    // MaxArming: a wake-up before the earliest due time fires nothing and arms again.
    private void Arm(long due)
    {
        due = SlotEnd(due);
        _armedFor = due;
        var ticks = (long)Int128.Min((Int128)Math.Max(0, due - _time.GetTimestamp()) * TimeSpan.TicksPerSecond / _time.TimestampFrequency,
            MaxArming.Ticks);
        var delay = TimeSpan.FromMilliseconds(Math.Ceiling(ticks / (double)TimeSpan.TicksPerMillisecond));
        _timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    private void Run(TimerEntry entry)
    {
        if (entry.IsCancelled) return;
        try
        {
            entry.Run();
        }
        catch (Exception e)
        {
            Log.Error(e, "Error while executing scheduled task {0}", entry);
        }
    }

    // In 128 bits: ticks times the system clock's 10^9 a second overflow a long beyond 15 minutes (a check every hour
    // was then fired at once, again and again).
    private long ToTimestamp(TimeSpan span) =>
        (long)((Int128)Math.Min(span.Ticks, MaxDelay.Ticks) * _time.TimestampFrequency / TimeSpan.TicksPerSecond);

    /// <summary>Stops the timer and, like Akka's own scheduler, runs once the work still pending, so that
    /// nothing waiting on a scheduled message is left hanging by the actor system's termination.</summary>
    public void Dispose()
    {
        List<TimerEntry> pending;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            pending = [.. _heap.UnorderedItems.OrderBy(i => i.Priority).Select(i => i.Element)];
            _heap.Clear();
        }
        _timer.Dispose();
        foreach (var entry in pending)
        {
            try
            {
                if (!entry.IsCancelled) entry.Run();
            }
            catch (SchedulerException)
            {
                // The target is already gone; nothing to deliver.
            }
            catch (Exception e)
            {
                Log.Error(e, "Error while executing scheduled task {0} at shutdown", entry);
            }
        }
    }

    /// <summary>One pending timer; <see cref="Due"/> (a <see cref="TimeProvider"/> timestamp) moves on at each repeat.</summary>
    private abstract class TimerEntry(long due, long interval, ICancelable? cancelable)
    {
        public long Due { get; set; } = due;
        public long Interval { get; } = interval;
        public bool IsCancelled => cancelable?.IsCancellationRequested ?? false;
        public abstract void Run();
    }

    private sealed class Tell(long due, long interval, ICancelable? cancelable, ICanTell receiver, object message, IActorRef sender)
        : TimerEntry(due, interval, cancelable)
    {
        public override void Run() => receiver.Tell(message, sender);
        public override string ToString() => $"[{receiver}.Tell({message}, {sender})]";
    }

    private sealed class Runnable(long due, long interval, ICancelable? cancelable, IRunnable work) : TimerEntry(due, interval, cancelable)
    {
        public override void Run() => work.Run();
        public override string ToString() => work.ToString() ?? "";
    }
}
