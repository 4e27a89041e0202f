using Akka.Actor;
using Akka.TestKit;
using Picomon.Actors;
using Picomon.Checks;
using Picomon.Notifications;
using Picomon.Status;
using Picomon.Tests.Support;
using Xunit.Abstractions;
using static Picomon.Actors.StateAggregator;

namespace Picomon.Tests.Actors;

/// <summary>Dependencies in the aggregator, on virtual time, with probes for the notifier and the checks supervisor: a
/// check failing behind a parent in error is unreachable and listed by the parent's incident; one failing first waits
/// for its parent's verdict (the parent runs at once); a parent's recovery runs its unreachable checks, and only one still
/// failing gets its own Problem; a restart recomputes who is unreachable.</summary>
public sealed class StateAggregatorDependencySpecs : ActorSpec
{
    private const string Uplink = "ping4/uplink", Router = "ping4/router", A = "http4/a", B = "http4/b";
    private readonly AggregatorHarness _harness;
    private readonly TestProbe _checks;

    public StateAggregatorDependencySpecs(ITestOutputHelper output) : base(output)
    {
        (_harness, _checks) = (new AggregatorHarness(this), CreateTestProbe("checks"));
        Start();
    }

    private static readonly DependencyGraph Graph = new(new Dictionary<string, IReadOnlyList<string>>
    {
        [A] = [Router],
        [B] = [Router],
    });

    /// <summary>The router depends on the uplink too.</summary>
    private static readonly DependencyGraph Chain = new(new Dictionary<string, IReadOnlyList<string>>
    {
        [A] = [Router],
        [B] = [Router],
        [Router] = [Uplink],
    });

    private void Start(DependencyGraph? graph = null)
    {
        var checks = new[] { Uplink, Router, A, B }.Select(id => ActorTestChecks.Check(id)).ToList();
        _harness.Start(new Reconfigure(checks, [], Tick, graph ?? Graph)).Tell(new AttachChecks(_checks));
    }

    private void Change(string id, CheckStatus from, CheckStatus to, DateTimeOffset? errorSince = null) =>
        _harness.Aggregator.Tell(new CheckChanged(ActorTestChecks.Check(id),
            new CheckTransition(id, from, to, Clock.Now, "down", 2, errorSince ?? Clock.Now, Tick)));

    private void Ran(string id, CheckStatus status, DateTimeOffset? started = null) =>
        _harness.Aggregator.Tell(new CheckRan(id, status == CheckStatus.Ok, status == CheckStatus.Ok ? "" : "down",
            started ?? Clock.Now, TimeSpan.FromSeconds(1), status, status == CheckStatus.Ok ? 0 : 2));

    /// <summary>A run that takes the check from retrying into error: the transition, then the run.</summary>
    private void Fails(string id)
    {
        Change(id, CheckStatus.Retrying, CheckStatus.Error);
        Ran(id, CheckStatus.Error);
    }

    private void Recovers(string id, DateTimeOffset errorSince)
    {
        Change(id, CheckStatus.Error, CheckStatus.Ok, errorSince);
        Ran(id, CheckStatus.Ok);
    }

    private async Task RunNowAsync(params string[] ids) =>
        Assert.Equal(ids, (await _checks.ExpectMsgAsync<ChecksSupervisor.RunChecksNow>()).Ids);

    private async Task<CheckViewState> ViewAsync(string id)
    {
        var snapshot = await _harness.SnapshotAsync();
        var checks = new[] { Router, A, B }.Select(c => ActorTestChecks.Check(c));
        return StatusViews.Build(snapshot, checks, CheckPatterns.All).Checks.Single(c => c.Id == id).State;
    }

    [Fact]
    public async Task A_check_failing_behind_a_parent_in_error_is_unreachable_and_an_Affected_reply_lists_it()
    {
        Fails(Router);
        var problem = Assert.Single(await _harness.NotifiedAsync());
        Assert.Equal((NotificationKind.Problem, "ping4/router#1"), (problem.Kind, problem.Incident));

        Fails(A);
        var affected = Assert.Single(await _harness.NotifiedAsync());
        Assert.Equal((NotificationKind.Affected, "ping4/router#1", Router), (affected.Kind, affected.Incident, affected.CheckId));
        Assert.Equal([A], affected.Affected);
        var row = await _harness.RowAsync(A);
        Assert.Equal((true, HoldReasons.Dependency, 1), (row.HeldProblem, row.Held, row.Incidents));
        Assert.True(_harness.Store.FindCheck(A)!.HeldProblem);
        Assert.Equal(CheckViewState.Unreachable, await ViewAsync(A));
        Assert.Equal([("dependency", 1L)], _harness.Counters.SuppressedCounts);
        await _checks.ExpectNoMsgAsync(TimeSpan.Zero);
    }

