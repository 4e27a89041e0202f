using Akka.Actor;
using Akka.TestKit;
using Picomon.Actors;
using Picomon.Checks;
using Picomon.Metrics;
using Picomon.Notifications;
using Picomon.State;
using Picomon.Tests.Support;
using Xunit.Abstractions;
using static Picomon.Actors.StateAggregator;

namespace Picomon.Tests.Actors;

/// <summary>Silences and maintenance windows hold a check's notifications, on virtual time: a held Problem is not
/// sent, the reconcile rule decides what follows when the last hold ends, a notified incident gets its OK at once,
/// and a held Problem survives a restart of the aggregator.</summary>
public sealed class StateAggregatorHeldNotificationSpecs : ActorSpec
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private const string Id = "ping4/a";
    private readonly MemoryStateStore _store = new();
    private readonly NotificationCounters _counters = new();
    private readonly TestProbe _notifier;
    private IActorRef _aggregator;

    public StateAggregatorHeldNotificationSpecs(ITestOutputHelper output) : base(output)
    {
        _notifier = CreateTestProbe("notifier");
        _aggregator = Start();
    }

    private IActorRef Start() => Sys.ActorOf(StateAggregator.Props(_store, _notifier, _counters));

    private void Configure(params MaintenanceWindow[] windows) =>
        _aggregator.Tell(new Reconfigure([ActorTestChecks.Check(Id)], windows, Tick, DependencyGraph.Empty));

    /// <summary>A fixed window over ping4/* from <paramref name="start"/> for <paramref name="length"/>.</summary>
    private static MaintenanceWindow Window(DateTimeOffset start, TimeSpan length) =>
        new("work", CheckPatterns.Parse(["ping4/*"], out _)!, null, TimeZoneInfo.Utc, start, length);

    private void Fails() => _aggregator.Tell(new CheckChanged(ActorTestChecks.Check(Id),
        new CheckTransition(Id, CheckStatus.Retrying, CheckStatus.Error, Clock.Now, "down", 2, Clock.Now, Tick)));

    private void Recovers(DateTimeOffset errorSince) => _aggregator.Tell(new CheckChanged(ActorTestChecks.Check(Id),
        new CheckTransition(Id, CheckStatus.Error, CheckStatus.Ok, Clock.Now, "down", 2, errorSince, Tick)));

    /// <summary>A failing run that started at <paramref name="started"/> and left the check in error.</summary>
    private void RanFailing(DateTimeOffset started) =>
        _aggregator.Tell(new CheckRan(Id, false, "still down", started, TimeSpan.FromSeconds(1), CheckStatus.Error, 3));

    private async Task<CheckState> RowAsync() =>
        (await _aggregator.Ask<StateSnapshot>(GetSnapshot.Instance, Wait)).Checks.Single(c => c.Id == Id);

    /// <summary>Nothing was sent: two round trips, so that the commit the first message posted has been handled.</summary>
    private async Task NothingSentAsync()
    {
        await RowAsync();
        await RowAsync();
        await _notifier.ExpectNoMsgAsync(TimeSpan.Zero);
    }

    private async Task<Notification> NotifiedAsync() =>
        Assert.Single((await _notifier.ExpectMsgAsync<Notifier.Queued>()).Notifications).Notification;

    [Fact]
    public async Task A_silenced_problem_is_held_and_sent_after_the_expiry_by_a_run_that_started_after_it()
    {
        var silence = await _aggregator.Ask<Silence>(new AddSilence(["ping4/*"], TimeSpan.FromHours(1), ""), Wait);
        var since = Clock.Now;
        Fails();
        var held = await RowAsync();
        Assert.Equal((true, HoldReasons.Silence), (held.HeldProblem, held.Held));
        Assert.Equal([("silence", 1L)], _counters.SuppressedCounts);
        Assert.True(_store.FindCheck(Id)!.HeldProblem);

        var before = Clock.Now;
        await AdvanceAsync(Tick, _aggregator);
        await _aggregator.Ask<SilenceExpired>(new ExpireSilence(silence.Id), Wait);
        RanFailing(before); // started before the silence ended: it confirms nothing
        await NothingSentAsync();

        RanFailing(Clock.Now);
        var problem = await NotifiedAsync();
        Assert.Equal((NotificationKind.Problem, "ping4/a#1", since, "still down"), (problem.Kind, problem.Incident, problem.Since, problem.Message));
        Assert.False((await RowAsync()).HeldProblem);
        RanFailing(Clock.Now); // once
        await NothingSentAsync();
    }

    [Fact]
    public async Task Failing_and_recovering_within_a_window_sends_nothing_even_after_it()
    {
        Configure(Window(Clock.Now, TimeSpan.FromHours(1)));
        var since = Clock.Now;
        Fails();
        Assert.Equal(HoldReasons.Maintenance, (await RowAsync()).Held);
        await AdvanceAsync(Tick, _aggregator);
        Recovers(since);
        await AdvanceAsync(TimeSpan.FromHours(1), _aggregator);
        _aggregator.Tell(new CheckRan(Id, true, "", Clock.Now, TimeSpan.FromSeconds(1), CheckStatus.Ok, 0));
        var row = await RowAsync();
        Assert.Equal((CheckStatus.Ok, HoldReasons.None, false), (row.Status, row.Held, row.HeldProblem));
        await NothingSentAsync();
        Assert.Equal([("maintenance", 1L)], _counters.SuppressedCounts);
    }

    [Fact]
    public async Task A_problem_notified_before_a_window_gets_its_ok_at_once_when_it_recovers_during_it()
    {
        Configure(Window(Clock.Now + Tick, TimeSpan.FromHours(1)));
        var since = Clock.Now;
        Fails();
        Assert.Equal(NotificationKind.Problem, (await NotifiedAsync()).Kind);
        await AdvanceAsync(Tick * 2, _aggregator);
        Assert.Equal(HoldReasons.Maintenance, (await RowAsync()).Held);

        Recovers(since);
        var ok = await NotifiedAsync();
        Assert.Equal((NotificationKind.Ok, "ping4/a#1"), (ok.Kind, ok.Incident));
    }

    [Fact]
    public async Task A_problem_still_failing_when_the_window_closes_goes_out_once_after_and_one_notified_before_does_not_repeat()
    {
        var start = Clock.Now + Tick;
        Configure(Window(start, TimeSpan.FromHours(1)));
        Fails(); // notified before the window
        Assert.Equal(NotificationKind.Problem, (await NotifiedAsync()).Kind);
        await AdvanceToAsync(start + TimeSpan.FromHours(1), _aggregator);
        RanFailing(Clock.Now);
        await NothingSentAsync(); // unchanged: nothing

        var second = start + TimeSpan.FromHours(2);
        Configure(Window(second, TimeSpan.FromHours(1)));
        await AdvanceToAsync(second, _aggregator);
        Recovers(Clock.Now - TimeSpan.FromHours(2));
        Assert.Equal(NotificationKind.Ok, (await NotifiedAsync()).Kind);
        await AdvanceAsync(Tick, _aggregator);
        Fails(); // during the window, and still failing after it
        await AdvanceToAsync(second + TimeSpan.FromHours(1), _aggregator);
        var row = await RowAsync();
        Assert.Equal((HoldReasons.None, second + TimeSpan.FromHours(1)), (row.Held, row.ConfirmAfter));
        RanFailing(Clock.Now);
        var problem = await NotifiedAsync();
        Assert.Equal((NotificationKind.Problem, "ping4/a#2"), (problem.Kind, problem.Incident));
    }

    [Fact]
    public async Task A_held_problem_and_its_silence_survive_a_restart_of_the_aggregator()
    {
        var silence = await _aggregator.Ask<Silence>(new AddSilence([Id], TimeSpan.FromHours(1), ""), Wait);
        Fails();
        await RowAsync();
        await _aggregator.GracefulStop(Wait);

        _aggregator = Start();
        Configure();
        var row = await RowAsync();
        Assert.Equal((true, HoldReasons.Silence, CheckStatus.Error), (row.HeldProblem, row.Held, row.Status));
        RanFailing(Clock.Now); // a run alone, during the silence, sends nothing
        await _aggregator.Ask<SilenceExpired>(new ExpireSilence(silence.Id), Wait);
        await NothingSentAsync();
        RanFailing(Clock.Now);
        var problem = await NotifiedAsync();
        Assert.Equal((NotificationKind.Problem, "ping4/a#1"), (problem.Kind, problem.Incident));
    }

    [Fact]
    public async Task A_silence_ending_on_its_own_releases_the_problem_and_a_new_hold_holds_it_again()
    {
        await _aggregator.Ask<Silence>(new AddSilence([Id], TimeSpan.FromMinutes(30), ""), Wait);
        Fails();
        await AdvanceToAsync(Clock.Now + TimeSpan.FromMinutes(30), _aggregator);
        Assert.Equal(HoldReasons.None, (await RowAsync()).Held);
        await _aggregator.Ask<Silence>(new AddSilence(["*"], TimeSpan.FromMinutes(30), ""), Wait);
        RanFailing(Clock.Now);
        var row = await RowAsync();
        Assert.Equal((HoldReasons.Silence, null, true), (row.Held, row.ConfirmAfter, row.HeldProblem));
        await NothingSentAsync();
    }
}
