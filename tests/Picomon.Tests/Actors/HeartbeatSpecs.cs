using Picomon.Actors;
using Picomon.Status;
using Picomon.Tests.Support;
using Xunit.Abstractions;

namespace Picomon.Tests.Actors;

public sealed class HeartbeatSpecs(ITestOutputHelper output) : ActorSpec(output)
{
    [Fact]
    public async Task Beats_keep_the_health_up_and_the_watchdog_is_pinged_only_while_the_checks_are_scheduled()
    {
        var health = new SchedulingHealth();
        var pings = 0;
        var heartbeat = Sys.ActorOf(Heartbeat.Props(health, new Heartbeat.Watchdog(TimeSpan.FromSeconds(10), () => Interlocked.Increment(ref pings))));
        await AdvanceAsync(TimeSpan.Zero, heartbeat);

        // Not started yet: beating, but no ping.
        await AdvanceAsync(TimeSpan.FromSeconds(10), heartbeat);
        Assert.Equal(0, pings);
        health.Started();
        for (var i = 0; i < 6; i++) await AdvanceAsync(TimeSpan.FromSeconds(5), heartbeat);
        Assert.Equal(3, pings);
        // Long after the last real beat, the virtual clock's beats keep it healthy.
        Assert.True(health.IsScheduling(Clock.Now, out _));

        health.Stopping();
        await AdvanceAsync(TimeSpan.FromSeconds(10), heartbeat);
        Assert.Equal(3, pings);
    }

    [Fact]
    public async Task Without_beats_the_health_goes_down_after_the_tolerance()
    {
        var health = new SchedulingHealth();
        var heartbeat = Sys.ActorOf(Heartbeat.Props(health, null));
        await AdvanceAsync(TimeSpan.Zero, heartbeat);
        health.Started();
        Assert.True(health.IsScheduling(Clock.Now, out _));

        Sys.Stop(heartbeat);
        await AdvanceAsync(SchedulingHealth.Tolerance + TimeSpan.FromSeconds(1));

        Assert.False(health.IsScheduling(Clock.Now, out var why));
        Assert.StartsWith("the scheduler has not run the heartbeat", why);
    }
}
