using Akka.Actor;
using Akka.TestKit;
using Picomon.Checks;
using Picomon.Actors;
using Picomon.Tests.Support;
using Xunit.Abstractions;

namespace Picomon.Tests.Actors;

public sealed class SignalListenerSpecs : ActorSpec
{
    private readonly TestProbe _aggregator, _checks;
    private readonly StringWriter _output = new();
    private readonly IActorRef _listener;

    public SignalListenerSpecs(ITestOutputHelper output) : base(output)
    {
        (_aggregator, _checks) = (CreateTestProbe("aggregator"), CreateTestProbe("checks"));
        _listener = Sys.ActorOf(SignalListener.Props(_aggregator, _checks,
            [ActorTestChecks.Check("a"), ActorTestChecks.Check("b"), ActorTestChecks.Check("never-ran")], _output));
    }

    private StateSnapshot Snapshot() => new(Clock.Now,
    [
        new CheckState("a", CheckStatus.Error, Clock.Now, 2, "Connection refused\nsecond line", new DateTimeOffset(2026, 11, 24, 10, 2, 3, TimeSpan.Zero), null, null),
        new CheckState("b", CheckStatus.Retrying, Clock.Now, 1, "slow", null, null, null),
    ]);

    [Fact]
    public async Task Prints_the_dump_then_runs_every_check()
    {
        _listener.Tell(SignalListener.DumpRequested.Instance);
        await _aggregator.ExpectMsgAsync<StateAggregator.GetSnapshot>();
        _aggregator.Reply(Snapshot());
        await _checks.ExpectMsgAsync<ChecksSupervisor.RunAllNow>();

        var since = new DateTimeOffset(2026, 11, 24, 10, 2, 3, TimeSpan.Zero).ToLocalTime().ToString("yyyy-MM-dd'T'HH:mm:sszzz");
        var line = new string('-', 0) + string.Concat(Enumerable.Repeat("-+", 40));
        Assert.Equal($"""
            Signal SIGUSR1 caught, printing state of checks.

                Checks in error:
            {line}
            host: a
            Since {since}
            	Connection refused
            	second line
            {line}

                Other checks (usually OK but may be in retry mode):
            Check b is retrying
            Check never-ran is OK

            """, _output.ToString());
    }

    [Fact]
    public async Task A_storm_of_signals_while_a_dump_is_pending_folds_into_one_more_dump()
    {
        for (var i = 0; i < 100; i++) _listener.Tell(SignalListener.DumpRequested.Instance);
        await _aggregator.ExpectMsgAsync<StateAggregator.GetSnapshot>();
        _aggregator.Reply(Snapshot());
        await _aggregator.ExpectMsgAsync<StateAggregator.GetSnapshot>();
        _aggregator.Reply(Snapshot());

        await _aggregator.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        await _checks.ExpectMsgAsync<ChecksSupervisor.RunAllNow>();
        await _checks.ExpectMsgAsync<ChecksSupervisor.RunAllNow>();
        Assert.Equal(2, _output.ToString().Split("Signal SIGUSR1 caught").Length - 1);
    }
}
