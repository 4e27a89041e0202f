using Akka.Actor;
using Picomon.Actors;
using Picomon.Checks;
using Picomon.Configuration;
using Picomon.Notifications;
using Picomon.Tests.Support;
using Xunit.Abstractions;
using static Picomon.Actors.StateAggregator;

namespace Picomon.Tests.Actors;

/// <summary>Flapping through the aggregator, fed as a check actor feeds it: a real state machine's transitions and
/// runs, on virtual time. A notified incident gets one Flapping notification, then nothing while the check toggles,
/// then its OK when it settles; a held Problem goes out after a confirming run; a restart keeps all of it.</summary>
public sealed class StateAggregatorFlappingSpecs : ActorSpec
{
    private const string Id = "test/a";
    private readonly AggregatorHarness _harness;
    private readonly List<Notification> _sent = [];
    private CheckDefinition _check = ActorTestChecks.Check(Id);
    private CheckStateMachine _machine = null!;
    private DateTimeOffset _at;

    public StateAggregatorFlappingSpecs(ITestOutputHelper output) : base(output)
    {
        _harness = new AggregatorHarness(this);
        _at = Clock.Now;
    }

    /// <summary>retry 0, flap-window 10 at 0.30/0.25, ok-after <paramref name="okAfter"/>.</summary>
    private void Start(int okAfter = 2, int window = 10)
    {
        _check = ActorTestChecks.Check(Id, retry: 0, rules: new AlertRules(okAfter, window, 0.30, 0.25));
        _machine = new CheckStateMachine(Tick, Tick, 0, _check.Rules);
        Restart();
    }

    private void Restart() => _harness.Start(new Reconfigure([_check], [], Tick, DependencyGraph.Empty));

    /// <summary>One run a tick after the last, told as the check actor tells it: the transition first, then the run.</summary>
    private async Task RunAsync(bool success)
    {
        var started = _at;
        _at += Tick;
        var ended = started + TimeSpan.FromSeconds(1);
        var message = success ? "" : "down";
        var aggregator = _harness.Aggregator;
        if (_machine.Apply(Id, success, message, ended) is { } transition) aggregator.Tell(new CheckChanged(_check, transition));
        aggregator.Tell(new CheckRan(Id, success, message, started, ended - started, _machine.Status, _machine.ConsecutiveFailures, _machine.Flap));
        await _harness.SettleAsync(); // the commit the run posted has been handled
        while (_harness.Notifier.HasMessages) _sent.AddRange(await _harness.NotifiedAsync());
    }

    private async Task RunsAsync(params bool[] results)
    {
        foreach (var success in results) await RunAsync(success);
    }

    private IEnumerable<(NotificationKind, string)> Sent => _sent.Select(n => (n.Kind, n.Incident));

    /// <summary>Toggles starting with a failure until the check flaps, then <paramref name="more"/> more runs.</summary>
    private async Task ToggleUntilFlappingAsync(int more)
    {
        var fail = true;
        do { await RunAsync(!fail); fail = !fail; } while (!(await _harness.RowAsync(Id)).Flap.Flapping);
        for (var i = 0; i < more; i++) { await RunAsync(!fail); fail = !fail; }
    }

    /// <summary>Successes until the check has stopped flapping.</summary>
    private async Task SettleOkAsync()
    {
        do await RunAsync(true); while ((await _harness.RowAsync(Id)).Flap.Flapping);
    }

    [Fact]
    public async Task A_notified_incident_of_a_check_that_toggles_gets_one_Flapping_notification_then_nothing_then_its_OK()
    {
        Start();
        await ToggleUntilFlappingAsync(more: 12);
        Assert.Equal([(NotificationKind.Problem, "test/a#1"), (NotificationKind.Flapping, "test/a#1")], Sent);
        var flapping = await _harness.RowAsync(Id);
        Assert.Equal((CheckStatus.Error, HoldReasons.Flapping, 1), (flapping.Status, flapping.Held, flapping.Incidents));

        await SettleOkAsync();
        Assert.Equal([(NotificationKind.Problem, "test/a#1"), (NotificationKind.Flapping, "test/a#1"), (NotificationKind.Ok, "test/a#1")], Sent);
        Assert.Equal(_sent[0].Since, _sent[2].Since);
        await RunsAsync(true, true);
        Assert.Equal(3, _sent.Count);
        Assert.Equal([("flapping", 1L)], _harness.Counters.SuppressedCounts); // the OK, held once
    }

