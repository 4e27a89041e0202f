using Microsoft.Data.Sqlite;
using Picomon.Checks;
using Picomon.Mail;
using Picomon.State;

namespace Picomon.Tests.State;

/// <summary>A transition's check row and its mails are one SQLite transaction: after a crash both are there, or
/// neither is.</summary>
public sealed class TransitionCommitTests : IDisposable
{
    private readonly StateDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static StoredCheck InError(string id, int incident) =>
        StateDir.Check(id, CheckStatus.Error, "Connection refused") with { Incidents = incident };

    private static OutgoingMail ProblemMail(int n, string incident) => StateDir.Mail(n) with { Incident = incident };

    /// <summary>What kill -9 leaves: the files as they are while the store is open, copied aside and opened.</summary>
    private SqliteStateStore OpenCrashCopy()
    {
        var crashed = Path.Combine(_dir.Root, "crashed");
        Directory.CreateDirectory(crashed);
        foreach (var file in new[] { "picomon.db", "picomon.db-wal" }.Where(f => File.Exists(Path.Combine(_dir.Path, f))))
            File.Copy(Path.Combine(_dir.Path, file), Path.Combine(crashed, file));
        return _dir.Open(crashed);
    }

    [Fact]
    public void A_transition_and_its_mails_survive_a_kill_together()
    {
        using var store = _dir.Open();
        store.Outbox.Enqueue(StateDir.Mail(1));
        store.CommitTransition(InError("http4/web", 3), [ProblemMail(2, "http4/web#3"), ProblemMail(3, "http4/web#3")]);

        using var restarted = OpenCrashCopy();

        Assert.Equal(InError("http4/web", 3), Assert.Single(restarted.LoadChecks()));
        Assert.Equal(3, restarted.Outbox.Count);
        StateDir.AssertSameMail(StateDir.Mail(1), restarted.Outbox.Peek());
        restarted.Outbox.MarkSent(StateDir.Mail(1));
        StateDir.AssertSameMail(ProblemMail(2, "http4/web#3"), restarted.Outbox.Peek());
        Assert.Empty(_dir.Errors);
    }

    [Fact]
    public void A_mail_that_cannot_be_written_takes_its_check_row_with_it()
    {
        using (var store = _dir.Open()) store.SaveCheck(StateDir.Check("http4/web", CheckStatus.Retrying, "timeout"));
        Execute("""
            CREATE TRIGGER refuse_poison BEFORE INSERT ON outbox WHEN NEW.subject LIKE '%poison%'
            BEGIN SELECT RAISE(ABORT, 'injected failure'); END
            """);
        using var running = _dir.Open();

        running.CommitTransition(InError("http4/web", 1), [ProblemMail(1, "http4/web#1") with { Subject = "poison" }]);

        Assert.Contains("injected failure", Assert.Single(_dir.Errors));
        // The running store keeps both in memory, to write them again later…
        Assert.Equal(CheckStatus.Error, Assert.Single(running.LoadChecks()).Status);
        Assert.Equal(1, running.Outbox.Count);
        // …but on disk the row was rolled back with the mail: a crash now finds the check still retrying.
        using var restarted = OpenCrashCopy();
        Assert.Equal(StateDir.Check("http4/web", CheckStatus.Retrying, "timeout"), Assert.Single(restarted.LoadChecks()));
        Assert.Equal(0, restarted.Outbox.Count);
    }

    [Fact]
    public void A_version_1_database_gets_incidents_and_a_check_in_error_is_in_its_first()
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
            INSERT INTO outbox VALUES (1, 'queued', '<p@x>', 'Picomon <p@example.org>', '["ops@example.org"]', 's', 'b', NULL,
                '2026-11-24T10:02:03.0000000+01:00', 'Problem', 'a', NULL, 0);
            PRAGMA user_version = 1;
            """);

        using var store = _dir.Open();

        Assert.Equal([("a", 1), ("b", 0)], store.LoadChecks().Select(c => (c.Id, c.Incidents)));
        Assert.Equal(("<p@x>", null), (store.Outbox.Peek()?.MessageId, store.Outbox.Peek()?.Incident));
        store.CommitTransition(InError("b", 1), [ProblemMail(2, "b#1")]);
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
