using Akka.Actor;
using Picomon.Actors;
using Picomon.Checks;
using Picomon.Notifications;
using Picomon.Tests.Support;
using Xunit.Abstractions;
using static Picomon.Actors.StateAggregator;

namespace Picomon.Tests.Actors;

/// <summary>Silences and maintenance windows hold a check's notifications, on virtual time: a held Problem is not
/// sent, the reconcile rule decides what follows when the last hold ends, a notified incident gets its OK at once,
/// and a held Problem survives a restart of the aggregator.</summary>
public sealed class StateAggregatorHeldNotificationSpecs : ActorSpec
{
    private const string Id = "ping4/a";
    private readonly AggregatorHarness _harness;

    public StateAggregatorHeldNotificationSpecs(ITestOutputHelper output) : base(output)
    {
        _harness = new AggregatorHarness(this);
        _harness.Start();
    }

    private void Configure(params MaintenanceWindow[] windows) =>
        _harness.Aggregator.Tell(new Reconfigure([ActorTestChecks.Check(Id)], windows, Tick, DependencyGraph.Empty));

    /// <summary>A fixed window over ping4/* from <paramref name="start"/> for <paramref name="length"/>.</summary>
    private static MaintenanceWindow Window(DateTimeOffset start, TimeSpan length) =>
        new("work", CheckPatterns.Parse(["ping4/*"], out _)!, null, TimeZoneInfo.Utc, start, length);

    private void Fails() => _harness.Aggregator.Tell(new CheckChanged(ActorTestChecks.Check(Id),
        new CheckTransition(Id, CheckStatus.Retrying, CheckStatus.Error, Clock.Now, "down", 2, Clock.Now, Tick)));

    private void Recovers(DateTimeOffset errorSince) => _harness.Aggregator.Tell(new CheckChanged(ActorTestChecks.Check(Id),
        new CheckTransition(Id, CheckStatus.Error, CheckStatus.Ok, Clock.Now, "down", 2, errorSince, Tick)));

    /// <summary>A failing run that started at <paramref name="started"/> and left the check in error.</summary>
    private void RanFailing(DateTimeOffset started) =>
        _harness.Aggregator.Tell(new CheckRan(Id, false, "still down", started, TimeSpan.FromSeconds(1), CheckStatus.Error, 3));

    /// <summary>The one notification of the next commit the notifier is told of.</summary>
    private async Task<Notification> NotifiedAsync() => Assert.Single(await _harness.NotifiedAsync());

    [Fact]
    public async Task A_silenced_problem_is_held_and_sent_after_the_expiry_by_a_run_that_started_after_it()
    {
        var silence = await _harness.AskAsync<Silence>(new AddSilence(["ping4/*"], TimeSpan.FromHours(1), ""));
        var since = Clock.Now;
        Fails();
        var held = await _harness.RowAsync(Id);
        Assert.Equal((true, HoldReasons.Silence), (held.HeldProblem, held.Held));
        Assert.Equal([("silence", 1L)], _harness.Counters.SuppressedCounts);
        Assert.True(_harness.Store.FindCheck(Id)!.HeldProblem);

        var before = Clock.Now;
        await AdvanceAsync(Tick, _harness.Aggregator);
        await _harness.AskAsync<SilenceExpired>(new ExpireSilence(silence.Id));
        RanFailing(before); // started before the silence ended: it confirms nothing
        await _harness.NothingSentAsync();

        RanFailing(Clock.Now);
        var problem = await NotifiedAsync();
        Assert.Equal((NotificationKind.Problem, "ping4/a#1", since, "still down"), (problem.Kind, problem.Incident, problem.Since, problem.Message));
        Assert.False((await _harness.RowAsync(Id)).HeldProblem);
        RanFailing(Clock.Now); // once
        await _harness.NothingSentAsync();
    }

