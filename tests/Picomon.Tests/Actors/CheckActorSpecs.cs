using Akka.Actor;
using Akka.TestKit;
using Picomon.Checks;
using Picomon.Actors;
using Picomon.Configuration;
using Picomon.Probes;
using Picomon.Tests.Support;
using Xunit.Abstractions;
using static Picomon.Actors.StateAggregator;

namespace Picomon.Tests.Actors;

public sealed class CheckActorSpecs : ActorSpec
{
    private readonly TestProbe _aggregator;
    private readonly ControllableProbe _probe = new();
    private readonly DateTimeOffset _t0;
    private CheckChanged? _lastChanged;

    public CheckActorSpecs(ITestOutputHelper output) : base(output)
    {
        _aggregator = CreateTestProbe("aggregator");
        _t0 = Clock.Now;
    }

    private async Task<IActorRef> StartAsync(CheckDefinition check, TimeSpan firstRunDelay, CheckState? state = null)
    {
        var actor = Sys.ActorOf(CheckActor.Props(check, _probe, _aggregator, Tick, Clock.Now + firstRunDelay), CheckActor.ActorName(check.Id));
        await AnswerStatusRequestAsync(actor, check.Id, state);
        return actor;
    }

    private async Task AnswerStatusRequestAsync(IActorRef actor, string id, CheckState? state)
    {
        Assert.Equal(id, (await _aggregator.ExpectMsgAsync<GetCheckStatus>()).Id);
        _aggregator.Reply(new CheckStatusReply(id, state));
        await actor.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(60));
    }

    /// <summary>What the actor tells the aggregator after one run: the transition, if any, then the run.</summary>
    private async Task<(CheckTransition? Change, CheckRan Run)> ExpectReportAsync()
    {
        var first = await _aggregator.ExpectMsgAsync<object>(TimeSpan.FromSeconds(60));
        _lastChanged = first as CheckChanged;
        return _lastChanged is { } changed
            ? (changed.Transition, await _aggregator.ExpectMsgAsync<CheckRan>())
            : (null, Assert.IsType<CheckRan>(first));
    }

    private async Task<(CheckTransition? Change, CheckRan Run)> RunAsync(bool success, string message = "down")
    {
        var run = await _probe.NextRunAsync();
        if (success) run.Succeed(); else run.Fail(message);
        return await ExpectReportAsync();
    }

    /// <summary>Advances to <paramref name="when"/> and completes the run that starts there.</summary>
    private async Task<(CheckTransition? Change, CheckRan Run)> RunAtAsync(IActorRef actor, DateTimeOffset when, bool success)
    {
        await AdvanceToAsync(when, actor);
        var report = await RunAsync(success);
        Assert.Equal(when, report.Run.StartedAt);
        return report;
    }

    [Fact]
    public async Task First_run_happens_at_its_spread_delay_not_before()
    {
        var actor = await StartAsync(ActorTestChecks.Check(), TimeSpan.FromSeconds(25));
        await AdvanceAsync(TimeSpan.FromSeconds(25) - TimeSpan.FromMilliseconds(1), actor);
        await AdvanceAsync(TimeSpan.FromMilliseconds(1), actor);

        var (_, run) = await RunAsync(success: true);

        Assert.Equal(_t0 + TimeSpan.FromSeconds(25), run.StartedAt);
    }

    /// <summary>A check whose place in the spread is <paramref name="place"/>, answered by the aggregator at <paramref name="answeredAt"/>.</summary>
    private async Task<IActorRef> StartAnsweredAtAsync(DateTimeOffset place, DateTimeOffset answeredAt)
    {
        var check = ActorTestChecks.Check();
        var actor = Sys.ActorOf(CheckActor.Props(check, _probe, _aggregator, Tick, place));
        await _aggregator.ExpectMsgAsync<GetCheckStatus>();
        await AdvanceToAsync(answeredAt, actor);
        _aggregator.Reply(new CheckStatusReply(check.Id, null));
        return actor;
    }

    [Fact]
    public async Task Answered_a_little_after_its_place_it_runs_at_once_then_keeps_the_phase_of_its_place()
    {
        var place = _t0 + TimeSpan.FromSeconds(10);
        var actor = await StartAnsweredAtAsync(place, place + Tick / 4);

        Assert.Equal(place + Tick / 4, (await RunAsync(success: true)).Run.StartedAt);
        await RunAtAsync(actor, place + Tick, success: true);
        await RunAtAsync(actor, place + 2 * Tick, success: true);
        Assert.Equal(3, _probe.StartedCount);
    }

    [Fact]
    public async Task Answered_long_after_its_place_it_first_runs_at_the_next_point_of_its_places_grid()
    {
        var place = _t0 + TimeSpan.FromSeconds(10);
        var actor = await StartAnsweredAtAsync(place, place + Tick / 4 + TimeSpan.FromSeconds(1));

        await RunAtAsync(actor, place + Tick, success: true);
        await RunAtAsync(actor, place + 2 * Tick, success: true);
        Assert.Equal(2, _probe.StartedCount);
    }

    [Fact]
    public async Task Runs_every_interval_after_a_success_measured_from_the_scheduled_start()
    {
        var actor = await StartAsync(ActorTestChecks.Check(every: 2), TimeSpan.Zero);
        var first = await _probe.NextRunAsync();
        await AdvanceAsync(TimeSpan.FromSeconds(50), actor);
        first.Succeed();
        var (_, run) = await ExpectReportAsync();
        Assert.Equal((_t0, TimeSpan.FromSeconds(50)), (run.StartedAt, run.Duration));

        await RunAtAsync(actor, _t0 + 2 * Tick, success: true);
        await RunAtAsync(actor, _t0 + 4 * Tick, success: true);
    }

    [Fact]
    public async Task Runs_error_every_after_a_failure_while_retrying_and_in_error()
    {
        var actor = await StartAsync(ActorTestChecks.Check(every: 5, errorEvery: 2, retry: 2), TimeSpan.Zero);
        Assert.Equal(CheckStatus.Retrying, (await RunAsync(success: false)).Run.Status);
        Assert.Equal(CheckStatus.Retrying, (await RunAtAsync(actor, _t0 + 2 * Tick, success: false)).Run.Status);
        Assert.Equal(CheckStatus.Error, (await RunAtAsync(actor, _t0 + 4 * Tick, success: false)).Run.Status);
        Assert.Equal(CheckStatus.Error, (await RunAtAsync(actor, _t0 + 6 * Tick, success: false)).Run.Status);
        Assert.Equal(CheckStatus.Ok, (await RunAtAsync(actor, _t0 + 8 * Tick, success: true)).Run.Status);
        await RunAtAsync(actor, _t0 + 13 * Tick, success: true);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Enters_error_on_the_retry_plus_one_th_consecutive_failure(int retry)
    {
        var actor = await StartAsync(ActorTestChecks.Check(retry: retry), TimeSpan.Zero);
        for (var failure = 1; failure <= retry + 2; failure++)
        {
            var at = _t0 + (failure - 1) * Tick;
            var (change, run) = await RunAtAsync(actor, at, success: false);
            Assert.Equal(failure, run.ConsecutiveFailures);
            Assert.Equal(failure <= retry ? CheckStatus.Retrying : CheckStatus.Error, run.Status);
            if (failure == retry + 1)
            {
                Assert.NotNull(change);
                Assert.True(change.IsProblem);
                Assert.Equal((retry == 0 ? CheckStatus.Ok : CheckStatus.Retrying, failure, at), (change.From, change.ConsecutiveFailures, change.At));
                Assert.Equal(at, change.ErrorSince);
                Assert.Equal("down", change.Message);
            }
            else if (failure == 1)
                Assert.Equal(CheckStatus.Retrying, change?.To);
            else
                Assert.Null(change);
        }
    }

    [Fact]
    public async Task A_single_success_resets_the_failure_count()
    {
        var actor = await StartAsync(ActorTestChecks.Check(retry: 2), TimeSpan.Zero);
        await RunAsync(success: false);
        await RunAtAsync(actor, _t0 + Tick, success: false);
        var (change, run) = await RunAtAsync(actor, _t0 + 2 * Tick, success: true);
        Assert.Equal((CheckStatus.Retrying, CheckStatus.Ok, 2), (change?.From, change?.To, change?.ConsecutiveFailures));
        Assert.Equal(0, run.ConsecutiveFailures);

        Assert.Equal(CheckStatus.Retrying, (await RunAtAsync(actor, _t0 + 3 * Tick, success: false)).Run.Status);
        Assert.Equal(CheckStatus.Retrying, (await RunAtAsync(actor, _t0 + 4 * Tick, success: false)).Run.Status);
        Assert.Equal(CheckStatus.Error, (await RunAtAsync(actor, _t0 + 5 * Tick, success: false)).Run.Status);
    }

    [Fact]
    public async Task A_recovery_carries_when_the_error_began_and_what_it_recovered_from()
    {
        var check = ActorTestChecks.Check(retry: 0, errorEvery: 3);
        var actor = await StartAsync(check, TimeSpan.Zero);
        await RunAsync(success: false, "Connection refused");
        await AdvanceToAsync(_t0 + 3 * Tick, actor);
        var second = await _probe.NextRunAsync();
        await AdvanceAsync(TimeSpan.FromSeconds(10), actor);
        second.Fail("Operation timed out");
        await ExpectReportAsync();

        var (change, _) = await RunAtAsync(actor, _t0 + 6 * Tick, success: true);

        Assert.NotNull(change);
        Assert.True(change.IsRecovery);
        Assert.Same(check, _lastChanged?.Check);
        Assert.Equal(check.Id, change.CheckId);
        Assert.Equal((_t0, _t0 + 6 * Tick), (change.ErrorSince, change.At));
        Assert.Equal(6 * Tick, change.ErrorDuration);
        Assert.Equal(("Operation timed out", 2, 3 * Tick), (change.Message, change.ConsecutiveFailures, change.ErrorInterval));
    }

    [Fact]
    public async Task Skips_a_run_due_while_the_previous_is_still_in_flight_and_stays_on_the_grid()
    {
        var actor = await StartAsync(ActorTestChecks.Check(), TimeSpan.Zero);
        var slow = await _probe.NextRunAsync();
        await EventFilter.Debug(contains: "still in flight, skipping 1 run").ExpectOneAsync(() => AdvanceAsync(Tick, actor));
        await AdvanceAsync(TimeSpan.FromSeconds(30), actor);
        slow.Succeed();
        var (_, run) = await ExpectReportAsync();
        Assert.Equal((_t0, TimeSpan.FromSeconds(90)), (run.StartedAt, run.Duration));

        await RunAtAsync(actor, _t0 + 2 * Tick, success: true);
        Assert.Equal(2, _probe.StartedCount);
    }

    [Fact]
    public async Task A_failure_of_a_run_that_outlasted_error_every_skips_the_grid_points_it_covered()
    {
        var actor = await StartAsync(ActorTestChecks.Check(every: 5, errorEvery: 1), TimeSpan.Zero);
        var slow = await _probe.NextRunAsync();
        await AdvanceToAsync(_t0 + 2.5 * Tick, actor);

        await EventFilter.Debug(contains: "outlasted its next due time, skipping 2 run(s)").ExpectOneAsync(async () =>
        {
            slow.Fail("slow");
            await ExpectReportAsync();
        });

        await RunAtAsync(actor, _t0 + 3 * Tick, success: true);
    }

    [Fact]
    public async Task Does_not_drift_over_a_thousand_periods_of_runs_taking_time()
    {
        var actor = await StartAsync(ActorTestChecks.Check(), TimeSpan.Zero);
        var runTime = TimeSpan.FromSeconds(17);
        for (var period = 0; period < 1000; period++)
        {
            var run = await _probe.NextRunAsync();
            await AdvanceAsync(runTime, actor);
            run.Succeed();
            var (_, ran) = await ExpectReportAsync();
            Assert.Equal((_t0 + period * Tick, runTime), (ran.StartedAt, ran.Duration));
            await AdvanceAsync(Tick - runTime, actor);
        }
    }

    [Fact]
    public async Task A_timer_firing_late_does_not_shift_the_schedule()
    {
        var actor = await StartAsync(ActorTestChecks.Check(), TimeSpan.Zero);
        await RunAsync(success: true);
        // One advance past the due time: the timer fires 40 s late, as a loaded scheduler might.
        await AdvanceAsync(Tick + TimeSpan.FromSeconds(40), actor);
        Assert.Equal(_t0 + Tick + TimeSpan.FromSeconds(40), (await RunAsync(success: true)).Run.StartedAt);

        await RunAtAsync(actor, _t0 + 2 * Tick, success: true);
    }

    [Fact]
    public async Task A_probe_that_never_completes_fails_with_operation_timed_out()
    {
        await StartAsync(ActorTestChecks.Check(retry: 0, timeout: TimeSpan.FromMilliseconds(100)), TimeSpan.Zero);
        await _probe.NextRunAsync();

        var (change, run) = await ExpectReportAsync();

        Assert.Equal((false, ProbeRunner.TimedOut, CheckStatus.Error), (run.Success, run.Message, run.Status));
        Assert.Equal(ProbeRunner.TimedOut, change?.Message);
    }

    [Fact]
    public async Task Run_now_runs_at_once_and_restarts_the_schedule_from_now()
    {
        var actor = await StartAsync(ActorTestChecks.Check(every: 5), TimeSpan.Zero);
        await RunAsync(success: true);
        await AdvanceAsync(TimeSpan.FromSeconds(100), actor);

        actor.Tell(CheckActor.RunNow.Instance);
        Assert.Equal(_t0 + TimeSpan.FromSeconds(100), (await RunAsync(success: true)).Run.StartedAt);

        await RunAtAsync(actor, _t0 + TimeSpan.FromSeconds(100) + 5 * Tick, success: true);
    }

    [Fact]
    public async Task Run_now_while_a_run_is_in_flight_only_restarts_the_schedule()
    {
        var actor = await StartAsync(ActorTestChecks.Check(every: 2), TimeSpan.Zero);
        var inFlight = await _probe.NextRunAsync();
        await AdvanceAsync(Tick, actor);
        actor.Tell(CheckActor.RunNow.Instance);
        inFlight.Succeed();
        await ExpectReportAsync();

        await RunAtAsync(actor, _t0 + 3 * Tick, success: true);
        Assert.Equal(2, _probe.StartedCount);
    }

    [Fact]
    public async Task Keeps_its_error_state_when_restarted_after_a_crash()
    {
        var check = ActorTestChecks.Check(retry: 0);
        var actor = ChildActorOf(CheckActor.Props(check, _probe, _aggregator, Tick, Clock.Now),
            new OneForOneStrategy(_ => Directive.Restart));
        await AnswerStatusRequestAsync(actor, check.Id, null);
        var (problem, _) = await RunAsync(success: false, "first");
        Assert.True(problem?.IsProblem);

        actor.Tell(Kill.Instance);
        // The aggregator's answer (here played by the test) is the state the restarted actor resumes from.
        var stored = new CheckState(check.Id, CheckStatus.Error, _t0, 1, "first", _t0, _t0, TimeSpan.Zero);
        await AnswerStatusRequestAsync(actor, check.Id, stored);

        var (change, run) = await RunAsync(success: false, "second");
        Assert.Null(change);
        Assert.Equal((CheckStatus.Error, 2), (run.Status, run.ConsecutiveFailures));
        var (recovery, _) = await RunAtAsync(actor, _t0 + Tick, success: true);
        Assert.True(recovery?.IsRecovery);
        Assert.Equal((_t0, 2), (recovery?.ErrorSince, recovery?.ConsecutiveFailures));
    }

    [Fact]
    public async Task Runs_nothing_until_the_aggregator_has_said_where_it_stood()
    {
        var check = ActorTestChecks.Check();
        var actor = Sys.ActorOf(CheckActor.Props(check, _probe, _aggregator, Tick, Clock.Now + TimeSpan.FromSeconds(30)));
        await _aggregator.ExpectMsgAsync<GetCheckStatus>();
        actor.Tell(CheckActor.RunNow.Instance);
        await AdvanceAsync(2 * Tick, actor);

        _aggregator.Reply(new CheckStatusReply(check.Id, null));

        Assert.Equal(_t0 + 2 * Tick, (await RunAsync(success: true)).Run.StartedAt);
    }

    [Fact]
    public async Task Run_now_asked_twice_before_the_aggregator_answered_runs_once_then_on_schedule()
    {
        var check = ActorTestChecks.Check(every: 2);
        var actor = Sys.ActorOf(CheckActor.Props(check, _probe, _aggregator, Tick, Clock.Now + TimeSpan.FromSeconds(30)));
        await _aggregator.ExpectMsgAsync<GetCheckStatus>();
        actor.Tell(CheckActor.RunNow.Instance);
        actor.Tell(CheckActor.RunNow.Instance);
        await AdvanceAsync(Tick, actor);

        _aggregator.Reply(new CheckStatusReply(check.Id, null));

        Assert.Equal(_t0 + Tick, (await RunAsync(success: true)).Run.StartedAt);
        await RunAtAsync(actor, _t0 + 3 * Tick, success: true);
        Assert.Equal(2, _probe.StartedCount);
    }

    [Fact]
    public async Task A_stop_asked_before_the_aggregator_answered_stops_it_once_answered_without_running()
    {
        var check = ActorTestChecks.Check();
        var actor = Sys.ActorOf(CheckActor.Props(check, _probe, _aggregator, Tick, Clock.Now + TimeSpan.FromSeconds(30)));
        Watch(actor);
        await _aggregator.ExpectMsgAsync<GetCheckStatus>();
        actor.Tell(CheckActor.StopScheduling.Instance);
        actor.Tell(CheckActor.RunNow.Instance); // after the stop: ignored, as it would be once running

        _aggregator.Reply(new CheckStatusReply(check.Id, null));

        await ExpectTerminatedAsync(actor);
        Assert.Equal(0, _probe.StartedCount);
    }

    [Fact]
    public async Task A_check_resumed_in_error_stays_in_error_whatever_its_retry_setting()
    {
        var resumed = new CheckState("test/host", CheckStatus.Error, _t0, 1, "down", _t0, _t0, TimeSpan.Zero);
        await StartAsync(ActorTestChecks.Check(retry: 3), TimeSpan.Zero, resumed);

        var (change, run) = await RunAsync(success: false);

        Assert.Null(change);
        Assert.Equal((CheckStatus.Error, 2), (run.Status, run.ConsecutiveFailures));
    }

    [Fact]
    public async Task Ignores_the_result_of_a_run_started_before_a_restart()
    {
        var check = ActorTestChecks.Check();
        var actor = ChildActorOf(CheckActor.Props(check, _probe, _aggregator, Tick, Clock.Now),
            new OneForOneStrategy(_ => Directive.Restart));
        await AnswerStatusRequestAsync(actor, check.Id, null);
        var stale = await _probe.NextRunAsync();

        actor.Tell(Kill.Instance);
        await AnswerStatusRequestAsync(actor, check.Id, null);
        var fresh = await _probe.NextRunAsync();
        await EventFilter.Debug(contains: "started before a restart").ExpectOneAsync(() =>
        {
            stale.Fail("stale");
            return Task.CompletedTask;
        });
        fresh.Succeed();

        var (change, run) = await ExpectReportAsync();
        Assert.Null(change);
        Assert.True(run.Success);
    }

    [Theory]
    [InlineData("ping4/localhost", "ping4%2Flocalhost")]
    [InlineData("http4/web:8080", "http4%2Fweb%3A8080")]
    [InlineData("my check", "my%20check")]
    [InlineData("$weird%2F", "%24weird%252F")]
    public void Actor_name_is_a_valid_escaped_form_of_the_id(string id, string expected)
    {
        Assert.Equal(expected, CheckActor.ActorName(id));
        Assert.True(ActorPath.IsValidPathElement(CheckActor.ActorName(id)));
    }
}
