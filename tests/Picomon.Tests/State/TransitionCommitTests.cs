using Microsoft.Data.Sqlite;
using Picomon.Checks;
using Picomon.Notifications;
using Picomon.State;

namespace Picomon.Tests.State;

/// <summary>Each write of the state store is one SQLite transaction: the aggregator's batch of check rows with their
/// pending notifications, and each notifier commit (pending released into the outboxes, with threads and reminders).
/// After a crash all of a write is there, or none of it. (Migrations and the simple cases: NotificationStoreTests.)</summary>
public sealed class TransitionCommitTests : IDisposable
{
    private static readonly DateTimeOffset T = new(2026, 11, 24, 10, 2, 3, TimeSpan.FromHours(1));
    private readonly StateDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static StoredCheck InError(string id, int incident, string message = "Connection refused") =>
        StateDir.Check(id, CheckStatus.Error, message) with { Incidents = incident };

    private static Notification Problem(string check, int incident, string message = "Connection refused") =>
        new(NotificationKind.Problem, $"{check}#{incident}", check, "CheckHTTP4", check, CheckStatus.Error, T, T, message,
            TimeSpan.FromMinutes(1));

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
    public void A_transition_row_and_its_notifications_survive_a_kill_together_as_written()
    {
        using var store = _dir.Open();
        store.CommitTransitions([InError("http4/web", 3)], [Problem("http4/web", 3), Problem("http4/web", 3, "second")]);

        using var restarted = OpenCrashCopy();

        Assert.Equal(InError("http4/web", 3), Assert.Single(restarted.LoadChecks()));
        Assert.Equal([Problem("http4/web", 3), Problem("http4/web", 3, "second")], restarted.LoadPending().Select(p => p.Notification));
        Assert.Empty(_dir.Errors);
    }

    [Fact]
    public void A_notification_that_cannot_be_written_takes_every_row_of_its_batch_with_it()
    {
        using (var store = _dir.Open()) store.SaveCheck(StateDir.Check("http4/a", CheckStatus.Retrying, "timeout"));
        Execute("""
            CREATE TRIGGER refuse_poison BEFORE INSERT ON pending WHEN NEW.notification LIKE '%poison%'
            BEGIN SELECT RAISE(ABORT, 'injected failure'); END
            """);
        using var running = _dir.Open();

        running.CommitTransitions([InError("http4/a", 1), InError("http4/b", 1, "poison")],
            [Problem("http4/a", 1), Problem("http4/b", 1, "poison")]);

        Assert.Contains("injected failure", Assert.Single(_dir.Errors));
        // The running store keeps all of it in memory, to write it again later…
        Assert.Equal([CheckStatus.Error, CheckStatus.Error], running.LoadChecks().Select(c => c.Status));
        Assert.Equal(2, running.LoadPending().Count);
        // …but on disk the batch was rolled back as a whole: a crash now finds a still retrying and b unknown.
        using var restarted = OpenCrashCopy();
        Assert.Equal(StateDir.Check("http4/a", CheckStatus.Retrying, "timeout"), Assert.Single(restarted.LoadChecks()));
        Assert.Empty(restarted.LoadPending());
    }

    [Fact]
    public void A_notifier_commit_that_cannot_be_written_leaves_its_notifications_pending_on_disk()
    {
        using (var store = _dir.Open()) store.CommitTransitions([InError("http4/a", 1)], [Problem("http4/a", 1)]);
        Execute("CREATE TRIGGER refuse BEFORE INSERT ON deliveries BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
        using var running = _dir.Open();
        var changes = new NotificationChanges();
        changes.Released.Add(Assert.Single(running.LoadPending()).Seq);
        changes.Mails.Add(("ops", StateDir.Mail(1)));
        changes.Deliveries.Add(("hook", new Delivery("<d1@x>", "problem", "Problem http4/a#1", "{}", "application/json", new Dictionary<string, string>(), T)));
        changes.Announced.Add(("ops", "http4/a#1", "http4/a", "<mail-1@picomon.example>"));
        changes.Scheduled.Add(new ScheduledReminder("http4/a#1", "http4/a", T.AddHours(1)));

        running.Commit(changes);

        Assert.Contains("injected failure", Assert.Single(_dir.Errors));
        Assert.Equal((0, 1, 1), (running.LoadPending().Count, running.MailOutbox("ops").Count, running.DeliveryOutbox("hook").Count));
        using var restarted = OpenCrashCopy();
        Assert.Equal(Problem("http4/a", 1), Assert.Single(restarted.LoadPending()).Notification);
        Assert.Equal((0, 0), (restarted.MailOutbox("ops").Count, restarted.DeliveryOutbox("hook").Count));
        Assert.Null(restarted.AnnouncedBy("ops", "http4/a#1"));
        Assert.Empty(restarted.LoadReminders());
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
