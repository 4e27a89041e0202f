using System.Collections.Concurrent;

namespace Picomon.Metrics;

/// <summary>The notification metrics, counted by whoever delivers or holds back a notification (the notification
/// code and, with issue 14, the holds): <c>picomon_notifications_total{channel,kind}</c>,
/// <c>picomon_notifications_failed_total{channel}</c>, <c>picomon_notifications_queued{channel}</c> and
/// <c>picomon_notifications_suppressed_total{reason}</c>. Thread-safe; the metrics endpoint only reads it.</summary>
public sealed class NotificationCounters
{
    private readonly ConcurrentDictionary<(string Channel, string Kind), long[]> _sent = new();
    private readonly ConcurrentDictionary<string, long[]> _failed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long[]> _queued = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long[]> _suppressed = new(StringComparer.Ordinal);

    /// <summary>A notification of <paramref name="kind"/> (its SPEC §10 JSON name: <c>problem</c>, <c>ok</c>,
    /// <c>reminder</c>…) was delivered on <paramref name="channel"/>.</summary>
    public void Sent(string channel, string kind) => Interlocked.Increment(ref Slot(_sent, (channel, kind))[0]);

    /// <summary>A delivery attempt on <paramref name="channel"/> failed (it is retried, or set aside).</summary>
    public void Failed(string channel) => Interlocked.Increment(ref Slot(_failed, channel)[0]);

    /// <summary><paramref name="count"/> notifications are waiting in <paramref name="channel"/>'s outbox now.</summary>
    public void Queued(string channel, long count) => Interlocked.Exchange(ref Slot(_queued, channel)[0], count);

    /// <summary>A notification was held back for <paramref name="reason"/> (a silence, a maintenance window…).</summary>
    public void Suppressed(string reason) => Interlocked.Increment(ref Slot(_suppressed, reason)[0]);

    public IEnumerable<(string Channel, string Kind, long Count)> SentCounts =>
        _sent.Select(e => (e.Key.Channel, e.Key.Kind, Interlocked.Read(ref e.Value[0])));
    public IEnumerable<(string Channel, long Count)> FailedCounts => Read(_failed);
    public IEnumerable<(string Channel, long Count)> QueuedCounts => Read(_queued);
    public IEnumerable<(string Reason, long Count)> SuppressedCounts => Read(_suppressed);

    private static long[] Slot<TKey>(ConcurrentDictionary<TKey, long[]> map, TKey key) where TKey : notnull =>
        map.GetOrAdd(key, _ => new long[1]);

    private static IEnumerable<(TKey, long)> Read<TKey>(ConcurrentDictionary<TKey, long[]> map) where TKey : notnull =>
        map.Select(e => (e.Key, Interlocked.Read(ref e.Value[0])));
}
