using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.TestKit;

namespace Picomon.Tests.Support;

/// <summary>Akka's virtual-time scheduler with a wall clock (<see cref="Now"/>, what actors read) that a test sets
/// <see cref="Lag"/> behind the clock timers fire by, as the system's wall clock can be behind the monotonic clock
/// the daemon's timers use (a step back, a slew): a timer then fires when its delay has passed, and the actor reading
/// the time finds it a hair before its due time.</summary>
public sealed class LaggingClockScheduler(Config config, ILoggingAdapter log) : TestScheduler(config, log), ITimeProvider
{
    public const string TypeName = "Picomon.Tests.Support.LaggingClockScheduler, Picomon.Tests";

    public TimeSpan Lag { get; set; }

    // Re-implements ITimeProvider.Now: Akka reads the time through the interface.
    public new DateTimeOffset Now => base.Now - Lag;
}
