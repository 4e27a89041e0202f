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
/// the heap. Timers are fired by slots on a fixed grid of the monotonic clock: a timer fires at the end of the
/// slot its due time falls in (about a millisecond later, as the .NET timer rounds up), never before its due time
/// and at most one slot's width after it, with the others of its slot. The width is one of
/// <see cref="SlotWidths"/>, chosen every <see cref="RatePeriod"/> from the timers fired in it: the widest that
/// holds at most <see cref="SlotLoad"/> of them on average.</summary>
/// <remarks>Why slots: a thousand checks spread evenly over a second each woke the timer thread and then the
/// thread-pool workers on their own, and the wake-ups cost more than the probes (measured: 1,000 HTTP checks
/// every 1 s, 304–350 µs of CPU and 9–11 context switches a probe without slots, 203–214 µs and 4–4.5 with
/// 20 ms slots). A check's due times keep their phase on the grid, so the interval between two of its runs is
/// unchanged (when it is a whole number of slots: every width divides a second); only the start-versus-schedule
/// lateness grows, by at most the width.
/// Why the width follows the load: each wake-up of the threads a slot sets going costs about as much as it
/// ever does, so a wider slot costs less a probe (1,000 HTTP checks every 1 s, lab: 57 µs of user time a probe with
/// 20 ms slots, 38 with 50 ms, 32 with 100 ms; the kernel's share, ~90 µs, unchanged); but the probes of a slot
/// start together, and a slot of 500 (10,000 checks every 2 s in 100 ms slots) took 130 ms to start them all, and
/// 72 % of a core against 66 % with 20 ms slots. A hundred timers a slot is what 20 ms slots held at that load,
/// measured fine.</remarks>
public sealed class TimerQueueScheduler : SchedulerBase, IDateTimeOffsetNowTimeProvider, IDisposable
{
    /// <summary>The Akka setting that selects this scheduler.</summary>
    public const string Hocon = "akka.scheduler.implementation = \"Picomon.Scheduling.TimerQueueScheduler, picomon\"";

    /// <summary>The widths the daemon's slots take, narrowest first (see the remarks); it starts with the narrowest.</summary>
    public static IReadOnlyList<TimeSpan> SlotWidths { get; } =
        [TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)];

    /// <summary>The most timers a slot should hold on average: the width is the widest that keeps to it.</summary>
    public const int SlotLoad = 100;

    /// <summary>How often the width is chosen again, from the timers fired since the last choice.</summary>
    public static readonly TimeSpan RatePeriod = TimeSpan.FromSeconds(10);

    // A wider slot is taken only if it holds at most this share of SlotLoad, so that a rate on the edge does not
    // switch the width back and forth (each switch moves a check's place in its slot once).
    private const double WidenBelow = 0.8;

    // A .NET timer cannot be armed beyond 49.7 days: a due time further away is reached by wake-ups a day apart.
    private static readonly TimeSpan MaxArming = TimeSpan.FromDays(1);
    // Longer delays are taken as a century, so that a due time (a timestamp plus a delay) cannot overflow.
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(365 * 100);

    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly long[] _widths; // the slot widths in timestamp units, narrowest first, each at least 1
    private long _slot; // the current slot width in timestamp units
    private long _rateFrom; // timestamp the timers are counted from, for the next choice of width
    private long _fired; // timers fired since _rateFrom
    // Ordered by due time, then by scheduling order, so that timers due together fire in the order set.
    private readonly PriorityQueue<TimerEntry, (long Due, long Sequence)> _heap = new();
    private readonly Lock _gate = new();
    private long _armedFor = long.MaxValue; // timestamp the .NET timer is armed for; MaxValue = disarmed
    private long _wakeups;
    private long _sequence;
    private bool _disposed;

    public TimerQueueScheduler(Config scheduler, ILoggingAdapter log)
        : this(scheduler, log, TimeProvider.System, SlotWidths) { }

    /// <summary>With a test clock: <paramref name="time"/> gives the timestamps and the one timer; each timer fires at its own
    /// due time, or by slots of <paramref name="widths"/> when given (one: always that width; several, narrowest first:
    /// chosen as the daemon's).</summary>
    public TimerQueueScheduler(Config scheduler, ILoggingAdapter log, TimeProvider time, params IReadOnlyList<TimeSpan> widths)
        : base(scheduler, log)
    {
        _time = time;
        _widths = widths.Count == 0 ? [1] : [.. widths.Select(w => Math.Max(1, ToTimestamp(w)))];
        _slot = _widths[0];
        _rateFrom = time.GetTimestamp();
        // The timer captures no ExecutionContext: timers outlive whatever scheduled them.
        using (ExecutionContext.SuppressFlow())
            _timer = time.CreateTimer(static s => ((TimerQueueScheduler)s!).OnTimer(), this,
                Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The slots' current width.</summary>
    public TimeSpan SlotWidth
    {
        get { lock (_gate) return TimeSpan.FromTicks((long)((Int128)_slot * TimeSpan.TicksPerSecond / _time.TimestampFrequency)); }
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
        long changedAtRate = 0;
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
            _fired += due.Count;
            if (_widths.Length > 1 && now - _rateFrom >= ToTimestamp(RatePeriod)) changedAtRate = ChooseWidth(now);
            if (_heap.TryPeek(out var first, out _)) Arm(first.Due);
        }
        if (changedAtRate != 0)
            Log.Debug("Timer slots now {0} ms wide ({1} timers a second)", SlotWidth.TotalMilliseconds, changedAtRate);
        foreach (var entry in due) Run(entry);
    }

    // Called under the lock: the widest slot that holds at most SlotLoad timers at the rate since _rateFrom (a wider one
    // than now only with room to spare); returns that rate if the width changed, else 0.
    private long ChooseWidth(long now)
    {
        var perSecond = (double)_fired * _time.TimestampFrequency / (now - _rateFrom);
        var chosen = _widths[0];
        foreach (var width in _widths)
        {
            var perSlot = perSecond * width / _time.TimestampFrequency;
            if (perSlot <= (width > _slot ? SlotLoad * WidenBelow : SlotLoad)) chosen = width;
        }
        (_rateFrom, _fired) = (now, 0);
        if (chosen == _slot) return 0;
        _slot = chosen;
        return Math.Max(1, (long)perSecond);
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
