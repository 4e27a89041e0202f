using System.Collections.Concurrent;

namespace Picomon.Metrics;

/// <summary>The notification metrics, counted by whoever delivers or holds back a notification (each channel's
/// sender: the mailers and the webhook and exec senders; with issue 14, the holds):
/// <c>picomon_notifications_total{channel,kind}</c> (kinds: problem, ok, reminder, flapping, digest, report, stopped),
/// <c>picomon_notifications_failed_total{channel}</c>, <c>picomon_notifications_queued{channel}</c> (read from each
/// channel's outbox when asked) and <c>picomon_notifications_suppressed_total{reason}</c>. Thread-safe; counters
/// only grow; the metrics endpoint only reads it.</summary>
public sealed class NotificationCounters
{
    private readonly ConcurrentDictionary<(string Channel, string Kind), long[]> _sent = new();
    private readonly ConcurrentDictionary<string, long[]> _failed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<int>> _queued = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long[]> _suppressed = new(StringComparer.Ordinal);

    /// <summary>A message of <paramref name="kind"/> (the <c>kind</c> of its picomon JSON: <c>problem</c>, <c>ok</c>,
    /// <c>reminder</c>, <c>digest</c>; mail also <c>report</c>, <c>stopped</c>) was delivered on <paramref name="channel"/>.</summary>
    public void Sent(string channel, string kind) => Interlocked.Increment(ref Slot(_sent, (channel, kind))[0]);

    /// <summary>A delivery attempt on <paramref name="channel"/> failed (it is retried, or set aside).</summary>
    public void Failed(string channel) => Interlocked.Increment(ref Slot(_failed, channel)[0]);

    /// <summary><paramref name="channel"/>'s queue length is read from <paramref name="queued"/> (its outbox's count,
    /// thread-safe) whenever the metrics are read; a later call for the same channel (a restarted sender) replaces it.</summary>
    public void Track(string channel, Func<int> queued) => _queued[channel] = queued;

    /// <summary>A notification was held back for <paramref name="reason"/> (a silence, a maintenance window…).</summary>
    public void Suppressed(string reason) => Interlocked.Increment(ref Slot(_suppressed, reason)[0]);

    public IEnumerable<(string Channel, string Kind, long Count)> SentCounts =>
        _sent.Select(e => (e.Key.Channel, e.Key.Kind, Interlocked.Read(ref e.Value[0])));
    public IEnumerable<(string Channel, long Count)> FailedCounts => Read(_failed);
    public IEnumerable<(string Channel, long Count)> QueuedCounts => _queued.Select(e => (e.Key, (long)e.Value()));
    public IEnumerable<(string Reason, long Count)> SuppressedCounts => Read(_suppressed);

    private static long[] Slot<TKey>(ConcurrentDictionary<TKey, long[]> map, TKey key) where TKey : notnull =>
        map.GetOrAdd(key, _ => new long[1]);

    private static IEnumerable<(TKey, long)> Read<TKey>(ConcurrentDictionary<TKey, long[]> map) where TKey : notnull =>
        map.Select(e => (e.Key, Interlocked.Read(ref e.Value[0])));
}
