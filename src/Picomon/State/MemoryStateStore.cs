using Picomon.Configuration;
using Picomon.Mail;
using Picomon.Notifications;

namespace Picomon.State;

/// <summary>The state kept in memory only, lost when the process ends: for a run without persistence
/// (benchmarks, actor specs). One lock for the check rows and the notifier's state; each outbox has its own.</summary>
public sealed class MemoryStateStore : IStateStore
{
    private readonly Dictionary<string, StoredCheck> _checks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MemoryOutbox> _mailOutboxes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MemoryDeliveryOutbox> _deliveryOutboxes = new(StringComparer.Ordinal);
    private readonly SortedDictionary<long, Notification> _pending = [];
    private readonly Dictionary<string, Dictionary<string, (string CheckId, string MessageId)>> _threads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ScheduledReminder> _reminders = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _nextSeq = 1;

    public IOutbox Outbox => MailOutbox(NotifySettings.ImplicitChannel);

    public IOutbox MailOutbox(string channel)
    {
        lock (_gate)
        {
            if (!_mailOutboxes.TryGetValue(channel, out var outbox)) _mailOutboxes[channel] = outbox = new MemoryOutbox();
            return outbox;
        }
    }

    public IDeliveryOutbox DeliveryOutbox(string channel) => Deliveries(channel);

    public IHoldStore Holds { get; } = new MemoryHoldStore();

    public IReadOnlyList<StoredCheck> LoadChecks()
    {
        lock (_gate) return _checks.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
    }

    public StoredCheck? FindCheck(string id)
    {
        lock (_gate) return _checks.GetValueOrDefault(id);
    }

    public void SaveCheck(StoredCheck check)
    {
        lock (_gate) _checks[check.Id] = check;
    }

    public IReadOnlyList<PendingNotification> CommitTransitions(IReadOnlyCollection<StoredCheck> checks, IReadOnlyList<Notification> notifications)
    {
        lock (_gate)
        {
            foreach (var check in checks) _checks[check.Id] = check;
            return Queue(notifications);
        }
    }

    public IReadOnlyList<PendingNotification> Commit(NotificationChanges changes)
    {
        lock (_gate)
        {
            foreach (var seq in changes.Released) _pending.Remove(seq);
            var queued = Queue(changes.Queued);
            foreach (var (channel, mail) in changes.Mails) MailOutbox(channel).Enqueue(mail);
            foreach (var (channel, delivery) in changes.Deliveries) Deliveries(channel).Enqueue(delivery);
            foreach (var (channel, incident, check, id) in changes.Announced)
            {
                if (!_threads.TryGetValue(incident, out var channels)) _threads[incident] = channels = new(StringComparer.Ordinal);
                channels[channel] = (check, id);
            }
            foreach (var reminder in changes.Scheduled) _reminders[reminder.Incident] = reminder;
            foreach (var incident in changes.Unscheduled) _reminders.Remove(incident);
            foreach (var incident in changes.Closed)
            {
                _reminders.Remove(incident);
                _threads.Remove(incident);
            }
            return queued;
        }
    }

    public IReadOnlyList<PendingNotification> LoadPending()
    {
        lock (_gate) return _pending.Select(p => new PendingNotification(p.Key, p.Value)).ToList();
    }

    public string? AnnouncedBy(string channel, string incident)
    {
        lock (_gate) return _threads.TryGetValue(incident, out var channels) && channels.TryGetValue(channel, out var thread) ? thread.MessageId : null;
    }

    public IReadOnlyList<ScheduledReminder> LoadReminders()
    {
        lock (_gate) return _reminders.Values.ToList();
    }

    public void ForgetChecksExcept(IReadOnlyCollection<string> ids)
    {
        var keep = ids.ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var id in _checks.Keys.Where(id => !keep.Contains(id)).ToList()) _checks.Remove(id);
            foreach (var (incident, _) in _reminders.Where(r => !keep.Contains(r.Value.CheckId)).ToList()) _reminders.Remove(incident);
            foreach (var (incident, _) in _threads.Where(t => t.Value.Values.Any(c => !keep.Contains(c.CheckId))).ToList()) _threads.Remove(incident);
        }
    }

    public void Dispose()
    {
        // Nothing to close: the state goes with the process.
    }

    private List<PendingNotification> Queue(IReadOnlyList<Notification> notifications)
    {
        var queued = notifications.Select(n => new PendingNotification(_nextSeq++, n)).ToList();
        foreach (var (seq, notification) in queued) _pending[seq] = notification;
        return queued;
    }

    private MemoryDeliveryOutbox Deliveries(string channel)
    {
        lock (_gate)
        {
            if (!_deliveryOutboxes.TryGetValue(channel, out var outbox)) _deliveryOutboxes[channel] = outbox = new MemoryDeliveryOutbox();
            return outbox;
        }
    }

    /// <summary>One webhook or exec channel's queue in memory. One lock.</summary>
    private sealed class MemoryDeliveryOutbox : IDeliveryOutbox
    {
        private readonly State.OrderedQueue<Delivery> _queue = new(d => d.Id);
        private readonly Lock _gate = new();
        private long _nextSeq;

        public int Count
        {
            get { lock (_gate) return _queue.Count; }
        }

        public IReadOnlyList<RejectedDelivery> DeadLetters
        {
            get { lock (_gate) return _queue.Dead.Select(d => new RejectedDelivery(d.Item, d.Reason)).ToList(); }
        }

        public void Enqueue(Delivery delivery)
        {
            lock (_gate) _queue.Add(_nextSeq++, delivery);
        }

        public Delivery? Peek()
        {
            lock (_gate) return _queue.First;
        }

        public void MarkSent(Delivery delivery)
        {
            lock (_gate) _queue.Remove(delivery);
        }

        public void DeadLetter(Delivery delivery, string reason)
        {
            lock (_gate) _queue.AddDead(_queue.Remove(delivery) ?? _nextSeq++, delivery, reason);
        }
    }
}
