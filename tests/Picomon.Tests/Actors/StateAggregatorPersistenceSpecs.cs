using Akka.Actor;
using Akka.TestKit;
using Picomon.Actors;
using Picomon.Checks;
using Picomon.Mail;
using Picomon.Notifications;
using Picomon.State;
using Picomon.Tests.Support;
using Xunit.Abstractions;
using static Picomon.Actors.StateAggregator;

namespace Picomon.Tests.Actors;

/// <summary>What the aggregator writes: a transition's row with its pending notifications in one write, what its
/// mailbox held in one write, and nothing for a run that changes nothing durable.</summary>
public sealed class StateAggregatorPersistenceSpecs : ActorSpec
{
    private static readonly DateTimeOffset T = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly RecordingStore _store = new();
    private readonly AggregatorHarness _harness;

    public StateAggregatorPersistenceSpecs(ITestOutputHelper output) : base(output) => _harness = new AggregatorHarness(this, _store);

    private (IActorRef Aggregator, TestProbe Notifier) Start(params CheckState[] restored)
    {
        foreach (var row in restored) _store.Inner.SaveCheck(StoredCheck.From(row));
        return (_harness.Start(), _harness.Notifier);
    }

    private static CheckChanged Change(string id, CheckStatus from, CheckStatus to, DateTimeOffset at, DateTimeOffset? errorSince) =>
        new(ActorTestChecks.Check(id), new CheckTransition(id, from, to, at, "Connection refused", 2, errorSince, Tick));

    private static CheckRan Ran(string id, bool success, CheckStatus status, int failures) =>
        new(id, success, success ? "" : "Connection refused", T, TimeSpan.FromMilliseconds(5), status, failures);

    [Fact]
    public async Task Restored_rows_answer_a_restarting_check()
    {
        var row = new CheckState("a", CheckStatus.Error, T, 3, "down", T, null, null, 2);
        Start(row);

        var reply = await _harness.AskAsync<CheckStatusReply>(new GetCheckStatus("a"));

        Assert.Equal(row, reply.State);
    }

    [Fact]
    public async Task A_run_that_changes_nothing_durable_is_not_saved_and_a_failure_is()
    {
        var (aggregator, _) = Start(new CheckState("a", CheckStatus.Ok, T, 0, "", null, null, null));
        aggregator.Tell(Ran("a", true, CheckStatus.Ok, 0));
        aggregator.Tell(Ran("a", true, CheckStatus.Ok, 0));
        await _harness.SettleAsync();
        Assert.Empty(_store.Commits);

        aggregator.Tell(Ran("a", false, CheckStatus.Retrying, 1));
        await _harness.SettleAsync();
        var (rows, notifications) = Assert.Single(_store.Commits);
        Assert.Equal((1, "Connection refused"), (rows.Single().ConsecutiveFailures, rows.Single().LastMessage));
        Assert.Empty(notifications);
    }

    [Fact]
    public async Task A_check_entering_error_is_committed_with_its_pending_problem_in_one_write_then_the_notifier_is_told()
    {
        var (aggregator, notifier) = Start();
        aggregator.Tell(Change("a", CheckStatus.Retrying, CheckStatus.Error, T, T));
        aggregator.Tell(Ran("a", false, CheckStatus.Error, 2));

        var queued = Assert.Single((await notifier.ExpectMsgAsync<Notifier.Queued>()).Notifications);
        await _harness.SettleAsync();

        // The transition and the run that follows it are one write.
        var (rows, notifications) = Assert.Single(_store.Commits);
        var row = Assert.Single(rows);
        Assert.Equal((CheckStatus.Error, 1, "Connection refused"), (row.Status, row.Incidents, row.LastMessage));
        Assert.Equal((NotificationKind.Problem, "a#1"), (Assert.Single(notifications).Kind, notifications[0].Incident));
        Assert.Equal([queued], _store.LoadPending());
    }

    [Fact]
    public async Task A_storm_of_transitions_in_the_mailbox_is_one_write()
    {
        var (aggregator, notifier) = Start();
        var ids = Enumerable.Range(1, 50).Select(i => $"c{i}").ToList();
        foreach (var id in ids)
        {
            aggregator.Tell(Change(id, CheckStatus.Retrying, CheckStatus.Error, T, T));
            aggregator.Tell(Ran(id, false, CheckStatus.Error, 2));
        }

        var queued = new List<PendingNotification>();
        while (queued.Count < ids.Count) queued.AddRange((await notifier.ExpectMsgAsync<Notifier.Queued>()).Notifications);
        await _harness.SettleAsync();

        Assert.Equal(ids.Select(id => $"{id}#1"), queued.Select(p => p.Notification.Incident));
        Assert.Equal(ids.Count, _store.Commits.Sum(c => c.Rows.Count));
        Assert.True(_store.Commits.Count < ids.Count, $"{_store.Commits.Count} writes for {ids.Count} transitions");
    }

