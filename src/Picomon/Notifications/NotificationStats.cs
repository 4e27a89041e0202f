using System.Collections.Concurrent;

namespace Picomon.Notifications;

/// <summary>What the senders count, per channel, for the metrics (SPEC §12: <c>notifications_total{channel,kind}</c>,
/// <c>notifications_failed_total{channel}</c>, <c>notifications_queued{channel}</c>): messages delivered by kind
/// (problem, ok, reminder, digest, report, stopped), failed attempts, and each channel's queue length read from
/// its outbox. Thread-safe; counters only grow.</summary>
public sealed class NotificationStats
{
    private readonly ConcurrentDictionary<(string Channel, string Kind), long> _sent = new();
    private readonly ConcurrentDictionary<string, long> _failed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<int>> _queued = new(StringComparer.Ordinal);

    public void CountSent(string channel, string kind) => _sent.AddOrUpdate((channel, kind), 1, (_, n) => n + 1);

    public void CountFailure(string channel) => _failed.AddOrUpdate(channel, 1, (_, n) => n + 1);

    /// <summary>Reads <paramref name="channel"/>'s queue length from <paramref name="queued"/> (its outbox's count).</summary>
    public void Track(string channel, Func<int> queued) => _queued[channel] = queued;

    public long Sent(string channel, string kind) => _sent.GetValueOrDefault((channel, kind));

    public long Failed(string channel) => _failed.GetValueOrDefault(channel);

    public int Queued(string channel) => _queued.TryGetValue(channel, out var count) ? count() : 0;

    /// <summary>Every (channel, kind) counted so far, with its count.</summary>
    public IReadOnlyList<(string Channel, string Kind, long Count)> SentCounts =>
        _sent.Select(s => (s.Key.Channel, s.Key.Kind, s.Value)).OrderBy(s => s.Channel, StringComparer.Ordinal).ThenBy(s => s.Kind).ToList();

    /// <summary>Every channel tracked or counted.</summary>
    public IReadOnlyList<string> Channels =>
        _queued.Keys.Concat(_failed.Keys).Concat(_sent.Keys.Select(k => k.Channel)).Distinct().Order(StringComparer.Ordinal).ToList();
}
