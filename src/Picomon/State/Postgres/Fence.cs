namespace Picomon.State.Postgres;

/// <summary>The right to write for one partition (or for the notifier, <see cref="NotifierPartition"/>): its number and
/// the epoch this holder got when it took it. Taking a partition increments its epoch in PostgreSQL; every write
/// checks, in its own transaction, that the epoch is still this one, so a holder that lost the partition (paused,
/// cut off, or slow to notice that it was removed from the cluster) cannot write or send anything more.</summary>
public sealed record Fence(int Partition, long Epoch)
{
    /// <summary>The row of the notifier's fence, beside the check partitions 0..63.</summary>
    public const int NotifierPartition = -1;

    public override string ToString() => Partition == NotifierPartition ? $"notifier (epoch {Epoch})" : $"partition {Partition} (epoch {Epoch})";
}
