using Akka.Actor;
using Akka.TestKit;
using Picomon.Checks;
using Picomon.Actors;
using Picomon.State;
using Picomon.Tests.Support;
using Xunit.Abstractions;
using static Picomon.Actors.StateAggregator;

namespace Picomon.Tests.Actors;

/// <summary>The aggregator's silences and acknowledgements, on virtual time: what the control socket's commands ask of it.</summary>
public sealed class StateAggregatorHoldSpecs : ActorSpec
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly MemoryStateStore _store = new();
    private readonly IActorRef _aggregator;

    public StateAggregatorHoldSpecs(ITestOutputHelper output) : base(output)
    {
        _aggregator = Sys.ActorOf(StateAggregator.Props(_store, CreateTestProbe("notifier")), "aggregator");
    }

    private CheckChanged Change(CheckStatus from, CheckStatus to, DateTimeOffset? errorSince) =>
        new(ActorTestChecks.Check("ping4/a"),
            new CheckTransition("ping4/a", from, to, Clock.Now, "down", 2, errorSince, TimeSpan.FromMinutes(1)));

    [Fact]
    public async Task A_silence_lasts_its_time_on_the_scheduler_s_clock_and_can_be_expired_before()
    {
        var start = Clock.Now;
        var silence = await _aggregator.Ask<Silence>(new AddSilence(["ping4/*"], TimeSpan.FromMinutes(30), "work"), Wait);
        Assert.Equal((start, start.AddMinutes(30), "work"), (silence.Created, silence.Ends, silence.Comment));
        Clock.Advance(TimeSpan.FromMinutes(1)); // listed oldest first
        var other = await _aggregator.Ask<Silence>(new AddSilence(["tcp4/*"], TimeSpan.FromHours(2), ""), Wait);
        Assert.Equal([silence.Id, other.Id], (await _aggregator.Ask<SilenceList>(ListSilences.Instance, Wait)).Silences.Select(s => s.Id));

        Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal([other.Id], (await _aggregator.Ask<SilenceList>(ListSilences.Instance, Wait)).Silences.Select(s => s.Id));
        Assert.Equal(new SilenceExpired(other.Id, true), await _aggregator.Ask<SilenceExpired>(new ExpireSilence(other.Id), Wait));
        Assert.Equal(new SilenceExpired(other.Id, false), await _aggregator.Ask<SilenceExpired>(new ExpireSilence(other.Id), Wait));
        Assert.Empty(_store.Holds.LoadSilences());
    }

    [Fact]
    public async Task An_ack_names_the_open_incident_and_is_forgotten_when_the_check_recovers()
    {
        var refused = await _aggregator.Ask<Acknowledged>(new Acknowledge("ping4/a", ""), Wait);
        Assert.Equal("'ping4/a' has no open incident (it is not in error)", refused.Refusal);

        var since = Clock.Now;
        _aggregator.Tell(Change(CheckStatus.Retrying, CheckStatus.Error, since));
        var acked = await _aggregator.Ask<Acknowledged>(new Acknowledge("ping4/a", "on it"), Wait);
        Assert.Equal(new Acknowledgement("ping4/a#1", "ping4/a", since, "on it"), acked.Ack);
        Assert.Single(_store.Holds.LoadAcks());

        Clock.Advance(TimeSpan.FromMinutes(5));
        _aggregator.Tell(Change(CheckStatus.Error, CheckStatus.Ok, since));
        await _aggregator.Ask<StateSnapshot>(GetSnapshot.Instance, Wait);
        Assert.Empty(_store.Holds.LoadAcks());
    }
}
