using Akka.Actor;
using Akka.TestKit;
using Picomon.Checks;
using Picomon.Actors;
using Picomon.Notifications;
using Picomon.State;
using Picomon.Tests.Support;
using Xunit.Abstractions;
using static Picomon.Actors.StateAggregator;

namespace Picomon.Tests.Actors;

public sealed class StateAggregatorSpecs : ActorSpec
{
    private static readonly DateTimeOffset T = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly TestProbe _notifier;
    private readonly MemoryStateStore _store = new();
    private readonly IActorRef _aggregator;

    public StateAggregatorSpecs(ITestOutputHelper output) : base(output)
    {
        _notifier = CreateTestProbe("notifier");
        _aggregator = Sys.ActorOf(StateAggregator.Props(_store, _notifier), "aggregator");
    }

    private static CheckChanged Change(string id, CheckStatus from, CheckStatus to, DateTimeOffset at,
        string message = "Connection refused", int failures = 2, DateTimeOffset? errorSince = null) =>
        new(ActorTestChecks.Check(id), new CheckTransition(id, from, to, at, message, failures, errorSince, TimeSpan.FromMinutes(1)));

    /// <summary>The notifier is told of one pending notification, which the store keeps.</summary>
    private async Task<Notification> NotifiedAsync()
    {
        var pending = Assert.Single((await _notifier.ExpectMsgAsync<Notifier.Queued>()).Notifications);
        Assert.Contains(pending, _store.LoadPending());
        return pending.Notification;
    }

    private static CheckRan Ran(string id, bool success, DateTimeOffset startedAt, CheckStatus status, int failures,
        string message = "") =>
        new(id, success, success ? "" : message, startedAt, TimeSpan.FromMilliseconds(250), status, failures);

    private async Task<StateSnapshot> SnapshotAsync() =>
        await _aggregator.Ask<StateSnapshot>(GetSnapshot.Instance, TimeSpan.FromSeconds(60));

    [Fact]
    public async Task Keeps_one_row_per_check_from_its_transitions_and_runs()
    {
        _aggregator.Tell(Ran("ping4/a", true, T, CheckStatus.Ok, 0));
        _aggregator.Tell(Change("ping4/a", CheckStatus.Ok, CheckStatus.Error, T + Tick, "down", 1, T + Tick));
        _aggregator.Tell(Ran("ping4/a", false, T + Tick, CheckStatus.Error, 1, "down"));

        var row = Assert.Single((await SnapshotAsync()).Checks);

        Assert.Equal(new CheckState("ping4/a", CheckStatus.Error, T + Tick, 1, "down", T + Tick, T + Tick,
            TimeSpan.FromMilliseconds(250), Incidents: 1), row);
    }

    [Fact]
    public async Task A_steady_run_moves_the_last_run_on()
    {
        _aggregator.Tell(Ran("http4/web", true, T, CheckStatus.Ok, 0));
        _aggregator.Tell(Ran("http4/web", true, T + Tick, CheckStatus.Ok, 0));

        var row = Assert.Single((await SnapshotAsync()).Checks);

        Assert.Equal((CheckStatus.Ok, 0, "", (DateTimeOffset?)(T + Tick), (TimeSpan?)TimeSpan.FromMilliseconds(250)),
            (row.Status, row.ConsecutiveFailures, row.LastMessage, row.LastRun, row.LastDuration));
    }

    [Fact]
    public async Task A_recovery_clears_error_since_and_restarts_since()
    {
        _aggregator.Tell(Change("a", CheckStatus.Ok, CheckStatus.Error, T, failures: 1, errorSince: T));
        _aggregator.Tell(Change("a", CheckStatus.Error, CheckStatus.Ok, T + 5 * Tick, errorSince: T));
        _aggregator.Tell(Ran("a", true, T + 5 * Tick, CheckStatus.Ok, 0));

        var row = Assert.Single((await SnapshotAsync()).Checks);

        Assert.Equal((CheckStatus.Ok, T + 5 * Tick, null, 0, ""), (row.Status, row.Since, row.ErrorSince, row.ConsecutiveFailures, row.LastMessage));
    }

    [Fact]
    public async Task Snapshot_rows_are_ordered_by_check_id()
    {
        foreach (var id in new[] { "tcp4/b", "http4/web", "Ping4/z", "http4/api" })
            _aggregator.Tell(Ran(id, true, T, CheckStatus.Ok, 0));

        var snapshot = await SnapshotAsync();

        Assert.Equal(["Ping4/z", "http4/api", "http4/web", "tcp4/b"], snapshot.Checks.Select(c => c.Id));
        Assert.Equal(Clock.Now, snapshot.TakenAt);
    }

    [Fact]
    public void In_error_longer_than_lists_only_checks_in_error_strictly_longer_than_the_duration()
    {
        CheckState Row(string id, CheckStatus status, DateTimeOffset? errorSince) =>
            new(id, status, errorSince ?? T, 3, "x", errorSince, null, null);
        var snapshot = new StateSnapshot(T, [
            Row("a", CheckStatus.Error, T - TimeSpan.FromMinutes(10)),
            Row("b", CheckStatus.Error, T - TimeSpan.FromMinutes(5)),
            Row("c", CheckStatus.Error, T - TimeSpan.FromMinutes(2)),
            Row("d", CheckStatus.Retrying, null),
            Row("e", CheckStatus.Ok, null),
        ]);

        Assert.Equal(["a"], snapshot.InErrorLongerThan(TimeSpan.FromMinutes(5), T).Select(c => c.Id));
        Assert.Equal(["a", "b"], snapshot.InErrorLongerThan(TimeSpan.FromMinutes(5), T + TimeSpan.FromSeconds(1)).Select(c => c.Id));
        Assert.Equal(["a", "b", "c"], snapshot.InError.Select(c => c.Id));
    }

