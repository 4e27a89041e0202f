using Picomon.Checks;
using Picomon.State;
using Picomon.State.Postgres;

namespace Picomon.Tests.State;

/// <summary>Fencing: once a partition is taken over, what its previous holder writes is refused in the same
/// transaction, and the holder is told, once.</summary>
public sealed class PostgresFencingTests : IAsyncLifetime
{
    private readonly PostgresFixture _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public void A_write_under_an_old_epoch_is_refused_and_its_holder_told_once()
    {
        var fencedCalls = 0;
        using var old = _db.OpenStore(_db.Take(7, "node-a"), () => fencedCalls++);
        old.SaveCheck(StateDir.Check("http4/web", CheckStatus.Retrying, "timeout"));
        var taken = _db.Take(7, "node-b");

        old.SaveCheck(StateDir.Check("http4/web", CheckStatus.Error, "stale"));
        old.CommitTransition(StateDir.Check("http4/web", CheckStatus.Error, "stale"), [StateDir.Mail(1)]);
        old.Outbox.Enqueue(StateDir.Mail(2));

        Assert.Equal(1, fencedCalls);
        using var current = _db.OpenStore(taken);
        Assert.Equal([StateDir.Check("http4/web", CheckStatus.Retrying, "timeout")], current.LoadChecks());
        Assert.Equal(0, current.Outbox.Count);
        Assert.Equal(taken.Epoch, old.Fence.Epoch + 1);
        Assert.Empty(_db.Errors);
    }

    [Fact]
    public void A_notifier_that_was_taken_over_finds_nothing_to_send()
    {
        using var partition = _db.OpenStore(_db.Take(3, "node-a"));
        partition.CommitTransition(StateDir.Check("a", CheckStatus.Error, "down"), [StateDir.Mail(1)]);
        var fenced = false;
        using var oldNotifier = _db.OpenStore(_db.Take(Fence.NotifierPartition, "node-a"), () => fenced = true);
        StateDir.AssertSameMail(StateDir.Mail(1), oldNotifier.Outbox.Peek());

        using var newNotifier = _db.OpenStore(_db.Take(Fence.NotifierPartition, "node-b"));

        Assert.Null(oldNotifier.Outbox.Peek());
        oldNotifier.Outbox.MarkSent(StateDir.Mail(1));
        Assert.True(fenced);
        StateDir.AssertSameMail(StateDir.Mail(1), newNotifier.Outbox.Peek());
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
    public void A_failing_database_is_reported_once_and_the_state_kept_in_memory()
    {
        var unreachable = PostgresStateStore.Open(Npgsql.NpgsqlDataSource.Create($"Host=127.0.0.1;Port={DnsmasqServer.FreePort()};Username=x;Timeout=2"),
            new Fence(Fence.NotifierPartition, 1), e => _db.Errors.Add(e), _ => { }, () => { }, _db.Clock);

        unreachable.SaveCheck(StateDir.Check("a"));
        unreachable.SaveCheck(StateDir.Check("b"));
        _db.Clock.Advance(PostgresStateStore.RetryDelay);
        unreachable.Retry();

        Assert.Equal(["a", "b"], unreachable.LoadChecks().Select(c => c.Id));
        Assert.Null(unreachable.Outbox.Peek());
        var error = Assert.Single(_db.Errors);
        Assert.StartsWith("cannot write the state database (notifier (epoch 1)): ", error);
        Assert.EndsWith("; keeping the state in memory, will retry", error);
    }
}
