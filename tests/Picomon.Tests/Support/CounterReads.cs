using Picomon.Metrics;

namespace Picomon.Tests.Support;

/// <summary>One figure of a <see cref="NotificationCounters"/>, as the metrics endpoint reads it (0 when never counted).</summary>
internal static class CounterReads
{
    public static long SentCount(this NotificationCounters counters, string channel, string kind) =>
        counters.SentCounts.Where(c => c.Channel == channel && c.Kind == kind).Sum(c => c.Count);

    public static long FailedCount(this NotificationCounters counters, string channel) =>
        counters.FailedCounts.Where(c => c.Channel == channel).Sum(c => c.Count);

    public static long QueuedCount(this NotificationCounters counters, string channel) =>
        counters.QueuedCounts.Where(c => c.Channel == channel).Sum(c => c.Count);
}