    [Fact]
    public async Task A_failure_while_the_OK_is_owed_continues_the_same_incident()
    {
        Start();
        await ToggleUntilFlappingAsync(more: 2);
        await RunsAsync(true, true); // recovered (ok-after 2) while flapping: the OK is owed
        Assert.True((await _harness.RowAsync(Id)).OkHeld);
        await RunsAsync(false, false);
        var row = await _harness.RowAsync(Id);
        Assert.Equal((CheckStatus.Error, 1, false), (row.Status, row.Incidents, row.OkHeld));

        await SettleOkAsync();
        Assert.Equal([NotificationKind.Problem, NotificationKind.Flapping, NotificationKind.Ok], _sent.Select(n => n.Kind));
        Assert.All(_sent, n => Assert.Equal("test/a#1", n.Incident));
    }

    [Fact]
    public async Task A_Problem_held_by_flapping_goes_out_after_a_run_that_started_after_the_flapping_ended()
    {
        Start(okAfter: 1);
        await RunsAsync(false, true, false); // Problem, OK, then a Problem held: flapping starts with it
        var held = await _harness.RowAsync(Id);
        Assert.Equal((true, HoldReasons.Flapping, 2), (held.HeldProblem, held.Held, held.Incidents));
        await RunsAsync(true, false); // a recovery of what was never announced, a new held Problem
        Assert.Equal([(NotificationKind.Problem, "test/a#1"), (NotificationKind.Ok, "test/a#1")], Sent);

        do await RunAsync(false); while ((await _harness.RowAsync(Id)).Flap.Flapping);
        Assert.Equal(2, _sent.Count); // the run that ended it started before the end
        Assert.NotNull((await _harness.RowAsync(Id)).ConfirmAfter);
        await RunAsync(false);
        Assert.Equal((NotificationKind.Problem, "test/a#3"), Sent.Last());
        Assert.Equal([("flapping", 2L)], _harness.Counters.SuppressedCounts);
    }

    [Fact]
    public async Task Flapping_and_the_owed_OK_survive_a_restart_and_the_resumed_state_machine_keeps_the_history()
    {
        Start();
        await ToggleUntilFlappingAsync(more: 3);
        await RunsAsync(true, true);
        await _harness.StopAsync();
        Assert.Equal((true, true), (_harness.Store.FindCheck(Id)!.Flap.Flapping, _harness.Store.FindCheck(Id)!.OkHeld));

        Restart();
        var reply = await _harness.AskAsync<CheckStatusReply>(new GetCheckStatus(Id));
        Assert.True(reply.State!.Flap.Flapping);
        _machine = new CheckStateMachine(Tick, Tick, 0, _check.Rules);
        _machine.Resume(reply.State);
        Assert.Equal(reply.State.Flap, _machine.Flap);
        Assert.Equal(2, _sent.Count);

        await SettleOkAsync();
        Assert.Equal([NotificationKind.Problem, NotificationKind.Flapping, NotificationKind.Ok], _sent.Select(n => n.Kind));
    }

    [Fact]
    public async Task With_flap_window_zero_every_transition_is_notified_as_before()
    {
        Start(okAfter: 1, window: 0);
        await RunsAsync(false, true, false, true, false, true);
        Assert.Equal([.. Enumerable.Range(1, 3).SelectMany(i => new[] { (NotificationKind.Problem, $"test/a#{i}"), (NotificationKind.Ok, $"test/a#{i}") })],
            Sent);
        Assert.Empty(_harness.Counters.SuppressedCounts);
    }

    [Fact]
    public async Task A_steady_check_with_flap_detection_costs_no_write_and_a_change_costs_one_per_run_in_its_window()
    {
        Start();
        await RunAsync(true);
        var saved = _harness.Store.FindCheck(Id);
        await RunsAsync(true, true);
        Assert.Same(saved, _harness.Store.FindCheck(Id));
        await RunsAsync(false, true, true); // one change in the window: the stored history follows it
        Assert.Equal(_machine.Flap, _harness.Store.FindCheck(Id)!.Flap);
    }
}