    [Fact]
    public async Task A_recovery_restored_after_a_restart_closes_the_same_incident()
    {
        var (aggregator, notifier) = Start(new CheckState("a", CheckStatus.Error, T, 3, "down", T, null, null, 4));
        aggregator.Tell(Change("a", CheckStatus.Error, CheckStatus.Ok, T + Tick, T));

        var ok = Assert.Single((await notifier.ExpectMsgAsync<Notifier.Queued>()).Notifications).Notification;

        Assert.Equal((NotificationKind.Ok, "a#4"), (ok.Kind, ok.Incident));
        var row = _store.Commits.Single().Rows.Single();
        Assert.Equal((CheckStatus.Ok, 4, 0), (row.Status, row.Incidents, row.ConsecutiveFailures));
    }

    [Fact]
    public async Task Without_a_notifier_a_transition_is_saved_without_notification()
    {
        var aggregator = _harness.Start(notified: false);
        aggregator.Tell(Change("a", CheckStatus.Retrying, CheckStatus.Error, T, T));
        await _harness.SettleAsync();

        var (rows, notifications) = Assert.Single(_store.Commits);
        Assert.Equal((CheckStatus.Error, 1), (rows.Single().Status, rows.Single().Incidents));
        Assert.Empty(notifications);
        Assert.Empty(_store.LoadPending());
    }

    [Fact]
    public async Task A_reload_forgets_removed_checks_in_the_store_too()
    {
        var (aggregator, _) = Start(new CheckState("a", CheckStatus.Ok, T, 0, "", null, null, null),
            new CheckState("b", CheckStatus.Ok, T, 0, "", null, null, null));
        aggregator.Tell(new Reconfigure([ActorTestChecks.Check("b")], [], TimeSpan.FromSeconds(1), DependencyGraph.Empty));

        var snapshot = await _harness.SnapshotAsync();

        Assert.Equal(["b"], snapshot.Checks.Select(c => c.Id));
        Assert.Equal(["b"], _store.Inner.LoadChecks().Select(c => c.Id));
    }

    /// <summary>An in-memory store that records the writes the aggregator asks for.</summary>
    private sealed class RecordingStore : IStateStore
    {
        private readonly List<(IReadOnlyList<StoredCheck> Rows, IReadOnlyList<Notification> Notifications)> _commits = [];

        public MemoryStateStore Inner { get; } = new();

        public List<(IReadOnlyList<StoredCheck> Rows, IReadOnlyList<Notification> Notifications)> Commits
        {
            get { lock (_commits) return [.. _commits]; }
        }

        public IOutbox Outbox => Inner.Outbox;

        public IOutbox MailOutbox(string channel) => Inner.MailOutbox(channel);

        public IHoldStore Holds => Inner.Holds;

        public IDeliveryOutbox DeliveryOutbox(string channel) => Inner.DeliveryOutbox(channel);

        public IReadOnlyList<StoredCheck> LoadChecks() => Inner.LoadChecks();

        public StoredCheck? FindCheck(string id) => Inner.FindCheck(id);

        public void SaveCheck(StoredCheck check) => throw new InvalidOperationException("the aggregator commits, it does not save");

        public IReadOnlyList<PendingNotification> CommitTransitions(IReadOnlyCollection<StoredCheck> checks, IReadOnlyList<Notification> notifications)
        {
            lock (_commits) _commits.Add(([.. checks], [.. notifications]));
            return Inner.CommitTransitions(checks, notifications);
        }

        public IReadOnlyList<PendingNotification> Commit(NotificationChanges changes) => Inner.Commit(changes);

        public IReadOnlyList<PendingNotification> LoadPending() => Inner.LoadPending();

        public string? AnnouncedBy(string channel, string incident) => Inner.AnnouncedBy(channel, incident);

        public IReadOnlyList<ScheduledReminder> LoadReminders() => Inner.LoadReminders();

        public void ForgetChecksExcept(IReadOnlyCollection<string> ids) => Inner.ForgetChecksExcept(ids);

        public void Dispose() => Inner.Dispose();
    }
}
