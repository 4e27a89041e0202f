using Microsoft.Data.Sqlite;
using Picomon.Checks;
using Picomon.Mail;
using Picomon.State;

namespace Picomon.Tests.State;

public sealed class SqliteOutboxTests : IDisposable
{
    private readonly StateDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Queued_mails_come_back_in_order_with_every_field_after_a_reopen()
    {
        var mails = new[] { StateDir.Mail(3), StateDir.Mail(1), StateDir.Mail(2, inReplyTo: "<mail-3@picomon.example>") };
        using (var store = _dir.Open())
            foreach (var mail in mails) store.Outbox.Enqueue(mail);

        using var reopened = _dir.Open();

        Assert.Equal(3, reopened.Outbox.Count);
        foreach (var mail in mails)
        {
            StateDir.AssertSameMail(mail, reopened.Outbox.Peek());
            reopened.Outbox.MarkSent(mail);
        }
        Assert.Null(reopened.Outbox.Peek());
    }

    [Fact]
    public void New_mails_queue_behind_the_restored_ones()
    {
        using (var store = _dir.Open())
        {
            store.Outbox.Enqueue(StateDir.Mail(1));
            store.Outbox.Enqueue(StateDir.Mail(2));
            store.Outbox.MarkSent(StateDir.Mail(2));
        }
        using (var store = _dir.Open()) store.Outbox.Enqueue(StateDir.Mail(3));

        using var reopened = _dir.Open();

        Assert.Equal(["<mail-1@picomon.example>", "<mail-3@picomon.example>"], Drain(reopened.Outbox));
    }

    [Fact]
    public void MarkSent_removes_only_that_mail_for_good()
    {
        using (var store = _dir.Open())
        {
            for (var n = 1; n <= 3; n++) store.Outbox.Enqueue(StateDir.Mail(n));
            store.Outbox.MarkSent(StateDir.Mail(2));
            store.Outbox.MarkSent(StateDir.Mail(7));
            Assert.Equal(2, store.Outbox.Count);
        }

        using var reopened = _dir.Open();

        Assert.Equal(["<mail-1@picomon.example>", "<mail-3@picomon.example>"], Drain(reopened.Outbox));
    }

    [Fact]
    public void Dead_letters_survive_a_reopen_with_their_reason()
    {
        using (var store = _dir.Open())
        {
            for (var n = 1; n <= 3; n++) store.Outbox.Enqueue(StateDir.Mail(n));
            store.Outbox.DeadLetter(StateDir.Mail(2), "550 5.1.1 <oncall@example.org>: Recipient address rejected");
            store.Outbox.DeadLetter(StateDir.Mail(9), "554 5.7.1 Message refused");
        }

        using var reopened = _dir.Open();

        Assert.Equal(["<mail-1@picomon.example>", "<mail-3@picomon.example>"], Drain(reopened.Outbox));
        var dead = reopened.Outbox.DeadLetters;
        Assert.Equal(["550 5.1.1 <oncall@example.org>: Recipient address rejected", "554 5.7.1 Message refused"], dead.Select(d => d.Reason));
        StateDir.AssertSameMail(StateDir.Mail(2), dead[0].Mail);
        StateDir.AssertSameMail(StateDir.Mail(9), dead[1].Mail);
    }

    [Fact]
    public void Queued_mails_survive_a_kill_of_the_process()
    {
        var crashed = Path.Combine(_dir.Root, "crashed");
        Directory.CreateDirectory(crashed);
        var store = _dir.Open();
        for (var n = 1; n <= 3; n++) store.Outbox.Enqueue(StateDir.Mail(n));
        store.Outbox.MarkSent(StateDir.Mail(1));
        store.SaveCheck(StateDir.Check("http4/web", CheckStatus.Error, "Connection refused"));

        // What kill -9 leaves: the files as they are while the store is open, the last commits only in the WAL.
        Assert.True(new FileInfo(_dir.DatabasePath + "-wal").Length > 0);
        foreach (var file in new[] { "picomon.db", "picomon.db-wal" })
            File.Copy(Path.Combine(_dir.Path, file), Path.Combine(crashed, file));
        using var restarted = _dir.Open(crashed);
        store.Dispose();

        Assert.Equal(["<mail-2@picomon.example>", "<mail-3@picomon.example>"], Drain(restarted.Outbox));
        Assert.Equal(CheckStatus.Error, restarted.LoadChecks().Single().Status);
    }

    [Fact]
    public void The_sent_history_keeps_the_last_thousand_mails()
    {
        using (var store = _dir.Open())
            for (var n = 1; n <= SqliteOutbox.SentHistory + 150; n++)
            {
                store.Outbox.Enqueue(StateDir.Mail(n));
                store.Outbox.MarkSent(StateDir.Mail(n));
            }
        _dir.Open().Dispose();

        Assert.Equal(SqliteOutbox.SentHistory, Rows("state = 'sent'"));
        Assert.Equal(0, Rows("message_id = '<mail-150@picomon.example>'"));
        Assert.Equal(1, Rows("message_id = '<mail-151@picomon.example>'"));
    }

    [Fact]
    public void Sent_mails_older_than_a_week_are_pruned_but_queued_and_dead_ones_stay()
    {
        using (var store = _dir.Open())
        {
            for (var n = 1; n <= 4; n++) store.Outbox.Enqueue(StateDir.Mail(n));
            store.Outbox.MarkSent(StateDir.Mail(1));
            store.Outbox.DeadLetter(StateDir.Mail(2), "554 refused");
            _dir.Clock.Advance(SqliteOutbox.SentHistoryAge - TimeSpan.FromHours(1));
            store.Outbox.MarkSent(StateDir.Mail(3));
        }
        _dir.Clock.Advance(TimeSpan.FromHours(2));
        _dir.Open().Dispose();

        Assert.Equal(0, Rows("message_id = '<mail-1@picomon.example>'"));
        Assert.Equal(1, Rows("message_id = '<mail-3@picomon.example>' AND state = 'sent'"));
        Assert.Equal(1, Rows("message_id = '<mail-2@picomon.example>' AND state = 'dead'"));
        Assert.Equal(1, Rows("message_id = '<mail-4@picomon.example>' AND state = 'queued'"));
    }

    private static List<string> Drain(IOutbox outbox)
    {
        var ids = new List<string>();
        while (outbox.Peek() is { } mail)
        {
            ids.Add(mail.MessageId);
            outbox.MarkSent(mail);
        }
        return ids;
    }

    private long Rows(string where)
    {
        using var connection = new SqliteConnection($"Data Source={_dir.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM outbox WHERE {where}";
        return (long)command.ExecuteScalar()!;
    }
}
