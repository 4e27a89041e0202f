using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Picomon.Scheduling;

namespace Picomon.Tests.Scheduling;

/// <summary>The scheduler on a hand-moved clock: order, repeats, cancellation, and one arming per due time.</summary>
public sealed class TimerQueueSchedulerTests : IDisposable
{
    private readonly ManualTimeProvider _clock = new();
    private readonly TimerQueueScheduler _scheduler;
    private readonly List<string> _fired = [];

    public TimerQueueSchedulerTests() =>
        _scheduler = new TimerQueueScheduler(Config.Empty, NoLogger.Instance, _clock);

    private IAdvancedScheduler Advanced => ((IScheduler)_scheduler).Advanced;

    private Action Record(string name) => () => { lock (_fired) _fired.Add(name); };

    public void Dispose() => _scheduler.Dispose();

    [Fact]
    public void Fires_in_due_order_and_in_scheduling_order_for_equal_due_times()
    {
        Advanced.ScheduleOnce(TimeSpan.FromMilliseconds(30), Record("late"));
        Advanced.ScheduleOnce(TimeSpan.FromMilliseconds(10), Record("first"));
        Advanced.ScheduleOnce(TimeSpan.FromMilliseconds(10), Record("second"));
        Advanced.ScheduleOnce(TimeSpan.Zero, Record("now"));

        _clock.Advance(TimeSpan.FromMilliseconds(9));
        Assert.Equal(["now"], _fired);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(["now", "first", "second"], _fired);
        _clock.Advance(TimeSpan.FromMilliseconds(20));
        Assert.Equal(["now", "first", "second", "late"], _fired);
        Assert.Equal(0, _scheduler.Pending);
    }

    [Fact]
    public void A_cancelled_timer_never_fires()
    {
        var cancelable = new Cancelable((IScheduler)_scheduler);
        Advanced.ScheduleOnce(TimeSpan.FromSeconds(1), Record("cancelled"), cancelable);
        Advanced.ScheduleOnce(TimeSpan.FromSeconds(2), Record("kept"));
        cancelable.Cancel();

        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(["kept"], _fired);
    }

    [Fact]
    public void A_repeating_timer_fires_at_each_interval_until_cancelled()
    {
        var cancelable = new Cancelable((IScheduler)_scheduler);
        Advanced.ScheduleRepeatedly(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), Record("tick"), cancelable);

        _clock.Advance(TimeSpan.FromSeconds(1));
        _clock.Advance(TimeSpan.FromSeconds(2));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(3, _fired.Count);
        cancelable.Cancel();
        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(3, _fired.Count);
        Assert.Equal(0, _scheduler.Pending);
    }

    [Fact]
    public void A_tell_is_delivered_to_the_receiver_with_its_sender()
    {
        var receiver = new RecordingReceiver();
        ((IScheduler)_scheduler).ScheduleTellOnce(TimeSpan.FromSeconds(1), receiver, "hello", ActorRefs.Nobody);

        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal([("hello", ActorRefs.Nobody)], receiver.Received);
    }

    [Fact]
    public void Idle_with_one_pending_timer_it_arms_a_single_one_shot_wakeup_and_never_ticks()
    {
        var armedAtStart = _clock.Armings.Count;
        Advanced.ScheduleOnce(TimeSpan.FromSeconds(10), Record("ten"));

        _clock.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Equal(0, _scheduler.Wakeups);
        _clock.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Equal(["ten"], _fired);
        Assert.Equal(1, _scheduler.Wakeups);
        var armings = _clock.Armings.Skip(armedAtStart).ToList();
        Assert.Equal([(TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan)], armings);
    }

    [Fact]
    public void A_hundred_thousand_pending_timers_fire_each_once_in_due_order()
    {
        var random = new Random(42);
        var fired = new List<long>();
        for (var i = 0; i < 100_000; i++)
        {
            var delay = random.Next(1, 60_000);
            Advanced.ScheduleOnce(TimeSpan.FromMilliseconds(delay), () => fired.Add(delay));
        }
        Assert.Equal(100_000, _scheduler.Pending);

        for (var second = 0; second < 60; second++) _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(100_000, fired.Count);
        Assert.True(fired.SequenceEqual(fired.Order()), "timers fired out of due order");
        Assert.True(_scheduler.Wakeups <= 60_000, $"{_scheduler.Wakeups} wakeups for 60,000 distinct due times");
    }

    [Fact]
    public void Scheduling_after_dispose_is_refused()
    {
        _scheduler.Dispose();
        Assert.Throws<SchedulerException>(() => Advanced.ScheduleOnce(TimeSpan.FromSeconds(1), Record("x")));
    }

    [Fact]
    public void Dispose_runs_the_pending_work_once_like_akkas_own_scheduler()
    {
        Advanced.ScheduleOnce(TimeSpan.FromSeconds(2), Record("second"));
        Advanced.ScheduleOnce(TimeSpan.FromSeconds(1), Record("first"));

        _scheduler.Dispose();
        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(["first", "second"], _fired);
    }

    private sealed class RecordingReceiver : ICanTell
    {
        public List<(object Message, IActorRef Sender)> Received { get; } = [];
        public void Tell(object message, IActorRef sender) => Received.Add((message, sender));
    }
}