    [Fact]
    public async Task Failing_and_recovering_within_a_window_sends_nothing_even_after_it()
    {
        Configure(Window(Clock.Now, TimeSpan.FromHours(1)));
        var since = Clock.Now;
        Fails();
        Assert.Equal(HoldReasons.Maintenance, (await _harness.RowAsync(Id)).Held);
        await AdvanceAsync(Tick, _harness.Aggregator);
        Recovers(since);
        await AdvanceAsync(TimeSpan.FromHours(1), _harness.Aggregator);
        _harness.Aggregator.Tell(new CheckRan(Id, true, "", Clock.Now, TimeSpan.FromSeconds(1), CheckStatus.Ok, 0));
        var row = await _harness.RowAsync(Id);
        Assert.Equal((CheckStatus.Ok, HoldReasons.None, false), (row.Status, row.Held, row.HeldProblem));
        await _harness.NothingSentAsync();
        Assert.Equal([("maintenance", 1L)], _harness.Counters.SuppressedCounts);
    }

    [Fact]
    public async Task A_problem_notified_before_a_window_gets_its_ok_at_once_when_it_recovers_during_it()
    {
        Configure(Window(Clock.Now + Tick, TimeSpan.FromHours(1)));
        var since = Clock.Now;
        Fails();
        Assert.Equal(NotificationKind.Problem, (await NotifiedAsync()).Kind);
        await AdvanceAsync(Tick * 2, _harness.Aggregator);
        Assert.Equal(HoldReasons.Maintenance, (await _harness.RowAsync(Id)).Held);

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
        await AdvanceToAsync(start + TimeSpan.FromHours(1), _harness.Aggregator);
        RanFailing(Clock.Now);
        await _harness.NothingSentAsync(); // unchanged: nothing

        var second = start + TimeSpan.FromHours(2);
        Configure(Window(second, TimeSpan.FromHours(1)));
        await AdvanceToAsync(second, _harness.Aggregator);
        Recovers(Clock.Now - TimeSpan.FromHours(2));
        Assert.Equal(NotificationKind.Ok, (await NotifiedAsync()).Kind);
        await AdvanceAsync(Tick, _harness.Aggregator);
        Fails(); // during the window, and still failing after it
        await AdvanceToAsync(second + TimeSpan.FromHours(1), _harness.Aggregator);
        var row = await _harness.RowAsync(Id);
        Assert.Equal((HoldReasons.None, second + TimeSpan.FromHours(1)), (row.Held, row.ConfirmAfter));
        RanFailing(Clock.Now);
        var problem = await NotifiedAsync();
        Assert.Equal((NotificationKind.Problem, "ping4/a#2"), (problem.Kind, problem.Incident));
    }

    [Fact]
    public async Task A_held_problem_and_its_silence_survive_a_restart_of_the_aggregator()
    {
        var silence = await _harness.AskAsync<Silence>(new AddSilence([Id], TimeSpan.FromHours(1), ""));
        Fails();
        await _harness.RowAsync(Id);
        await _harness.StopAsync();

        _harness.Start();
        Configure();
        var row = await _harness.RowAsync(Id);
        Assert.Equal((true, HoldReasons.Silence, CheckStatus.Error), (row.HeldProblem, row.Held, row.Status));
        RanFailing(Clock.Now); // a run alone, during the silence, sends nothing
        await _harness.AskAsync<SilenceExpired>(new ExpireSilence(silence.Id));
        await _harness.NothingSentAsync();
        RanFailing(Clock.Now);
        var problem = await NotifiedAsync();
        Assert.Equal((NotificationKind.Problem, "ping4/a#1"), (problem.Kind, problem.Incident));
    }

    [Fact]
    public async Task A_silence_ending_on_its_own_releases_the_problem_and_a_new_hold_holds_it_again()
    {
        await _harness.AskAsync<Silence>(new AddSilence([Id], TimeSpan.FromMinutes(30), ""));
        Fails();
        await AdvanceToAsync(Clock.Now + TimeSpan.FromMinutes(30), _harness.Aggregator);
        Assert.Equal(HoldReasons.None, (await _harness.RowAsync(Id)).Held);
        await _harness.AskAsync<Silence>(new AddSilence(["*"], TimeSpan.FromMinutes(30), ""));
        RanFailing(Clock.Now);
        var row = await _harness.RowAsync(Id);
        Assert.Equal((HoldReasons.Silence, null, true), (row.Held, row.ConfirmAfter, row.HeldProblem));
        await _harness.NothingSentAsync();
    }
}
