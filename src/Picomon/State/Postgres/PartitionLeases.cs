using Npgsql;

namespace Picomon.State.Postgres;

/// <summary>Taking, keeping and giving back partitions (and the notifier's row) in PostgreSQL: the fencing epochs.
/// A partition is taken only when its holder is gone — released it, is no longer a cluster member as this node sees
/// the cluster, or has not written its heartbeat for <see cref="Lease"/> — so a node that wakes from a pause with an
/// old view of the cluster cannot take back what the others took over. Each take increments the epoch; writes carry
/// the epoch they were taken with (<see cref="Fence"/>). Calls block on the database and may throw its errors
/// (<see cref="PostgresDatabase.IsDatabaseError"/>).</summary>
/// <param name="owner">This node's unique address (with its incarnation), as the cluster names it.</param>
public sealed class PartitionLeases(NpgsqlDataSource dataSource, string owner)
{
    /// <summary>A holder that has not written its heartbeat for this long has lost its partitions.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    /// <summary>How a take went.</summary>
    /// <param name="Fence">The new fence when taken; null when another holder keeps it.</param>
    /// <param name="Holder">Who keeps it, when not taken.</param>
    /// <param name="Failover">The previous holder did not release it and was alive recently: its checks were running a
    /// moment ago and should run again at once rather than over a base tick.</param>
    public sealed record Take(Fence? Fence, string? Holder, bool Failover);

    public string Owner => owner;

    /// <param name="isMember">Whether an owner is still a member of the cluster, as this node sees it now.</param>
    public Take TryTake(int partition, Func<string, bool> isMember)
    {
        using var connection = dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        PostgresSchema.Execute(connection, transaction,
            "INSERT INTO partitions (partition, epoch) VALUES (@p, 0) ON CONFLICT (partition) DO NOTHING", ("p", partition));
        using (var read = PostgresSchema.Command(connection, transaction,
                   "SELECT epoch, owner, now() - heartbeat_at FROM partitions WHERE partition = @p FOR UPDATE", ("p", partition)))
        using (var row = read.ExecuteReader())
        {
            row.Read();
            var holder = row.IsDBNull(1) ? null : row.GetString(1);
            TimeSpan? silent = row.IsDBNull(2) ? null : row.GetTimeSpan(2);
            row.Close();
            var expired = silent is null || silent > Lease;
            if (holder is not null && holder != owner && isMember(holder) && !expired)
                return new Take(null, holder, false);
            var epoch = (long)PostgresSchema.Scalar(connection, transaction,
                "UPDATE partitions SET epoch = epoch + 1, owner = @o, heartbeat_at = now() WHERE partition = @p RETURNING epoch",
                ("o", owner), ("p", partition))!;
            transaction.Commit();
            return new Take(new Fence(partition, epoch), null, holder is not null && holder != owner && !expired);
        }
    }

    /// <summary>Renews the lease; false when the fence is no longer the partition's (it was taken over).</summary>
    public bool Heartbeat(Fence fence)
    {
        using var connection = dataSource.OpenConnection();
        return PostgresSchema.Execute(connection, null,
            "UPDATE partitions SET heartbeat_at = now() WHERE partition = @p AND epoch = @e AND owner = @o",
            ("p", fence.Partition), ("e", fence.Epoch), ("o", owner)) == 1;
    }

    /// <summary>Gives the partition back (a graceful hand-over): the next holder takes it at once.</summary>
    public void Release(Fence fence)
    {
        using var connection = dataSource.OpenConnection();
        PostgresSchema.Execute(connection, null,
            "UPDATE partitions SET owner = NULL WHERE partition = @p AND epoch = @e AND owner = @o",
            ("p", fence.Partition), ("e", fence.Epoch), ("o", owner));
    }

    /// <summary>Who holds each partition now, by partition (the status's node column).</summary>
    public IReadOnlyDictionary<int, string> Holders()
    {
        using var connection = dataSource.OpenConnection();
        using var command = PostgresSchema.Command(connection, null, "SELECT partition, owner FROM partitions WHERE owner IS NOT NULL");
        using var row = command.ExecuteReader();
        var holders = new Dictionary<int, string>();
        while (row.Read()) holders[row.GetInt32(0)] = row.GetString(1);
        return holders;
    }
}