    [Fact]
    public async Task A_check_failing_first_waits_its_parent_runs_at_once_and_the_parent_s_Problem_lists_it()
    {
        Fails(A);
        await RunNowAsync(Router);
        var row = await _harness.RowAsync(A);
        Assert.Equal((true, HoldReasons.Dependency), (row.HeldProblem, row.Held));
        Assert.Equal(CheckViewState.Unreachable, await ViewAsync(A));
        await _harness.NothingSentAsync();

        Ran(Router, CheckStatus.Retrying); // still retrying: the child keeps waiting, the schedule decides
        await _harness.NothingSentAsync();
        await _checks.ExpectNoMsgAsync(TimeSpan.Zero);

        Fails(Router);
        var problem = Assert.Single(await _harness.NotifiedAsync());
        Assert.Equal((NotificationKind.Problem, Router), (problem.Kind, problem.CheckId));
        Assert.Equal([A], problem.Affected);
        Assert.Equal(HoldReasons.Dependency, (await _harness.RowAsync(A)).Held);
    }

    [Fact]
    public async Task A_parent_running_OK_releases_the_waiting_check_whose_Problem_goes_out_after_a_run_that_confirms_it()
    {
        var since = Clock.Now;
        await AdvanceAsync(Tick, _harness.Aggregator);
        Fails(A);
        await RunNowAsync(Router);
        Ran(Router, CheckStatus.Ok, Clock.Now - TimeSpan.FromSeconds(1)); // started before the wait: another run is asked
        await RunNowAsync(Router);
        Assert.Equal(HoldReasons.Dependency, (await _harness.RowAsync(A)).Held);

        Ran(Router, CheckStatus.Ok);
        await RunNowAsync(A);
        var row = await _harness.RowAsync(A);
        Assert.Equal((HoldReasons.None, Clock.Now, true), (row.Held, row.ConfirmAfter, row.HeldProblem));
        await _harness.NothingSentAsync();

        Ran(A, CheckStatus.Error);
        var problem = Assert.Single(await _harness.NotifiedAsync());
        Assert.Equal((NotificationKind.Problem, "http4/a#1"), (problem.Kind, problem.Incident));
        Assert.True(since < problem.Since);
        Assert.Equal(CheckViewState.Error, await ViewAsync(A));
    }

    [Fact]
    public async Task A_waiting_check_that_recovers_before_its_parent_s_verdict_sends_nothing_and_is_not_run_again()
    {
        var since = Clock.Now;
        Fails(A);
        await RunNowAsync(Router);
        await AdvanceAsync(Tick, _harness.Aggregator);
        Recovers(A, since);
        Ran(Router, CheckStatus.Ok);
        await _harness.NothingSentAsync();
        await _checks.ExpectNoMsgAsync(TimeSpan.Zero);
        var row = await _harness.RowAsync(A);
        Assert.Equal((CheckStatus.Ok, HoldReasons.None, false), (row.Status, row.Held, row.HeldProblem));
        Assert.Equal(CheckViewState.Ok, await ViewAsync(A));
    }

    [Fact]
    public async Task Behind_a_chain_the_nearest_notified_incident_lists_every_check_unreachable_behind_it()
    {
        await _harness.StopAsync();
        Start(Chain);
        Fails(A);
        await RunNowAsync(Router);
        Fails(Router); // the router waits for the uplink; a, behind the router in error, is unreachable, listed by nobody yet
        await RunNowAsync(Uplink);
        Fails(B);
        await _harness.NothingSentAsync();
        Assert.Equal(CheckViewState.Unreachable, await ViewAsync(Router));

        Fails(Uplink);
        var problem = Assert.Single(await _harness.NotifiedAsync());
        Assert.Equal((NotificationKind.Problem, Uplink), (problem.Kind, problem.CheckId));
        Assert.Equal([Router, A, B], problem.Affected);
    }

