using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Picomon.Scheduling;

namespace Picomon.Tests.Scheduling;

/// <summary>Long delays on a clock counting nanoseconds, as the system's does on Linux: a check every hour, a
/// reminder every four hours, a timer further away than a .NET timer can be armed for; by the daemon's slots (at most the
/// widest late).</summary>
public sealed class TimerQueueSchedulerLongDelayTests : IDisposable
{
    private readonly ManualTimeProvider _clock = new(ManualTimeProvider.Nanoseconds);
    private readonly TimerQueueScheduler _scheduler;
    private readonly List<string> _fired = [];
    private static readonly TimeSpan Widest = TimerQueueScheduler.SlotWidths[^1];

    public TimerQueueSchedulerLongDelayTests() =>
        _scheduler = new TimerQueueScheduler(Config.Empty, NoLogger.Instance, _clock, TimerQueueScheduler.SlotWidths);

    private IAdvancedScheduler Advanced => ((IScheduler)_scheduler).Advanced;

    private Action Record(string name) => () => { lock (_fired) _fired.Add(name); };

    public void Dispose() => _scheduler.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(24 * 30)]
    public void A_timer_hours_away_fires_after_its_delay_and_not_before(int hours)
    {
        Advanced.ScheduleOnce(TimeSpan.FromHours(hours), Record("due"));

        _clock.Advance(TimeSpan.FromHours(hours) - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_fired);
        _clock.Advance(TimeSpan.FromMilliseconds(1) + Widest);

        Assert.Equal(["due"], _fired);
    }

    [Fact]
    public void A_timer_further_away_than_a_dotnet_timer_reaches_fires_at_its_time()
    {
        Advanced.ScheduleOnce(TimeSpan.FromDays(120), Record("far"));
        Advanced.ScheduleOnce(TimeSpan.FromSeconds(1), Record("near"));

        _clock.Advance(TimeSpan.FromDays(119));
        Assert.Equal(["near"], _fired);
        _clock.Advance(TimeSpan.FromDays(1) + Widest);

        Assert.Equal(["near", "far"], _fired);
    }

    [Fact]
    public void A_repeating_timer_of_two_hours_keeps_its_rate()
    {
        Advanced.ScheduleRepeatedly(TimeSpan.FromHours(2), TimeSpan.FromHours(2), Record("tick"));

        for (var hour = 0; hour < 10; hour++) _clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(5, _fired.Count);
    }
}
