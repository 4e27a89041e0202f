using Akka.Actor;
using Akka.TestKit;
using Picomon.Scheduling;
using Xunit.Abstractions;

namespace Picomon.Tests.Scheduling;

/// <summary>An actor system running on <see cref="TimerQueueScheduler"/> in real time: IWithTimers, the
/// scheduler's tell API and Ask all work. Short delays; deadlines are generous and nothing asserts a duration.</summary>
public sealed class TimerQueueSchedulerActorSpecs(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(TimerQueueScheduler.Hocon, output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public void The_actor_system_uses_the_timer_queue_scheduler() =>
        Assert.IsType<TimerQueueScheduler>(Sys.Scheduler);

    [Fact]
    public async Task Single_and_periodic_timers_of_an_actor_deliver_their_messages()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimedActor(TestActor)));

        await ExpectMsgAsync("single", Deadline);
        await ExpectMsgAsync("periodic", Deadline);
        await ExpectMsgAsync("periodic", Deadline);
        actor.Tell("stop-periodic");
        await ExpectMsgAsync("stopped", Deadline);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_restarted_single_timer_replaces_the_pending_one()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimedActor(TestActor)));
        await ExpectMsgAsync("single", Deadline);
        actor.Tell("stop-periodic");
        await FishForMessageAsync(m => m is "stopped", Deadline);

        actor.Tell("rearm-twice");

        await ExpectMsgAsync("rearmed-2", Deadline);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Scheduled_tells_arrive_and_ask_timeouts_fire()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(20), TestActor, "told", ActorRefs.NoSender);
        await ExpectMsgAsync("told", Deadline);

        var silent = CreateTestProbe();
        await Assert.ThrowsAsync<AskTimeoutException>(() => silent.Ref.Ask<string>("anyone?", TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task A_tell_an_hour_away_on_the_system_clock_waits_its_hour()
    {
        // The system clock counts nanoseconds: an hour of them once overflowed and the tell was delivered at once.
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromHours(1), TestActor, "an hour later", ActorRefs.NoSender);
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(50), TestActor, "soon", ActorRefs.NoSender);

        await ExpectMsgAsync("soon", Deadline);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    private sealed class TimedActor : ReceiveActor, IWithTimers
    {
        public TimedActor(IActorRef observer)
        {
            Receive<string>(m => m == "stop-periodic", _ =>
            {
                Timers.Cancel("periodic");
                observer.Tell("stopped");
            });
            Receive<string>(m => m == "rearm-twice", _ =>
            {
                Timers.StartSingleTimer("rearm", "rearmed-1", TimeSpan.FromMilliseconds(50));
                Timers.StartSingleTimer("rearm", "rearmed-2", TimeSpan.FromMilliseconds(60));
            });
            ReceiveAny(m => observer.Tell(m));
        }

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart()
        {
            Timers.StartSingleTimer("single", "single", TimeSpan.FromMilliseconds(10));
            Timers.StartPeriodicTimer("periodic", "periodic", TimeSpan.FromMilliseconds(30));
        }
    }
}