    [Fact]
    public async Task Answers_a_check_status_request_with_unknown_then_with_the_last_state()
    {
        var unknown = await _aggregator.Ask<CheckStatusReply>(new GetCheckStatus("a"), TimeSpan.FromSeconds(60));
        Assert.Equal(new CheckStatusReply("a", null), unknown);

        _aggregator.Tell(Change("a", CheckStatus.Retrying, CheckStatus.Error, T, failures: 2, errorSince: T));
        _aggregator.Tell(Ran("a", false, T, CheckStatus.Error, 2, "Connection refused"));
        var known = await _aggregator.Ask<CheckStatusReply>(new GetCheckStatus("a"), TimeSpan.FromSeconds(60));

        Assert.Equal((CheckStatus.Error, 2, T, "Connection refused"),
            (known.State?.Status, known.State?.ConsecutiveFailures, known.State?.ErrorSince, known.State?.LastMessage));
    }

    [Fact]
    public async Task Logs_entering_error_as_a_warning_with_the_whole_message()
    {
        await EventFilter.Warning("http4/web: entered error: HTTP 503 Service Unavailable\nsecond line").ExpectOneAsync(() =>
        {
            _aggregator.Tell(Change("http4/web", CheckStatus.Retrying, CheckStatus.Error, T,
                "HTTP 503 Service Unavailable\nsecond line", errorSince: T));
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Logs_a_recovery_with_how_long_the_error_lasted()
    {
        var lasted = new TimeSpan(1, 2, 3) + TimeSpan.FromMilliseconds(900);
        await EventFilter.Info("http4/web: recovered after 1:02:03").ExpectOneAsync(() =>
        {
            _aggregator.Tell(Change("http4/web", CheckStatus.Error, CheckStatus.Ok, T + lasted, errorSince: T));
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Logs_every_run_at_debug()
    {
        await EventFilter.Debug(start: "ping4/a: failed (Retrying, 1 in a row) in 250 ms: No route to host").ExpectOneAsync(() =>
        {
            _aggregator.Tell(Ran("ping4/a", false, T, CheckStatus.Retrying, 1, "No route to host"));
            return Task.CompletedTask;
        });
        await EventFilter.Debug(start: "ping4/a: OK in 250 ms").ExpectOneAsync(() =>
        {
            _aggregator.Tell(Ran("ping4/a", true, T + Tick, CheckStatus.Ok, 0));
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Hands_each_problem_and_its_recovery_to_the_notifier_once_committed()
    {
        var retrying = Change("a", CheckStatus.Ok, CheckStatus.Retrying, T, failures: 1);
        var problem = Change("a", CheckStatus.Retrying, CheckStatus.Error, T + Tick, errorSince: T + Tick);
        var recovery = Change("a", CheckStatus.Error, CheckStatus.Ok, T + 3 * Tick, errorSince: T + Tick);
        foreach (var change in new[] { retrying, problem })
            _aggregator.Tell(change);

        Assert.Equal(new Notification(NotificationKind.Problem, "a#1", "a", "CheckTest", "host", CheckStatus.Error, T + Tick, T + Tick,
            "Connection refused", TimeSpan.FromMinutes(1)), await NotifiedAsync());
        Assert.Equal(CheckStatus.Error, _store.FindCheck("a")!.Status);

        _aggregator.Tell(recovery);
        var ok = await NotifiedAsync();
        Assert.Equal((NotificationKind.Ok, "a#1", T + 3 * Tick, T + Tick), (ok.Kind, ok.Incident, ok.At, ok.Since));
        await _notifier.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        Assert.Equal((true, false, true), (problem.Transition.IsProblem, problem.Transition.IsRecovery, recovery.Transition.IsRecovery));
        Assert.Equal(2 * Tick, recovery.Transition.ErrorDuration);
    }

    [Fact]
    public async Task Each_error_episode_of_a_check_is_a_new_incident()
    {
        foreach (var episode in new[] { 1, 2 })
        {
            var start = T + 10 * episode * Tick;
            _aggregator.Tell(Change("a", CheckStatus.Retrying, CheckStatus.Error, start, errorSince: start));
            Assert.Equal($"a#{episode}", (await NotifiedAsync()).Incident);
            _aggregator.Tell(Change("a", CheckStatus.Error, CheckStatus.Ok, start + Tick, errorSince: start));
            Assert.Equal($"a#{episode}", (await NotifiedAsync()).Incident);
        }
        Assert.Equal(2, (await SnapshotAsync()).Checks.Single().Incidents);
    }

    [Theory]
    [InlineData(0, "0:00:00")]
    [InlineData(59.9, "0:00:59")]
    [InlineData(3723, "1:02:03")]
    [InlineData(93600, "26:00:00")]
    public void Formats_an_elapsed_time_as_hours_minutes_seconds(double seconds, string expected) =>
        Assert.Equal(expected, FormatElapsed(TimeSpan.FromSeconds(seconds)));
}
