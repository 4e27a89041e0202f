using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Picomon.Scheduling;

namespace Picomon.Tests.Scheduling;

/// <summary>The scheduler's slots on a hand-moved clock: at a fixed width (the daemon's narrowest), timers fire never before
/// the due time, at most one width after it, one wake-up per slot, and a repeating timer keeps its interval; with the
/// daemon's widths, the width follows the rate of timers.</summary>
public sealed class TimerQueueSchedulerCoalescingTests : IDisposable
{
    private static readonly TimeSpan Window = TimerQueueScheduler.SlotWidths[0];
    private readonly ManualTimeProvider _clock = new(); // starts on a slot boundary (one day)
    private readonly TimerQueueScheduler _scheduler;
    private readonly List<(string Name, long At)> _fired = [];

    public TimerQueueSchedulerCoalescingTests() =>
        _scheduler = new TimerQueueScheduler(Config.Empty, NoLogger.Instance, _clock, Window);

    private IAdvancedScheduler Advanced => ((IScheduler)_scheduler).Advanced;

    private Action Record(string name) => () => { lock (_fired) _fired.Add((name, _clock.GetTimestamp())); };

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    public void Dispose() => _scheduler.Dispose();

    [Fact]
    public void Timers_due_within_one_slot_fire_together_at_its_end_in_due_order_and_never_before()
    {
        var start = _clock.GetTimestamp();
        Advanced.ScheduleOnce(Window * 0.95, Record("c"));
        Advanced.ScheduleOnce(Window * 0.15, Record("a"));
        Advanced.ScheduleOnce(Window * 0.35, Record("b"));
        Advanced.ScheduleOnce(Window * 1.05, Record("next slot"));

        _clock.Advance(Window - Ms(0.1));
        Assert.Empty(_fired);
        _clock.Advance(Ms(0.1));

        Assert.Equal(["a", "b", "c"], _fired.Select(f => f.Name));
        Assert.All(_fired, f => Assert.Equal(start + Window.Ticks, f.At));
        Assert.Equal(1, _scheduler.Wakeups);
        _clock.Advance(Window);
        Assert.Equal("next slot", _fired[^1].Name);
        Assert.Equal(start + 2 * Window.Ticks, _fired[^1].At);
        Assert.Equal(2, _scheduler.Wakeups);
    }

    [Fact]
    public void A_timer_due_on_a_slot_boundary_fires_then_not_a_slot_later()
    {
        var start = _clock.GetTimestamp();
        Advanced.ScheduleOnce(Window * 3, Record("on the boundary"));

        _clock.Advance(Window * 3);

        Assert.Equal([("on the boundary", start + 3 * Window.Ticks)], _fired);
    }

    [Fact]
    public void A_slot_that_wakes_late_fires_its_own_timers_and_leaves_those_due_since_to_the_next_slot()
    {
        var start = _clock.GetTimestamp();
        _clock.WakeLate = Window * 0.4;
        Advanced.ScheduleOnce(Window * 0.9, Record("this slot"));
        Advanced.ScheduleOnce(Window * 1.1, Record("next slot, due before the late wake-up"));

        _clock.Advance(Window * 1.5);
        Assert.Equal([("this slot", start + (Window * 1.4).Ticks)], _fired);

        _clock.Advance(Window);
        Assert.Equal(("next slot, due before the late wake-up", start + (Window * 2.4).Ticks), _fired[^1]);
    }

    [Fact]
    public void A_timer_scheduled_into_the_armed_slot_does_not_rearm_the_clock()
    {
        Advanced.ScheduleOnce(Window * 0.5, Record("first"));
        var armings = _clock.Armings.Count;
        Advanced.ScheduleOnce(Window * 0.25, Record("earlier, same slot"));

        Assert.Equal(armings, _clock.Armings.Count);
        _clock.Advance(Window);
        Assert.Equal(["earlier, same slot", "first"], _fired.Select(f => f.Name));
    }

