using Microsoft.Data.Sqlite;
using Picomon.Checks;
using Picomon.Notifications;
using Picomon.State;

namespace Picomon.Tests.State;

/// <summary>The notifier's state in SQLite: pending notifications committed with the check rows, each
/// channel's own ordered outbox, the messages that announced incidents, reminders — all surviving a kill -9, each
/// commit all or nothing.</summary>
public sealed class NotificationStoreTests : IDisposable
{
    private static readonly DateTimeOffset T = new(2026, 11, 24, 10, 2, 3, TimeSpan.FromHours(1));
    private readonly StateDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Notification Problem(string check, int incident = 1) =>
        new(NotificationKind.Problem, $"{check}#{incident}", check, "CheckHTTP4", check, CheckStatus.Error, T, T, "Connection refused ✗",
            TimeSpan.FromMinutes(1));

    private static Delivery Delivery(int n) =>
        new($"<d{n}@picomon.example>", "problem", $"Problem http4/web#{n}", $$"""{"n": {{n}}}""", "application/json",
            new Dictionary<string, string> { ["PICOMON_KIND"] = "problem", ["PICOMON_MESSAGE"] = "a\nb" }, T);

    /// <summary>What kill -9 leaves: the files as they are while the store is open, copied aside and opened.</summary>
    private SqliteStateStore OpenCrashCopy()
    {
        var crashed = Path.Combine(_dir.Root, $"crashed-{Guid.NewGuid():N}");
        Directory.CreateDirectory(crashed);
        foreach (var file in new[] { "picomon.db", "picomon.db-wal" }.Where(f => File.Exists(Path.Combine(_dir.Path, f))))
            File.Copy(Path.Combine(_dir.Path, file), Path.Combine(crashed, file));
        return _dir.Open(crashed);
    }

    [Fact]
    public void Transitions_and_their_notifications_are_pending_together_across_a_kill()
    {
        using var store = _dir.Open();
        var queued = store.CommitTransitions(
            [StateDir.Check("http4/a", CheckStatus.Error), StateDir.Check("http4/b", CheckStatus.Error)], [Problem("http4/a"), Problem("http4/b")]);

        using var restarted = OpenCrashCopy();

        Assert.Equal(["http4/a", "http4/b"], restarted.LoadChecks().Select(c => c.Id));
        Assert.Equal(queued, restarted.LoadPending());
        Assert.Equal(["http4/a#1", "http4/b#1"], restarted.LoadPending().Select(p => p.Notification.Incident));
        Assert.Equal(T.Offset, restarted.LoadPending()[0].Notification.At.Offset);
    }

