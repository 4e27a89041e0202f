using Picomon.Mail;
using Picomon.Notifications;

namespace Picomon.State;

/// <summary>Where what a restart must not lose lives: each check's durable state, each channel's
/// outbox, and the notifier's state (pending notifications, the message that announced each open incident on
/// each channel, reminders). Called by the aggregator (check rows, transitions), the notifier (notifications) and
/// the senders (outboxes), from their threads: implementations are thread-safe. After it is open, no call throws:
/// a failing write is logged and kept in memory, to be written again later. Reads are served from memory.</summary>
public interface IStateStore : IDisposable
{
    /// <summary>The <c>email</c> mail outbox (reports, the stopped mail, the implicit channel's alerts), with every
    /// mail that was queued or refused before.</summary>
    IOutbox Outbox { get; }

    /// <summary>The outbox of mail channel <paramref name="channel"/> (<see cref="Outbox"/> for <c>email</c>).</summary>
    IOutbox MailOutbox(string channel);

    /// <summary>The outbox of webhook or exec channel <paramref name="channel"/>.</summary>
    IDeliveryOutbox DeliveryOutbox(string channel);
    /// <summary>The silences and acknowledgements given at run time.</summary>
    IHoldStore Holds { get; }

    /// <summary>Every check remembered, in id order.</summary>
    IReadOnlyList<StoredCheck> LoadChecks();

    /// <summary>What is remembered of one check, or null.</summary>
    StoredCheck? FindCheck(string id);

    /// <summary>Remembers a check's state after a run, replacing what was remembered for its id.</summary>
    void SaveCheck(StoredCheck check);

    /// <summary>Remembers checks' states and queues the notifications their transitions caused as pending, all or
    /// nothing, and durably when there are notifications: a check is never in error without its Problem waiting, nor
    /// the reverse. Returns the pending notifications, in order.</summary>
    IReadOnlyList<PendingNotification> CommitTransitions(IReadOnlyCollection<StoredCheck> checks, IReadOnlyList<Notification> notifications);

    /// <summary>Applies what the notifier did (<see cref="NotificationChanges"/>), all or nothing, durably. Returns
    /// the notifications it queued as pending, in order.</summary>
    IReadOnlyList<PendingNotification> Commit(NotificationChanges changes);

    /// <summary>The notifications still pending, in the order they were queued.</summary>
    IReadOnlyList<PendingNotification> LoadPending();

    /// <summary>The Message-ID of the message that announced <paramref name="incident"/> on <paramref name="channel"/>,
    /// or null.</summary>
    string? AnnouncedBy(string channel, string incident);

    /// <summary>The next reminder of each open incident that has one.</summary>
    IReadOnlyList<ScheduledReminder> LoadReminders();

    /// <summary>Forgets every check whose id is not in <paramref name="ids"/> (checks that left the configuration),
    /// with their threads and reminders.</summary>
    void ForgetChecksExcept(IReadOnlyCollection<string> ids);
}
