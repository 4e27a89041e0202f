using Picomon.State;
using Picomon.State.Postgres;

namespace Picomon.Tests.State;

/// <summary>Who may take a partition: never from a holder that is still a member with a fresh heartbeat.</summary>
public sealed class PartitionLeasesTests : IAsyncLifetime
{
    private readonly PostgresFixture _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    private PartitionLeases Node(string name) => new(_db.DataSource, name);

    [Fact]
    public void A_free_partition_is_taken_at_epoch_one_as_a_cold_start()
    {
        var take = Node("a").TryTake(0, _ => true);
        Assert.Equal(new Fence(0, 1), take.Fence);
        Assert.False(take.Failover);
    }

    [Fact]
    public void A_partition_held_by_a_live_member_is_not_taken()
    {
        Node("a").TryTake(4, _ => true);

        var take = Node("b").TryTake(4, owner => owner == "a");

        Assert.Null(take.Fence);
        Assert.Equal("a", take.Holder);
    }

    [Fact]
    public void A_partition_whose_holder_left_the_cluster_is_taken_over_as_a_failover()
    {
        var first = Node("a").TryTake(4, _ => true).Fence!;

        var take = Node("b").TryTake(4, _ => false);

        Assert.Equal(first with { Epoch = first.Epoch + 1 }, take.Fence);
        Assert.True(take.Failover);
        Assert.False(Node("a").Heartbeat(first));
        Assert.True(Node("b").Heartbeat(take.Fence!));
    }

    [Fact]
    public void A_released_partition_is_taken_at_once_and_not_as_a_failover()
    {
        var leases = Node("a");
        leases.Release(leases.TryTake(2, _ => true).Fence!);

        var take = Node("b").TryTake(2, _ => true);

        Assert.NotNull(take.Fence);
        Assert.False(take.Failover);
        Assert.Equal(new Dictionary<int, string> { [2] = "b" }, Node("b").Holders());
    }

    [Fact]
    public void A_holder_silent_for_longer_than_the_lease_loses_its_partition_even_as_a_member()
    {
        Node("a").TryTake(6, _ => true);
        _db.Scalar($"UPDATE partitions SET heartbeat_at = now() - interval '{PartitionLeases.Lease.TotalSeconds + 1} seconds'");

        var take = Node("b").TryTake(6, _ => true);

        Assert.NotNull(take.Fence);
        Assert.False(take.Failover);
    }
}