    [Fact]
    public async Task A_parent_recovering_runs_its_unreachable_checks_and_only_one_still_failing_gets_its_own_Problem()
    {
        var since = Clock.Now;
        Fails(Router);
        await _harness.NotifiedAsync();
        Fails(A);
        Assert.Equal([A], Assert.Single(await _harness.NotifiedAsync()).Affected);
        Fails(B);
        Assert.Equal([B], Assert.Single(await _harness.NotifiedAsync()).Affected);

        await AdvanceAsync(Tick, _harness.Aggregator);
        Recovers(Router, since);
        var ok = Assert.Single(await _harness.NotifiedAsync());
        Assert.Equal((NotificationKind.Ok, "ping4/router#1"), (ok.Kind, ok.Incident));
        await RunNowAsync(A, B);
        Assert.Equal(CheckViewState.Error, await ViewAsync(A));

        Recovers(B, since);
        Ran(A, CheckStatus.Error);
        var problem = Assert.Single(await _harness.NotifiedAsync());
        Assert.Equal((NotificationKind.Problem, "http4/a#1"), (problem.Kind, problem.Incident));
        Assert.Empty(problem.Affected);
        await _harness.NothingSentAsync();
        var b = await _harness.RowAsync(B);
        Assert.Equal((CheckStatus.Ok, false), (b.Status, b.HeldProblem));
    }

    [Fact]
    public async Task A_check_notified_before_its_parent_failed_keeps_its_incident_and_gets_its_OK()
    {
        var since = Clock.Now;
        Fails(A);
        await RunNowAsync(Router);
        Ran(Router, CheckStatus.Ok);
        await RunNowAsync(A);
        Ran(A, CheckStatus.Error);
        Assert.Equal(NotificationKind.Problem, Assert.Single(await _harness.NotifiedAsync()).Kind);

        Fails(Router);
        var problem = Assert.Single(await _harness.NotifiedAsync());
        Assert.Equal(Router, problem.CheckId);
        Assert.Empty(problem.Affected);
        Assert.Equal(CheckViewState.Error, await ViewAsync(A));

        await AdvanceAsync(Tick, _harness.Aggregator);
        Recovers(A, since);
        var ok = Assert.Single(await _harness.NotifiedAsync());
        Assert.Equal((NotificationKind.Ok, "http4/a#1"), (ok.Kind, ok.Incident));
    }

    [Fact]
    public async Task After_a_restart_a_check_behind_a_parent_in_error_is_still_unreachable_and_released_by_its_recovery()
    {
        var since = Clock.Now;
        Fails(Router);
        await _harness.NotifiedAsync();
        Fails(A);
        await _harness.NotifiedAsync();
        await _harness.StopAsync();

        Start();
        var row = await _harness.RowAsync(A);
        Assert.Equal((true, HoldReasons.Dependency), (row.HeldProblem, row.Held));
        Assert.Equal(CheckViewState.Unreachable, await ViewAsync(A));
        Ran(A, CheckStatus.Error);
        await _harness.NothingSentAsync();

        Recovers(Router, since);
        Assert.Equal(NotificationKind.Ok, Assert.Single(await _harness.NotifiedAsync()).Kind);
        await RunNowAsync(A);
        Ran(A, CheckStatus.Error);
        Assert.Equal("http4/a#1", Assert.Single(await _harness.NotifiedAsync()).Incident);
    }

    [Fact]
    public async Task After_a_restart_a_held_check_whose_parents_are_all_OK_goes_out_after_its_next_run()
    {
        Fails(A);
        await RunNowAsync(Router);
        await _harness.RowAsync(A);
        await _harness.StopAsync();

        Clock.Advance(Tick);
        Start();
        var row = await _harness.RowAsync(A);
        Assert.Equal((HoldReasons.None, Clock.Now), (row.Held, row.ConfirmAfter));
        Ran(A, CheckStatus.Error);
        var problem = Assert.Single(await _harness.NotifiedAsync());
        Assert.Equal((NotificationKind.Problem, "http4/a#1"), (problem.Kind, problem.Incident));
    }
}
