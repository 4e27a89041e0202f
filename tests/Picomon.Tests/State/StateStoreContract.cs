using Picomon.Checks;
using Picomon.Mail;
using Picomon.Notifications;
using Picomon.State;

namespace Picomon.Tests.State;

/// <summary>What every <see cref="IStateStore"/> promises, run against each implementation: the SQLite store of a
/// single node and the PostgreSQL store of a cluster partition. "Reopen" is what a restart does: a new store on the
/// same storage (for PostgreSQL, the same partition, as the node that takes it over would open it).</summary>
public abstract class StateStoreContract
{
    /// <summary>A store on this test's storage; each call is a restart.</summary>
    protected abstract IStateStore Open();

    /// <summary>The errors the stores logged so far.</summary>
    protected abstract IReadOnlyCollection<string> Errors { get; }

    [Fact]
    public void Check_states_come_back_after_a_reopen_exactly()
    {
        var failing = new StoredCheck("http4/wéb ☃", CheckStatus.Error,
            new DateTimeOffset(2026, 11, 24, 10, 2, 3, 456, TimeSpan.FromHours(1)).AddTicks(7), 4,
            "HTTP 503 Service Unavailable (expected 2xx/3xx)\nsecond line\tтретья строка 🚨",
            new DateTimeOffset(2026, 11, 24, 9, 58, 0, TimeSpan.FromHours(-5.5)), 7, Flap: new FlapHistory(0x8000_0000_0000_0005, true, true));
        var retrying = new StoredCheck("dns/ns1", CheckStatus.Retrying,
            new DateTimeOffset(2026, 3, 29, 1, 59, 59, TimeSpan.FromHours(2)), 1, "timeout", null, 2,
            Flap: new FlapHistory(0b10, true, false), OkHeld: true);
        using (var store = Open())
        {
            store.SaveCheck(failing);
            store.SaveCheck(retrying);
        }

        using var reopened = Open();
        var checks = reopened.LoadChecks();

        Assert.Equal([retrying, failing], checks);
        Assert.Equal("2026-11-24T10:02:03.4560007+01:00", checks[1].Since.ToString("o"));
        Assert.Equal(TimeSpan.FromHours(-5.5), checks[1].ErrorSince!.Value.Offset);
        Assert.Empty(Errors);
    }

    [Fact]
    public void Silences_acks_and_a_held_problem_survive_a_reopen_and_removed_ones_stay_removed()
    {
        var t0 = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.FromHours(1));
        var held = new StoredCheck("http4/web", CheckStatus.Error, t0, 1, "down", t0, 3, HeldProblem: true);
        using (var store = Open())
        {
            store.SaveCheck(held);
            store.Holds.AddSilence(new Silence("aaaa0001", ["http4/*", "*/web"], t0, t0.AddHours(1), "rack move"));
            store.Holds.AddSilence(new Silence("aaaa0002", ["db/*"], t0, t0.AddHours(2), ""));
            store.Holds.AddAck(new Acknowledgement("http4/web#3", "http4/web", t0, "on it"));
            store.Holds.AddAck(new Acknowledgement("tcp4/db#1", "tcp4/db", t0, ""));
            Assert.True(store.Holds.RemoveSilence("aaaa0002"));
            Assert.False(store.Holds.RemoveSilence("aaaa0002"));
            store.Holds.RemoveAck("tcp4/db#1");
        }

