using Picomon.Status;

namespace Picomon.Tests.Http;

public class SchedulingHealthTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 2, 3, TimeSpan.Zero);

    [Fact]
    public void Healthy_only_once_started_while_beating_within_the_tolerance_and_until_stopping()
    {
        var health = new SchedulingHealth();
        health.Beat(T0);
        Assert.False(health.IsScheduling(T0, out var why));
        Assert.Equal("starting: the checks are not all started yet", why);

        health.Started();
        Assert.True(health.IsScheduling(T0 + SchedulingHealth.Tolerance, out why));
        Assert.Equal("", why);
        Assert.False(health.IsScheduling(T0 + SchedulingHealth.Tolerance + TimeSpan.FromMilliseconds(1), out why));
        Assert.Equal("the scheduler has not run the heartbeat for more than 15 s", why);

        health.Beat(T0 + TimeSpan.FromSeconds(20));
        Assert.True(health.IsScheduling(T0 + TimeSpan.FromSeconds(21), out _));
        health.Stopping();
        Assert.False(health.IsScheduling(T0 + TimeSpan.FromSeconds(21), out why));
        Assert.Equal("stopping", why);
    }

    [Fact]
    public void Started_without_any_beat_is_not_healthy()
    {
        var health = new SchedulingHealth();
        health.Started();
        Assert.False(health.IsScheduling(T0, out _));
    }
}
