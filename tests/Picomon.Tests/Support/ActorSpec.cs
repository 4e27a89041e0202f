using Akka.Actor;
using Akka.TestKit;
using Picomon.Actors;
using Xunit.Abstractions;

namespace Picomon.Tests.Support;

/// <summary>Base of the actor specs: virtual time (TestScheduler) and DEBUG logs so EventFilter sees them. Waiting for
/// a message, a log event or a condition stays in real time: its default limit is generous (60 s), so that a busy
/// machine never fails a correct spec; only a failing spec waits it out.</summary>
/// <param name="scheduler">The scheduler's type: Akka's <see cref="TestScheduler"/> or a subclass of it.</param>
public abstract class ActorSpec(ITestOutputHelper output, string scheduler = ActorSpec.VirtualTime)
    : Akka.TestKit.Xunit2.TestKit(Hocon(scheduler), output)
{
    private const string VirtualTime = "Akka.TestKit.TestScheduler, Akka.TestKit";

    private static string Hocon(string scheduler) => $"""
        akka.scheduler.implementation = "{scheduler}"
        akka.loglevel = DEBUG
        akka.test.single-expect-default = 60s
        {LeanMailbox.Hocon}
        """;

    /// <summary>The base tick of every spec.</summary>
    protected static readonly TimeSpan Tick = TimeSpan.FromSeconds(60);

    protected TestScheduler Clock => (TestScheduler)Sys.Scheduler;

    /// <summary>Advances virtual time, then round-trips a message through each actor so that any timer
    /// message the advance delivered has been handled before the test goes on.</summary>
    /// <remarks>First each actor handles what it was told, and what it told itself meanwhile (the second round trip
    /// comes after it): a timer it arms while the clock moves would be placed from a time that changed under it.</remarks>
    protected async Task AdvanceAsync(TimeSpan by, params IActorRef[] actors)
    {
        foreach (var actor in actors)
            for (var trip = 0; trip < 2; trip++)
                await actor.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(60));
        Clock.Advance(by);
        foreach (var actor in actors)
            await actor.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(60));
    }

    /// <summary>Advances to <paramref name="when"/> in steps no longer than a tick.</summary>
    protected async Task AdvanceToAsync(DateTimeOffset when, params IActorRef[] actors)
    {
        while (Clock.Now < when)
            await AdvanceAsync(when - Clock.Now < Tick ? when - Clock.Now : Tick, actors);
    }
}