        using var reopened = Open();
        Assert.Equal(held, Assert.Single(reopened.LoadChecks()));
        var silence = Assert.Single(reopened.Holds.LoadSilences());
        Assert.Equal(("aaaa0001", t0.AddHours(1), "rack move"), (silence.Id, silence.Ends, silence.Comment));
        Assert.Equal(["http4/*", "*/web"], silence.Patterns);
        Assert.Equal(new Acknowledgement("http4/web#3", "http4/web", t0, "on it"), Assert.Single(reopened.Holds.LoadAcks()));
        Assert.Empty(Errors);
    }

    [Fact]
    public void Saving_a_check_again_replaces_what_was_remembered()
    {
        var recovered = StateDir.Check("tcp4/db", CheckStatus.Ok);
        using (var store = Open())
        {
            store.SaveCheck(StateDir.Check("tcp4/db", CheckStatus.Error, "Connection refused"));
            store.SaveCheck(recovered);
        }

        using var reopened = Open();
        Assert.Equal([recovered], reopened.LoadChecks());
    }

    [Fact]
    public void Checks_that_left_the_configuration_are_forgotten_for_good()
    {
        using (var store = Open())
        {
            foreach (var id in new[] { "a", "b", "c", "d" }) store.SaveCheck(StateDir.Check(id));
            store.ForgetChecksExcept(["b", "d", "new"]);
            Assert.Equal(["b", "d"], store.LoadChecks().Select(c => c.Id));
        }

        using var reopened = Open();
        Assert.Equal(["b", "d"], reopened.LoadChecks().Select(c => c.Id));
    }

    private static readonly DateTimeOffset T = new(2026, 11, 24, 10, 2, 3, TimeSpan.FromHours(1));

    private static Notification Problem(string check, int incident = 1) =>
        new(NotificationKind.Problem, $"{check}#{incident}", check, "CheckHTTP4", check, CheckStatus.Error, T, T, "Connection refused ✗",
            TimeSpan.FromMinutes(1));

    [Fact]
    public void A_transition_and_its_pending_notifications_are_kept_together_in_order()
    {
        var inError = StateDir.Check("http4/web", CheckStatus.Error, "Connection refused") with { Incidents = 3 };
        IReadOnlyList<PendingNotification> queued;
        using (var store = Open())
            queued = store.CommitTransitions([inError, StateDir.Check("http4/b", CheckStatus.Error)], [Problem("http4/web", 3), Problem("http4/b")]);

        using var reopened = Open();

        Assert.Equal(["http4/b", "http4/web"], reopened.LoadChecks().Select(c => c.Id));
        Assert.Equal(inError, reopened.FindCheck("http4/web"));
        Assert.Equal(queued, reopened.LoadPending());
        Assert.Equal(["http4/web#3", "http4/b#1"], queued.Select(p => p.Notification.Incident));
    }

    [Fact]
    public void A_notifier_commit_releases_queues_messages_announces_and_schedules_all_together()
    {
        var reminder = new ScheduledReminder("http4/a#1", "http4/a", T.AddHours(1));
        var delivery = new Delivery("<d1@picomon.example>", "problem", "Problem http4/a#1", """{"n": 1}""", "application/json",
            new Dictionary<string, string> { ["PICOMON_KIND"] = "problem" }, T);
        using (var store = Open())
        {
            var pending = store.CommitTransitions([StateDir.Check("http4/a", CheckStatus.Error)], [Problem("http4/a")]);
            var changes = new NotificationChanges();
            changes.Released.Add(pending[0].Seq);
            changes.Mails.Add(("email", StateDir.Mail(1)));
            changes.Mails.Add(("ops", StateDir.Mail(2)));
            changes.Deliveries.Add(("hook", delivery));
            changes.Announced.Add(("email", "http4/a#1", "http4/a", StateDir.Mail(1).MessageId));
            changes.Scheduled.Add(reminder);
            Assert.Empty(store.Commit(changes));
        }

        using var reopened = Open();

        Assert.Empty(reopened.LoadPending());
        StateDir.AssertSameMail(StateDir.Mail(1), reopened.Outbox.Peek());
        StateDir.AssertSameMail(StateDir.Mail(2), reopened.MailOutbox("ops").Peek());
        Assert.Equal(0, reopened.MailOutbox("other").Count);
        Assert.Equal(delivery.Id, reopened.DeliveryOutbox("hook").Peek()?.Id);
        Assert.Equal(delivery.Environment, reopened.DeliveryOutbox("hook").Peek()?.Environment);
        Assert.Equal(StateDir.Mail(1).MessageId, reopened.AnnouncedBy("email", "http4/a#1"));
        Assert.Null(reopened.AnnouncedBy("ops", "http4/a#1"));
        Assert.Equal([reminder], reopened.LoadReminders());
        // A reminder ended without its incident (the OK is on its way): the thread stays for the OK to answer.
        var unscheduled = new NotificationChanges();
        unscheduled.Unscheduled.Add("http4/a#1");
        reopened.Commit(unscheduled);
        Assert.Empty(reopened.LoadReminders());
        Assert.Equal(StateDir.Mail(1).MessageId, reopened.AnnouncedBy("email", "http4/a#1"));
        var close = new NotificationChanges();
        close.Closed.Add("http4/a#1");
        reopened.Commit(close);
        Assert.Null(reopened.AnnouncedBy("email", "http4/a#1"));
        Assert.Empty(reopened.LoadReminders());
        Assert.Empty(Errors);
    }

    [Fact]
    public void A_sent_mail_is_gone_for_good_and_a_refused_one_is_kept_with_its_reason()
    {
        using (var store = Open())
        {
            for (var n = 1; n <= 4; n++) store.Outbox.Enqueue(StateDir.Mail(n, inReplyTo: n == 4 ? "<mail-1@picomon.example>" : null));
            store.Outbox.MarkSent(StateDir.Mail(2));
            store.Outbox.MarkSent(StateDir.Mail(9));
            store.Outbox.DeadLetter(StateDir.Mail(3), "550 5.1.1 no such user");
        }

        using var reopened = Open();

        Assert.Equal(2, reopened.Outbox.Count);
        StateDir.AssertSameMail(StateDir.Mail(1), reopened.Outbox.Peek());
        reopened.Outbox.MarkSent(StateDir.Mail(1));
        StateDir.AssertSameMail(StateDir.Mail(4, inReplyTo: "<mail-1@picomon.example>"), reopened.Outbox.Peek());
        var letter = Assert.Single(reopened.Outbox.DeadLetters);
        Assert.Equal("550 5.1.1 no such user", letter.Reason);
        StateDir.AssertSameMail(StateDir.Mail(3), letter.Mail);
    }

    [Fact]
    public void Checks_and_mails_written_from_several_threads_all_come_back()
    {
        using (var store = Open())
        {
            using var start = new Barrier(4);
            var writers = Enumerable.Range(0, 4).Select(w => new Thread(() =>
            {
                start.SignalAndWait();
                for (var n = w; n < 400; n += 4)
                {
                    store.SaveCheck(StateDir.Check($"check-{n:D4}", CheckStatus.Retrying, $"failure {n}"));
                    if (n % 10 == 0) store.Outbox.Enqueue(StateDir.Mail(n));
                }
            })).ToList();
            writers.ForEach(t => t.Start());
            writers.ForEach(t => t.Join());
        }

        using var reopened = Open();
        Assert.Equal(400, reopened.LoadChecks().Count);
        Assert.Equal(40, reopened.Outbox.Count);
        Assert.Empty(Errors);
    }
}

/// <summary>The contract on SQLite, the single node's store.</summary>
public sealed class SqliteStateStoreContract : StateStoreContract, IDisposable
{
    private readonly StateDir _dir = new();

    protected override IStateStore Open() => _dir.Open();

    protected override IReadOnlyCollection<string> Errors => _dir.Errors;

    public void Dispose() => _dir.Dispose();
}
