using Picomon.Configuration;

namespace Picomon.Notifications;

/// <summary>The grouping windows of <c>notify.group-wait</c> and <c>notify.group-interval</c>: the first notification
/// of a group opens a window that closes <c>group-wait</c> later; what the group produces meanwhile goes out together
/// when it closes. A notification of a group whose last window closed less than <c>group-interval</c> ago opens a
/// window that closes <c>group-interval</c> after that one, so a group is announced at most once per interval.
/// Pure: the time is passed in; the caller arms a timer for each window opened.</summary>
public sealed class GroupWindows(TimeSpan groupWait, TimeSpan groupInterval)
{
    private readonly Dictionary<string, (DateTimeOffset Closes, List<PendingNotification> Items)> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastClosed = new(StringComparer.Ordinal);
    // Closings in time order, to forget the groups quiet for longer than group-interval without scanning them all.
    private readonly Queue<(string Key, DateTimeOffset At)> _closings = new();
    private TimeSpan _groupWait = groupWait, _groupInterval = groupInterval;

    /// <summary>The keys of the groups with an open window.</summary>
    public IReadOnlyCollection<string> Open => _open.Keys;

    /// <summary>The keys of the windows that close at <paramref name="now"/> or before.</summary>
    public IReadOnlyList<string> Due(DateTimeOffset now) => _open.Where(w => w.Value.Closes <= now).Select(w => w.Key).ToList();

    /// <summary>When the window of <paramref name="key"/> closes; null when none is open.</summary>
    public DateTimeOffset? ClosesAt(string key) => _open.TryGetValue(key, out var window) ? window.Closes : null;

    /// <summary>The group of a notification of <paramref name="check"/> (null: a check no longer configured, a group
    /// of its own).</summary>
    public static NotificationGroup GroupOf(GroupBy by, string checkId, CheckDefinition? check) => by switch
    {
        GroupBy.Host => new(by, check?.Target.Key ?? checkId),
        GroupBy.Type => new(by, check?.Type.Name ?? checkId),
        GroupBy.All => new(by, ""),
        _ => new(by, checkId),
    };

    /// <summary>New durations (a reload): windows already open keep their closing time.</summary>
    public void Reconfigure(TimeSpan groupWait, TimeSpan groupInterval) => (_groupWait, _groupInterval) = (groupWait, groupInterval);

    /// <summary>Adds <paramref name="item"/> to its group's window; returns when the window closes if this opened
    /// it, null if it was open already.</summary>
    /// <param name="at">When the item came: now, or for a notification still pending after a restart, when it happened.</param>
    public DateTimeOffset? Add(string key, PendingNotification item, DateTimeOffset at)
    {
        if (_open.TryGetValue(key, out var open))
        {
            open.Items.Add(item);
            return null;
        }
        var closes = _lastClosed.TryGetValue(key, out var closed) && at < closed + _groupInterval ? closed + _groupInterval : at + _groupWait;
        _open[key] = (closes, [item]);
        return closes;
    }

    /// <summary>Closes <paramref name="key"/>'s window and returns what it gathered, in order (nothing if none is open).</summary>
    public IReadOnlyList<PendingNotification> Close(string key, DateTimeOffset now)
    {
        while (_closings.TryPeek(out var oldest) && oldest.At + _groupInterval <= now)
        {
            _closings.Dequeue();
            if (_lastClosed.TryGetValue(oldest.Key, out var at) && at == oldest.At) _lastClosed.Remove(oldest.Key);
        }
        if (!_open.Remove(key, out var window)) return [];
        _lastClosed[key] = now;
        _closings.Enqueue((key, now));
        return window.Items;
    }
}
