namespace Picomon.Notifications;

/// <summary>A notification kept in the state store until the notifier has routed and rendered it into its
/// channels' outboxes: at once, or when its group's window closes. <paramref name="Seq"/> orders them and names
/// the row to release.</summary>
public sealed record PendingNotification(long Seq, Notification Notification);

/// <summary>When the next reminder of an open incident is due.</summary>
public sealed record ScheduledReminder(string Incident, string CheckId, DateTimeOffset Due);

/// <summary>What one commit of the notifier changes, all or nothing: pending notifications released (rendered, or
/// dropped), new ones queued (reminders that fell due), messages put in channel outboxes, the message that
/// announced each incident on a channel (later messages about it answer it), incidents closed (their threads and
/// reminders end), reminders scheduled, reminders ended without closing their incident (its OK, already committed,
/// may still be waiting for its group's window, and answers the thread).</summary>
public sealed class NotificationChanges
{
    public List<long> Released { get; } = [];
    public List<Notification> Queued { get; } = [];
    public List<(string Channel, Mail.OutgoingMail Mail)> Mails { get; } = [];
    public List<(string Channel, Delivery Delivery)> Deliveries { get; } = [];
    public List<(string Channel, string Incident, string CheckId, string MessageId)> Announced { get; } = [];
    public List<string> Closed { get; } = [];
    public List<ScheduledReminder> Scheduled { get; } = [];
    public List<string> Unscheduled { get; } = [];

    public bool IsEmpty => Released.Count == 0 && Queued.Count == 0 && Mails.Count == 0 && Deliveries.Count == 0
                           && Announced.Count == 0 && Closed.Count == 0 && Scheduled.Count == 0 && Unscheduled.Count == 0;

    /// <summary>The channels whose outbox got something: their senders have work.</summary>
    public IEnumerable<string> ChannelsWithMessages => Mails.Select(m => m.Channel).Concat(Deliveries.Select(d => d.Channel)).Distinct();
}
