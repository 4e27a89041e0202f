using Picomon.Checks;
using Picomon.Mail;
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
            new DateTimeOffset(2026, 11, 24, 9, 58, 0, TimeSpan.FromHours(-5.5)), "<problem-1@picomon.example>", 7);
        var retrying = new StoredCheck("dns/ns1", CheckStatus.Retrying,
            new DateTimeOffset(2026, 3, 29, 1, 59, 59, TimeSpan.FromHours(2)), 1, "timeout", null, null, 2);
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

    [Fact]
    public void A_transition_and_its_mails_are_kept_together_and_the_mails_queue_in_order()
    {
        var inError = StateDir.Check("http4/web", CheckStatus.Error, "Connection refused") with { Incidents = 3 };
        using (var store = Open())
        {
            store.Outbox.Enqueue(StateDir.Mail(1));
            store.CommitTransition(inError, [StateDir.Mail(2) with { Incident = "http4/web#3" }, StateDir.Mail(3)]);
        }

        using var reopened = Open();

        Assert.Equal([inError], reopened.LoadChecks());
        Assert.Equal(3, reopened.Outbox.Count);
        foreach (var mail in new[] { StateDir.Mail(1), StateDir.Mail(2) with { Incident = "http4/web#3" }, StateDir.Mail(3) })
        {
            StateDir.AssertSameMail(mail, reopened.Outbox.Peek());
            reopened.Outbox.MarkSent(mail);
        }
        Assert.Null(reopened.Outbox.Peek());
        Assert.Equal(0, reopened.Outbox.Count);
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
