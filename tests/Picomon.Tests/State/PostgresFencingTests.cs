using Picomon.Checks;
using Picomon.State;
using Picomon.Notifications;
using Picomon.State.Postgres;

namespace Picomon.Tests.State;

/// <summary>Fencing: once a partition is taken over, what its previous holder writes is refused in the same
/// transaction, and the holder is told, once.</summary>
public sealed class PostgresFencingTests : IAsyncLifetime
{
    private readonly PostgresFixture _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    private static Notification Problem(string check) =>
        new(NotificationKind.Problem, $"{check}#1", check, "CheckHTTP4", check, CheckStatus.Error, DateTimeOffset.UnixEpoch,
            DateTimeOffset.UnixEpoch, "down", TimeSpan.FromMinutes(1));

    [Fact]
    public void A_write_under_an_old_epoch_is_refused_and_its_holder_told_once()
    {
        var fencedCalls = 0;
        using var old = _db.OpenStore(_db.Take(7, "node-a"), () => fencedCalls++);
        old.SaveCheck(StateDir.Check("http4/web", CheckStatus.Retrying, "timeout"));
        var taken = _db.Take(7, "node-b");

        old.SaveCheck(StateDir.Check("http4/web", CheckStatus.Error, "stale"));
        old.CommitTransitions([StateDir.Check("http4/web", CheckStatus.Error, "stale")], [Problem("http4/web")]);
        old.Outbox.Enqueue(StateDir.Mail(2));

        Assert.Equal(1, fencedCalls);
        using var current = _db.OpenStore(taken);
        Assert.Equal([StateDir.Check("http4/web", CheckStatus.Retrying, "timeout")], current.LoadChecks());
        Assert.Equal(0, current.Outbox.Count);
        Assert.Empty(current.LoadPending());
        Assert.Equal(taken.Epoch, old.Fence.Epoch + 1);
        Assert.Empty(_db.Errors);
    }

    [Fact]
    public void A_notifier_that_was_taken_over_finds_nothing_to_send()
    {
        using var partition = _db.OpenStore(_db.Take(3, "node-a"));
        partition.CommitTransitions([StateDir.Check("a", CheckStatus.Error, "down")], [Problem("a")]);
        var fenced = 0;
        using var oldNotifier = _db.OpenStore(_db.Take(Fence.NotifierPartition, "node-a"), () => fenced++);
        var pending = Assert.Single(oldNotifier.LoadPending());
        var changes = new NotificationChanges();
        changes.Released.Add(pending.Seq);
        changes.Mails.Add(("email", StateDir.Mail(1)));
        oldNotifier.Commit(changes);
        StateDir.AssertSameMail(StateDir.Mail(1), oldNotifier.Outbox.Peek());

        using var newNotifier = _db.OpenStore(_db.Take(Fence.NotifierPartition, "node-b"));

        Assert.Null(oldNotifier.Outbox.Peek());
        oldNotifier.Outbox.MarkSent(StateDir.Mail(1));
        Assert.Empty(oldNotifier.Commit(new NotificationChanges { Queued = { Problem("b") } }));
        Assert.Equal(1, fenced);
        StateDir.AssertSameMail(StateDir.Mail(1), newNotifier.Outbox.Peek());
        Assert.Empty(newNotifier.LoadPending());
    }

    [Fact]
    public async Task A_take_waits_for_a_write_under_way_and_its_holder_then_reads_that_write()
    {
        using var old = _db.OpenStore(_db.Take(9, "node-a"));
        var row = StateDir.Check("tcp4/db", CheckStatus.Error, "refused");
        Task<Fence>? take = null;
        // The old holder's write holds the partition row while it runs: the take started meanwhile must wait for it.
        old.Write(null, (connection, transaction) =>
        {
            take = Task.Run(() => _db.Take(9, "node-b"));
            Assert.False(take.Wait(TimeSpan.FromMilliseconds(300)));
            PostgresSchema.Execute(connection, transaction,
                "INSERT INTO checks (id, partition, status, since, consecutive_failures, last_message, incidents) VALUES (@id, 9, 'Error', @since, 3, 'refused', 1)",
                ("id", row.Id), ("since", PostgresSchema.Time(row.Since)));
            return 0;
        }, 0);

        using var current = _db.OpenStore(await take!);
        Assert.Equal("refused", Assert.Single(current.LoadChecks()).LastMessage);
    }

    [Fact]
    public void A_failing_database_is_reported_once_and_nothing_throws()
    {
        // The notifier's store: it opens without reading (a partition's reads its rows, and would throw here).
        var unreachable = PostgresStateStore.Open(Npgsql.NpgsqlDataSource.Create($"Host=127.0.0.1;Port={DnsmasqServer.FreePort()};Username=x;Timeout=2"),
            new Fence(Fence.NotifierPartition, 1), e => _db.Errors.Add(e), _ => { }, () => { }, _db.Clock);

        unreachable.SaveCheck(StateDir.Check("a"));
        unreachable.SaveCheck(StateDir.Check("b"));
        _db.Clock.Advance(PostgresStateStore.RetryDelay);
        unreachable.Retry();

        Assert.Empty(unreachable.CommitTransitions([StateDir.Check("c", CheckStatus.Error)], [Problem("c")]));
        Assert.Empty(unreachable.LoadChecks());
        Assert.Empty(unreachable.LoadPending());
        Assert.Null(unreachable.Outbox.Peek());
        var error = Assert.Single(_db.Errors);
        Assert.StartsWith("cannot write the state database (notifier (epoch 1)): ", error);
        Assert.EndsWith("; keeping the state in memory, will retry", error);
    }
}