    [Fact]
    public void A_pending_notification_that_cannot_be_written_takes_its_check_row_with_it()
    {
        using (var store = _dir.Open()) store.SaveCheck(StateDir.Check("http4/a", CheckStatus.Retrying, "timeout"));
        Execute("CREATE TRIGGER refuse BEFORE INSERT ON pending BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
        using var running = _dir.Open();

        running.CommitTransitions([StateDir.Check("http4/a", CheckStatus.Error)], [Problem("http4/a")]);

        Assert.Contains("injected failure", Assert.Single(_dir.Errors));
        Assert.Single(running.LoadPending());
        using var restarted = OpenCrashCopy();
        Assert.Equal(CheckStatus.Retrying, Assert.Single(restarted.LoadChecks()).Status);
        Assert.Empty(restarted.LoadPending());
    }

    [Fact]
    public void A_commit_releases_pending_notifications_into_outboxes_with_threads_and_reminders_at_once()
    {
        using var store = _dir.Open();
        var pending = store.CommitTransitions([StateDir.Check("http4/a", CheckStatus.Error)], [Problem("http4/a")]);
        var changes = new NotificationChanges();
        changes.Released.Add(pending[0].Seq);
        changes.Mails.Add(("ops", StateDir.Mail(1)));
        changes.Deliveries.Add(("hook", Delivery(1)));
        changes.Announced.Add(("ops", "http4/a#1", "http4/a", "<mail-1@picomon.example>"));
        changes.Announced.Add(("hook", "http4/a#1", "http4/a", "<d1@picomon.example>"));
        changes.Scheduled.Add(new ScheduledReminder("http4/a#1", "http4/a", T.AddHours(1)));
        changes.Queued.Add(Problem("http4/b"));

        var queued = store.Commit(changes);

        using var restarted = OpenCrashCopy();
        Assert.Equal(queued, restarted.LoadPending());
        Assert.Equal("http4/b#1", Assert.Single(restarted.LoadPending()).Notification.Incident);
        StateDir.AssertSameMail(StateDir.Mail(1), restarted.MailOutbox("ops").Peek());
        Assert.Equal(0, restarted.Outbox.Count);
        Assert.Equal(Delivery(1) with { Environment = restarted.DeliveryOutbox("hook").Peek()!.Environment }, restarted.DeliveryOutbox("hook").Peek());
        Assert.Equal(Delivery(1).Environment, restarted.DeliveryOutbox("hook").Peek()!.Environment);
        Assert.Equal(("<mail-1@picomon.example>", "<d1@picomon.example>", null),
            (restarted.AnnouncedBy("ops", "http4/a#1"), restarted.AnnouncedBy("hook", "http4/a#1"), restarted.AnnouncedBy("ops", "http4/b#1")));
        Assert.Equal(new ScheduledReminder("http4/a#1", "http4/a", T.AddHours(1)), Assert.Single(restarted.LoadReminders()));
    }

    [Fact]
    public void Closing_an_incident_ends_its_threads_and_reminder_even_when_announced_in_the_same_commit()
    {
        using var store = _dir.Open();
        var changes = new NotificationChanges();
        changes.Announced.Add(("ops", "http4/a#1", "http4/a", "<m1@x>"));
        changes.Announced.Add(("ops", "http4/b#1", "http4/b", "<m2@x>"));
        changes.Scheduled.Add(new ScheduledReminder("http4/a#1", "http4/a", T));
        changes.Closed.Add("http4/a#1");
        store.Commit(changes);

        using var restarted = OpenCrashCopy();
        Assert.Null(restarted.AnnouncedBy("ops", "http4/a#1"));
        Assert.Equal("<m2@x>", restarted.AnnouncedBy("ops", "http4/b#1"));
        Assert.Empty(restarted.LoadReminders());
    }

    [Fact]
    public void Each_channel_has_its_own_ordered_outbox_and_a_dead_letter_stays_with_its_reason()
    {
        using (var store = _dir.Open())
        {
            var changes = new NotificationChanges();
            foreach (var n in new[] { 1, 2, 3 }) changes.Deliveries.Add((n == 2 ? "page" : "hook", Delivery(n)));
            changes.Mails.Add(("ops", StateDir.Mail(4)));
            store.Commit(changes);
            store.DeliveryOutbox("hook").MarkSent(Delivery(1));
            store.DeliveryOutbox("page").DeadLetter(Delivery(2), "HTTP 400 Bad Request");
        }

        using var reopened = _dir.Open();
        Assert.Equal(["<d3@picomon.example>"], [reopened.DeliveryOutbox("hook").Peek()!.Id]);
        Assert.Equal(1, reopened.DeliveryOutbox("hook").Count);
        Assert.Equal((0, "HTTP 400 Bad Request"), (reopened.DeliveryOutbox("page").Count, Assert.Single(reopened.DeliveryOutbox("page").DeadLetters).Reason));
        Assert.Equal(1, reopened.MailOutbox("ops").Count);
        Assert.Equal(0, reopened.Outbox.Count);
    }

    [Fact]
    public void Forgetting_a_check_forgets_its_threads_and_reminders()
    {
        using (var store = _dir.Open())
        {
            var changes = new NotificationChanges();
            changes.Announced.Add(("ops", "gone#1", "gone", "<m1@x>"));
            changes.Announced.Add(("ops", "kept#2", "kept", "<m2@x>"));
            changes.Scheduled.Add(new ScheduledReminder("gone#1", "gone", T));
            changes.Scheduled.Add(new ScheduledReminder("kept#2", "kept", T));
            store.Commit(changes);
            store.ForgetChecksExcept(["kept"]);
            Assert.Null(store.AnnouncedBy("ops", "gone#1"));
        }

        using var reopened = _dir.Open();
        Assert.Null(reopened.AnnouncedBy("ops", "gone#1"));
        Assert.Equal("<m2@x>", reopened.AnnouncedBy("ops", "kept#2"));
        Assert.Equal(["kept#2"], reopened.LoadReminders().Select(r => r.Incident));
    }

    [Fact]
    public void After_a_failed_write_the_notifier_state_is_written_again_from_memory()
    {
        using (var store = _dir.Open())
        {
            File.Delete(_dir.DatabasePath);
            var changes = new NotificationChanges();
            changes.Deliveries.Add(("hook", Delivery(1)));
            changes.Mails.Add(("ops", StateDir.Mail(2)));
            changes.Announced.Add(("hook", "http4/a#1", "http4/a", "<d1@picomon.example>"));
            changes.Queued.Add(Problem("http4/b"));
            store.Commit(changes);
            Assert.Single(_dir.Errors);
            _dir.Clock.Advance(SqliteStateStore.RetryDelay);
            store.SaveCheck(StateDir.Check("c"));
            Assert.Single(_dir.Infos);
        }

        using var reopened = _dir.Open();
        Assert.Equal(1, reopened.DeliveryOutbox("hook").Count);
        Assert.Equal(1, reopened.MailOutbox("ops").Count);
        Assert.Equal("<d1@picomon.example>", reopened.AnnouncedBy("hook", "http4/a#1"));
        Assert.Single(reopened.LoadPending());
    }

    [Fact]
    public void A_version_2_database_keeps_its_queued_mails_in_the_email_outbox_and_its_open_problem_thread()
    {
        Directory.CreateDirectory(_dir.Path);
        using (var store = _dir.Open())
        {
            store.Outbox.Enqueue(StateDir.Mail(1));
            store.SaveCheck(StateDir.Check("http4/a", CheckStatus.Error) with { Incidents = 3 });
        }
        Execute("""
            ALTER TABLE checks DROP COLUMN flap_bits; ALTER TABLE checks DROP COLUMN flap_last_failed;
            ALTER TABLE checks DROP COLUMN flapping; ALTER TABLE checks DROP COLUMN ok_held;
            ALTER TABLE checks DROP COLUMN held_problem;
            DROP TABLE silences; DROP TABLE acks;
            DROP TABLE deliveries; DROP TABLE pending; DROP TABLE threads; DROP TABLE reminders; DROP INDEX outbox_by_channel;
            ALTER TABLE outbox DROP COLUMN channel; ALTER TABLE outbox DROP COLUMN refs;
            ALTER TABLE checks ADD COLUMN open_problem_message_id TEXT;
            UPDATE checks SET open_problem_message_id = '<p@x>';
            PRAGMA user_version = 2;
            """);

        using var reopened = _dir.Open();

        StateDir.AssertSameMail(StateDir.Mail(1), reopened.Outbox.Peek());
        Assert.Equal("<p@x>", reopened.AnnouncedBy("email", "http4/a#3"));
        Assert.Empty(_dir.Errors);
    }

    [Fact]
    public void A_version_1_database_gets_incidents_and_its_open_problem_mail_becomes_the_email_thread()
    {
        Directory.CreateDirectory(_dir.Path);
        Execute("""
            CREATE TABLE checks (id TEXT PRIMARY KEY NOT NULL, status TEXT NOT NULL, since TEXT NOT NULL,
                consecutive_failures INTEGER NOT NULL, last_message TEXT NOT NULL, error_since TEXT,
                open_problem_message_id TEXT) WITHOUT ROWID;
            CREATE TABLE outbox (seq INTEGER PRIMARY KEY, state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'dead')),
                message_id TEXT NOT NULL, sender TEXT NOT NULL, recipients TEXT NOT NULL, subject TEXT NOT NULL,
                body TEXT NOT NULL, in_reply_to TEXT, date TEXT NOT NULL, kind TEXT NOT NULL, check_id TEXT, reason TEXT,
                changed_ms INTEGER NOT NULL);
            CREATE INDEX outbox_by_state ON outbox (state, seq);
            INSERT INTO checks VALUES ('a', 'Error', '2026-11-24T10:02:03.0000000+01:00', 2, 'down',
                '2026-11-24T10:02:03.0000000+01:00', '<p@x>');
            INSERT INTO checks VALUES ('b', 'Ok', '2026-11-24T10:02:03.0000000+01:00', 0, '', NULL, NULL);
            INSERT INTO outbox VALUES (1, 'queued', '<q@x>', 'Picomon <p@example.org>', '["ops@example.org"]', 's', 'b', NULL,
                '2026-11-24T10:02:03.0000000+01:00', 'Problem', 'a', NULL, 0);
            PRAGMA user_version = 1;
            """);

        using var store = _dir.Open();

        Assert.Equal([("a", 1), ("b", 0)], store.LoadChecks().Select(c => (c.Id, c.Incidents)));
        Assert.Equal("<p@x>", store.AnnouncedBy("email", "a#1"));
        Assert.Equal(("<q@x>", null), (store.Outbox.Peek()?.MessageId, store.Outbox.Peek()?.Incident));
        store.CommitTransitions([StateDir.Check("b", CheckStatus.Error)], [Problem("b")]);
        Assert.Empty(_dir.Errors);
    }

    /// <summary>Changes the closed database behind the store's back.</summary>
    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_dir.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
