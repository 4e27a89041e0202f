using Akka.Actor;
using Akka.TestKit;
using Picomon.Checks;
using Picomon.Actors;
using Picomon.Mail;
using Picomon.State;
using Picomon.Tests.Support;
using Xunit.Abstractions;
using static Picomon.Actors.StateAggregator;

namespace Picomon.Tests.Actors;

public sealed class StateAggregatorPersistenceSpecs(ITestOutputHelper output) : ActorSpec(output)
{
    private static readonly DateTimeOffset T = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly RecordingStore _store = new();

    private (IActorRef Aggregator, TestProbe Mailer) Start(params CheckState[] restored)
    {
        foreach (var row in restored) _store.Inner.SaveCheck(StoredCheck.From(row));
        var mailer = CreateTestProbe("mailer");
        return (Sys.ActorOf(StateAggregator.Props(_store, mailer, ActorTestChecks.Alerting())), mailer);
    }

    private static CheckChanged Change(string id, CheckStatus from, CheckStatus to, DateTimeOffset at, DateTimeOffset? errorSince) =>
        new(ActorTestChecks.Check(id), new CheckTransition(id, from, to, at, "Connection refused", 2, errorSince, Tick));

    private static CheckRan Ran(string id, bool success, CheckStatus status, int failures) =>
        new(id, success, success ? "" : "Connection refused", T, TimeSpan.FromMilliseconds(5), status, failures);

    private static async Task SettleAsync(IActorRef aggregator) =>
        await aggregator.Ask<StateSnapshot>(GetSnapshot.Instance, TimeSpan.FromSeconds(5));

    [Fact]
    public async Task Restored_rows_answer_a_restarting_check()
    {
        var row = new CheckState("a", CheckStatus.Error, T, 3, "down", T, null, null, "<p@x>", 2);
        var (aggregator, _) = Start(row);

        var reply = await aggregator.Ask<CheckStatusReply>(new GetCheckStatus("a"), TimeSpan.FromSeconds(5));

        Assert.Equal(row, reply.State);
    }

    [Fact]
    public async Task A_run_that_changes_nothing_durable_is_not_saved_and_a_failure_is()
    {
        var (aggregator, _) = Start(new CheckState("a", CheckStatus.Ok, T, 0, "", null, null, null));
        aggregator.Tell(Ran("a", true, CheckStatus.Ok, 0));
        aggregator.Tell(Ran("a", true, CheckStatus.Ok, 0));
        await SettleAsync(aggregator);
        Assert.Empty(_store.Saved);

        aggregator.Tell(Ran("a", false, CheckStatus.Retrying, 1));
        await SettleAsync(aggregator);
        Assert.Equal((1, "Connection refused"), (_store.Saved.Single().ConsecutiveFailures, _store.Saved.Single().LastMessage));
    }

    [Fact]
    public async Task A_check_entering_error_is_committed_with_its_problem_mail_in_one_write_then_the_mailer_is_woken()
    {
        var (aggregator, mailer) = Start();
        aggregator.Tell(Change("a", CheckStatus.Retrying, CheckStatus.Error, T, T));
        aggregator.Tell(Ran("a", false, CheckStatus.Error, 2));

        await mailer.ExpectMsgAsync<Mailer.Deliver>();
        await SettleAsync(aggregator);

        var (row, mails) = Assert.Single(_store.Committed);
        var mail = Assert.Single(mails);
        Assert.Equal((MailKind.Problem, "a#1"), (mail.Kind, mail.Incident));
        Assert.Equal((CheckStatus.Error, mail.MessageId, 1, "Connection refused"),
            (row.Status, row.OpenProblemMessageId, row.Incidents, row.LastMessage));
        Assert.Equal(mail, _store.Outbox.Peek());
        // The run that follows the transition changes nothing durable: no second write.
        Assert.Empty(_store.Saved);
    }

    [Fact]
    public async Task A_recovery_is_committed_with_its_ok_mail_threaded_to_the_problem_mail_before_the_restart()
    {
        var (aggregator, mailer) = Start(new CheckState("a", CheckStatus.Error, T, 3, "down", T, null, null, "<p@x>", 4));
        aggregator.Tell(Change("a", CheckStatus.Error, CheckStatus.Ok, T + Tick, T));

        await mailer.ExpectMsgAsync<Mailer.Deliver>();
        await SettleAsync(aggregator);

        var (row, mails) = Assert.Single(_store.Committed);
        var mail = Assert.Single(mails);
        Assert.Equal((MailKind.Recovery, "<p@x>", "a#4"), (mail.Kind, mail.InReplyTo, mail.Incident));
        Assert.Equal((CheckStatus.Ok, null, 4, 0), (row.Status, row.OpenProblemMessageId, row.Incidents, row.ConsecutiveFailures));
    }

    [Fact]
    public async Task Without_a_mailer_a_transition_is_saved_without_mail()
    {
        var aggregator = Sys.ActorOf(StateAggregator.Props(_store, null, null));
        aggregator.Tell(Change("a", CheckStatus.Retrying, CheckStatus.Error, T, T));
        await SettleAsync(aggregator);

        Assert.Empty(_store.Committed);
        Assert.Equal((CheckStatus.Error, 1, null), (_store.Saved.Single().Status, _store.Saved.Single().Incidents,
            _store.Saved.Single().OpenProblemMessageId));
        Assert.Equal(0, _store.Outbox.Count);
    }

    [Fact]
    public async Task A_reload_forgets_removed_checks_in_the_store_too()
    {
        var (aggregator, _) = Start(new CheckState("a", CheckStatus.Ok, T, 0, "", null, null, null),
            new CheckState("b", CheckStatus.Ok, T, 0, "", null, null, null));
        aggregator.Tell(new Retain(["b"]));

        var snapshot = await aggregator.Ask<StateSnapshot>(GetSnapshot.Instance, TimeSpan.FromSeconds(5));

        Assert.Equal(["b"], snapshot.Checks.Select(c => c.Id));
        Assert.Equal(["b"], _store.Inner.LoadChecks().Select(c => c.Id));
    }

    /// <summary>An in-memory store that records the writes the aggregator asks for.</summary>
    private sealed class RecordingStore : IStateStore
    {
        private readonly List<StoredCheck> _saved = [];
        private readonly List<(StoredCheck Check, IReadOnlyList<OutgoingMail> Mails)> _committed = [];

        public MemoryStateStore Inner { get; } = new();

        public IOutbox Outbox => Inner.Outbox;

        public IHoldStore Holds => Inner.Holds;

        public List<StoredCheck> Saved { get { lock (_saved) return [.. _saved]; } }

        public List<(StoredCheck Check, IReadOnlyList<OutgoingMail> Mails)> Committed { get { lock (_saved) return [.. _committed]; } }

        public IReadOnlyList<StoredCheck> LoadChecks() => Inner.LoadChecks();

        public void SaveCheck(StoredCheck check)
        {
            lock (_saved) _saved.Add(check);
            Inner.SaveCheck(check);
        }

        public void CommitTransition(StoredCheck check, IReadOnlyList<OutgoingMail> mails)
        {
            lock (_saved) _committed.Add((check, mails));
            Inner.CommitTransition(check, mails);
        }

        public void ForgetChecksExcept(IReadOnlyCollection<string> ids) => Inner.ForgetChecksExcept(ids);

        public void Dispose() => Inner.Dispose();
    }
}
