using Picomon.Checks;
using Picomon.State;

namespace Picomon.Tests.State;

/// <summary>The state database failing while Picomon runs: no call throws, one ERROR per burst, the state
/// is kept in memory and written again once the database can be used.</summary>
public sealed class StateStoreFailureTests : IDisposable
{
    private readonly StateDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_deleted_database_is_reported_once_and_the_state_is_served_from_memory()
    {
        using var store = _dir.Open();
        store.SaveCheck(StateDir.Check("a"));
        store.Outbox.Enqueue(StateDir.Mail(1));

        File.Delete(_dir.DatabasePath);
        for (var n = 0; n < 1000; n++) store.SaveCheck(StateDir.Check("b", CheckStatus.Retrying, $"failure {n}"));
        store.Outbox.Enqueue(StateDir.Mail(2));
        store.Outbox.MarkSent(StateDir.Mail(1));
        store.Outbox.DeadLetter(StateDir.Mail(3), "554 refused");

        var error = Assert.Single(_dir.Errors);
        Assert.Equal($"cannot write state database {_dir.DatabasePath}: the file was deleted while in use; keeping the state in memory, will retry",
            error);
        Assert.Equal(["a", "b"], store.LoadChecks().Select(c => c.Id));
        Assert.Equal("failure 999", store.LoadChecks()[1].LastMessage);
        StateDir.AssertSameMail(StateDir.Mail(2), store.Outbox.Peek());
        Assert.Equal(1, store.Outbox.Count);
        Assert.Equal("554 refused", Assert.Single(store.Outbox.DeadLetters).Reason);
        Assert.Empty(_dir.Infos);
    }

    [Fact]
    public void A_deleted_database_is_written_again_from_memory_after_the_retry_delay()
    {
        using (var store = _dir.Open())
        {
            store.SaveCheck(StateDir.Check("a"));
            store.Outbox.Enqueue(StateDir.Mail(1));
            File.Delete(_dir.DatabasePath);
            store.SaveCheck(StateDir.Check("b", CheckStatus.Error, "Connection refused"));
            store.Outbox.Enqueue(StateDir.Mail(2));
            _dir.Clock.Advance(SqliteStateStore.RetryDelay - TimeSpan.FromMilliseconds(1));
            store.Outbox.DeadLetter(StateDir.Mail(1), "554 refused");
            Assert.Empty(_dir.Infos);
            Assert.False(File.Exists(_dir.DatabasePath));

            _dir.Clock.Advance(TimeSpan.FromMilliseconds(1));
            store.SaveCheck(StateDir.Check("c"));

            Assert.Equal($"state database writable again: {_dir.DatabasePath}", Assert.Single(_dir.Infos));
            store.SaveCheck(StateDir.Check("d"));
        }

        using var reopened = _dir.Open();
        Assert.Equal(["a", "b", "c", "d"], reopened.LoadChecks().Select(c => c.Id));
        Assert.Equal((CheckStatus.Error, "Connection refused"), (reopened.LoadChecks()[1].Status, reopened.LoadChecks()[1].LastMessage));
        StateDir.AssertSameMail(StateDir.Mail(2), reopened.Outbox.Peek());
        Assert.Equal(1, reopened.Outbox.Count);
        Assert.Equal("554 refused", Assert.Single(reopened.Outbox.DeadLetters).Reason);
        Assert.Single(_dir.Errors);
    }

    [Fact]
    public void The_journal_of_a_deleted_database_is_not_replayed_into_the_new_one()
    {
        // The deleted file's WAL stays beside it; SQLite drops a WAL it finds next to an empty database.
        using (var store = _dir.Open())
            for (var n = 0; n < 300; n++) store.SaveCheck(StateDir.Check($"check-{n:D3}", CheckStatus.Error, new string('x', 200)));
        using (var store = _dir.Open())
        {
            // Only these changes are in the WAL (the file grows: page 1 too); the rest is in the file about to go.
            store.SaveCheck(StateDir.Check("check-000"));
            for (var n = 300; n < 320; n++) store.SaveCheck(StateDir.Check($"check-{n:D3}", CheckStatus.Error, new string('x', 200)));
            File.Delete(_dir.DatabasePath);
            store.SaveCheck(StateDir.Check("check-001"));
            _dir.Clock.Advance(SqliteStateStore.RetryDelay);
            store.SaveCheck(StateDir.Check("check-002"));
            Assert.Single(_dir.Infos);
        }

        using var reopened = _dir.Open();
        Assert.Equal(320, reopened.LoadChecks().Count);
        Assert.Equal(CheckStatus.Ok, reopened.LoadChecks()[2].Status);
    }

    [Fact]
    public void A_vanished_state_dir_is_created_again_on_retry()
    {
        using (var store = _dir.Open())
        {
            store.Outbox.Enqueue(StateDir.Mail(1));
            Directory.Delete(_dir.Path, recursive: true);
            store.Outbox.Enqueue(StateDir.Mail(2));
            _dir.Clock.Advance(SqliteStateStore.RetryDelay);
            store.Outbox.Enqueue(StateDir.Mail(3));
        }

        using var reopened = _dir.Open();
        Assert.Equal(3, reopened.Outbox.Count);
        StateDir.AssertSameMail(StateDir.Mail(1), reopened.Outbox.Peek());
        Assert.Single(_dir.Errors);
        Assert.Single(_dir.Infos);
    }

    [Fact]
    public void Failed_retries_stay_quiet_and_closing_reports_what_is_lost()
    {
        var store = _dir.Open();
        store.SaveCheck(StateDir.Check("a"));
        store.Outbox.Enqueue(StateDir.Mail(1));
        Directory.Delete(_dir.Path, recursive: true);
        File.WriteAllText(_dir.Path, "a file where the state-dir was");

        for (var n = 0; n < 3; n++)
        {
            _dir.Clock.Advance(SqliteStateStore.RetryDelay);
            store.SaveCheck(StateDir.Check("a", CheckStatus.Retrying, "timeout"));
        }
        Assert.Single(_dir.Errors);
        Assert.Equal("timeout", Assert.Single(store.LoadChecks()).LastMessage);

        store.Dispose();
        store.SaveCheck(StateDir.Check("late"));

        Assert.Equal(2, _dir.Errors.Count);
        Assert.Equal($"state not saved to {_dir.DatabasePath}: 1 check state(s) and 1 queued notification(s) are lost", _dir.Errors[1]);
        Assert.Empty(_dir.Infos);
    }

    [Fact]
    public void Closing_saves_what_a_failure_left_only_in_memory()
    {
        using (var store = _dir.Open())
        {
            File.Delete(_dir.DatabasePath);
            store.Outbox.Enqueue(StateDir.Mail(1));
        }

        using var reopened = _dir.Open();
        StateDir.AssertSameMail(StateDir.Mail(1), reopened.Outbox.Peek());
        Assert.Single(_dir.Infos);
    }
}