    [Fact]
    public void A_repeating_timer_keeps_its_interval_each_run_at_most_one_window_late()
    {
        var start = _clock.GetTimestamp();
        var cancelable = new Cancelable((IScheduler)_scheduler);
        Advanced.ScheduleRepeatedly(Ms(7), TimeSpan.FromSeconds(1), Record("tick"), cancelable);

        for (var i = 0; i < 5; i++) _clock.Advance(TimeSpan.FromSeconds(1));
        cancelable.Cancel();

        Assert.Equal(5, _fired.Count);
        for (var i = 0; i < 5; i++)
        {
            var due = start + Ms(7).Ticks + i * TimeSpan.TicksPerSecond;
            Assert.InRange(_fired[i].At, due, due + Window.Ticks);
            if (i > 0) Assert.Equal(TimeSpan.TicksPerSecond, _fired[i].At - _fired[i - 1].At);
        }
    }

    [Fact]
    public void The_width_is_the_widest_that_holds_a_hundred_timers_a_slot_at_the_rate_of_the_last_period()
    {
        using var scheduler = new TimerQueueScheduler(Config.Empty, NoLogger.Instance, _clock, TimerQueueScheduler.SlotWidths);
        var advanced = ((IScheduler)scheduler).Advanced;
        void Checks(int count) // spread over a second, each every second, as the supervisor spreads checks
        {
            for (var i = 0; i < count; i++)
                advanced.ScheduleRepeatedly(TimeSpan.FromSeconds(1.0 * i / count), TimeSpan.FromSeconds(1), () => { });
        }
        var period = TimerQueueScheduler.RatePeriod + TimeSpan.FromSeconds(1);
        Assert.Equal(Ms(20), scheduler.SlotWidth);

        Checks(500); // 50 a 100 ms slot
        _clock.Advance(period);
        Assert.Equal(Ms(100), scheduler.SlotWidth);

        Checks(1_000); // 1,500 a second: 75 a 50 ms slot
        _clock.Advance(period);
        Assert.Equal(Ms(50), scheduler.SlotWidth);

        Checks(3_500); // 5,000 a second: 100 a 20 ms slot
        _clock.Advance(period);
        Assert.Equal(Ms(20), scheduler.SlotWidth);
    }

    [Fact]
    public void A_rate_on_the_edge_of_a_wider_slot_does_not_widen_it()
    {
        using var scheduler = new TimerQueueScheduler(Config.Empty, NoLogger.Instance, _clock, TimerQueueScheduler.SlotWidths);
        var advanced = ((IScheduler)scheduler).Advanced;
        for (var i = 0; i < 1_800; i++) // 90 a 50 ms slot: within the hundred, but not with a fifth to spare
            advanced.ScheduleRepeatedly(TimeSpan.FromSeconds(i / 1_800.0), TimeSpan.FromSeconds(1), () => { });

        _clock.Advance(TimerQueueScheduler.RatePeriod * 3);

        Assert.Equal(Ms(20), scheduler.SlotWidth);
    }

    [Fact]
    public void After_a_change_of_width_a_repeating_timer_keeps_its_interval()
    {
        using var scheduler = new TimerQueueScheduler(Config.Empty, NoLogger.Instance, _clock, TimerQueueScheduler.SlotWidths);
        var advanced = ((IScheduler)scheduler).Advanced;
        var ticks = new List<long>();
        advanced.ScheduleRepeatedly(Ms(7), TimeSpan.FromSeconds(1), () => ticks.Add(_clock.GetTimestamp()));

        _clock.Advance(TimerQueueScheduler.RatePeriod * 2);
        Assert.Equal(Ms(100), scheduler.SlotWidth);
        ticks.Clear();
        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(5, ticks.Count);
        Assert.All(ticks.Zip(ticks.Skip(1)), pair => Assert.Equal(TimeSpan.TicksPerSecond, pair.Second - pair.First));
    }
}
