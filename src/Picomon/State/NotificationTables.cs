using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Picomon.Notifications;

namespace Picomon.State;

/// <summary>The notifier's durable state in the state database, mirrored in memory: the notifications waiting to be
/// routed or for their group's window (<c>pending</c>), the message that announced each open incident on each
/// channel (<c>threads</c>), and when each open incident's next reminder is due (<c>reminders</c>). Each change is
/// made in memory and returned as the writing of it, which the store runs in its transaction. Not thread-safe: the
/// store's lock guards it.</summary>
internal sealed class NotificationTables
{
    internal static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    private readonly SortedDictionary<long, Notification> _pending = [];
    // By incident, then channel: an OK closes its incident's threads on every channel at once.
    private readonly Dictionary<string, Dictionary<string, (string CheckId, string MessageId)>> _threads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ScheduledReminder> _reminders = new(StringComparer.Ordinal);
    private long _nextSeq = 1;

    public IReadOnlyList<PendingNotification> Pending => _pending.Select(p => new PendingNotification(p.Key, p.Value)).ToList();

    public IReadOnlyList<ScheduledReminder> Reminders => _reminders.Values.ToList();

    public string? AnnouncedBy(string channel, string incident) =>
        _threads.TryGetValue(incident, out var channels) && channels.TryGetValue(channel, out var thread) ? thread.MessageId : null;

    public void Load(SqliteConnection connection)
    {
        StateSchema.ForEachRow(connection, "SELECT seq, notification FROM pending", row =>
            _pending[row.GetInt64(0)] = JsonSerializer.Deserialize<Notification>(row.GetString(1), Json)
                                        ?? throw new InvalidDataException("a pending notification is null"));
        _nextSeq = _pending.Count == 0 ? 1 : _pending.Keys.Max() + 1;
        StateSchema.ForEachRow(connection, "SELECT channel, incident, check_id, message_id FROM threads", row =>
            Announce(row.GetString(0), row.GetString(1), row.GetString(2), row.GetString(3)));
        StateSchema.ForEachRow(connection, "SELECT incident, check_id, due FROM reminders", row =>
            _reminders[row.GetString(0)] = new ScheduledReminder(row.GetString(0), row.GetString(1), StateSchema.ReadTime(row, 2)));
    }

    /// <summary>Queues <paramref name="notifications"/> as pending, in order.</summary>
    public Action<SqliteTransaction> Queue(IReadOnlyList<Notification> notifications, List<PendingNotification> queued)
    {
        foreach (var notification in notifications)
        {
            var pending = new PendingNotification(_nextSeq++, notification);
            _pending[pending.Seq] = notification;
            queued.Add(pending);
        }
        var added = queued.ToList();
        return transaction =>
        {
            foreach (var (seq, notification) in added) InsertPending(transaction, seq, notification);
        };
    }

    /// <summary>Applies <paramref name="changes"/>: releases, then queues, announces, schedules, and closes last (an
    /// incident announced and closed in one commit ends closed).</summary>
    public Action<SqliteTransaction> Apply(NotificationChanges changes, List<PendingNotification> queued)
    {
        foreach (var seq in changes.Released) _pending.Remove(seq);
        var queue = Queue(changes.Queued, queued);
        foreach (var (channel, incident, check, messageId) in changes.Announced) Announce(channel, incident, check, messageId);
        foreach (var reminder in changes.Scheduled) _reminders[reminder.Incident] = reminder;
        foreach (var incident in changes.Unscheduled) _reminders.Remove(incident);
        foreach (var incident in changes.Closed)
        {
            _reminders.Remove(incident);
            _threads.Remove(incident);
        }
        return transaction =>
        {
            foreach (var seq in changes.Released) StateSchema.Execute(transaction, "DELETE FROM pending WHERE seq = $seq", ("$seq", seq));
            queue(transaction);
            foreach (var (channel, incident, check, messageId) in changes.Announced) InsertThread(transaction, channel, incident, check, messageId);
            foreach (var reminder in changes.Scheduled) InsertReminder(transaction, reminder);
            foreach (var incident in changes.Unscheduled)
                StateSchema.Execute(transaction, "DELETE FROM reminders WHERE incident = $incident", ("$incident", incident));
            foreach (var incident in changes.Closed)
            {
                StateSchema.Execute(transaction, "DELETE FROM reminders WHERE incident = $incident", ("$incident", incident));
                StateSchema.Execute(transaction, "DELETE FROM threads WHERE incident = $incident", ("$incident", incident));
            }
        };
    }

    /// <summary>Forgets the threads and reminders of checks not in <paramref name="keep"/>; null when there are none.</summary>
    public Action<SqliteTransaction>? ForgetChecksExcept(HashSet<string> keep)
    {
        var gone = _reminders.Values.Select(r => r.CheckId).Concat(_threads.Values.SelectMany(t => t.Values).Select(t => t.CheckId))
            .Where(id => !keep.Contains(id)).Distinct().ToList();
        if (gone.Count == 0) return null;
        foreach (var (incident, _) in _reminders.Where(r => !keep.Contains(r.Value.CheckId)).ToList()) _reminders.Remove(incident);
        foreach (var (incident, _) in _threads.Where(t => t.Value.Values.Any(c => !keep.Contains(c.CheckId))).ToList()) _threads.Remove(incident);
        return transaction =>
        {
            foreach (var id in gone)
            {
                StateSchema.Execute(transaction, "DELETE FROM reminders WHERE check_id = $id", ("$id", id));
                StateSchema.Execute(transaction, "DELETE FROM threads WHERE check_id = $id", ("$id", id));
            }
        };
    }

    public void RewriteAll(SqliteTransaction transaction)
    {
        foreach (var table in new[] { "pending", "threads", "reminders" }) StateSchema.Execute(transaction, $"DELETE FROM {table}");
        foreach (var (seq, notification) in _pending) InsertPending(transaction, seq, notification);
        foreach (var (incident, channels) in _threads)
            foreach (var (channel, (check, messageId)) in channels) InsertThread(transaction, channel, incident, check, messageId);
        foreach (var reminder in _reminders.Values) InsertReminder(transaction, reminder);
    }

    private void Announce(string channel, string incident, string check, string messageId)
    {
        if (!_threads.TryGetValue(incident, out var channels)) _threads[incident] = channels = new(StringComparer.Ordinal);
        channels[channel] = (check, messageId);
    }

    private static void InsertPending(SqliteTransaction transaction, long seq, Notification notification) =>
        StateSchema.Execute(transaction, "INSERT OR REPLACE INTO pending (seq, notification) VALUES ($seq, $notification)",
            ("$seq", seq), ("$notification", JsonSerializer.Serialize(notification, Json)));

    private static void InsertThread(SqliteTransaction transaction, string channel, string incident, string check, string messageId) =>
        StateSchema.Execute(transaction,
            "INSERT OR REPLACE INTO threads (channel, incident, check_id, message_id) VALUES ($channel, $incident, $check, $id)",
            ("$channel", channel), ("$incident", incident), ("$check", check), ("$id", messageId));

    private static void InsertReminder(SqliteTransaction transaction, ScheduledReminder reminder) =>
        StateSchema.Execute(transaction, "INSERT OR REPLACE INTO reminders (incident, check_id, due) VALUES ($incident, $check, $due)",
            ("$incident", reminder.Incident), ("$check", reminder.CheckId), ("$due", StateSchema.Time(reminder.Due)));
}
