using Akka.Actor;
using Akka.Event;
using Picomon.Checks;
using Picomon.Configuration;
using Picomon.Mail;
using Picomon.Notifications;
using Picomon.State;

namespace Picomon.Actors;

/// <summary>Between the aggregator and the channels (the README's "Notifications"). Takes the notifications the aggregator committed as
/// pending, routes and renders them (<see cref="NotificationDispatch"/>) — at once, or with <c>notify.group-wait</c> as
/// one digest per channel when their group's window closes (<see cref="GroupWindows"/>) — and puts the messages in
/// the channels' outboxes in one commit with what they change (threads, reminders); then wakes the senders, which it
/// starts and reconfigures. Reminds of open incidents every <c>notify.repeat-interval</c>. What is pending or
/// scheduled is in the store: a restart sends it, late reminders once each, none lost.</summary>
public sealed class Notifier : ReceiveActor, IWithTimers
{
    /// <summary>The aggregator committed these notifications as pending: send them.</summary>
    public sealed record Queued(IReadOnlyList<PendingNotification> Notifications);

    /// <summary>A reload: new channels, routes, grouping, reminders, mail settings.</summary>
    public sealed record Reconfigure(PicomonSettings Settings);

    /// <summary>Shutting down: send what every open window gathered now; answered with <see cref="WindowsClosed"/>.</summary>
    public sealed class CloseWindows
    {
        public static readonly CloseWindows Instance = new();
        private CloseWindows() { }
    }

    public sealed class WindowsClosed
    {
        public static readonly WindowsClosed Instance = new();
        private WindowsClosed() { }
    }

    /// <summary>Asks the senders it started to deliver what is queued within <paramref name="Within"/>; answered with
    /// <see cref="Flushed"/>, the messages left unsent.</summary>
    public sealed record Flush(TimeSpan Within);

    public sealed record Flushed(int Unsent);

    private sealed class InboxDue { public static readonly InboxDue Instance = new(); }
    /// <summary>The timer of the window of <paramref name="Key"/> that closes at <paramref name="Closes"/>.</summary>
    private sealed record WindowDue(string Key, DateTimeOffset Closes);
    private sealed class RemindersDue { public static readonly RemindersDue Instance = new(); }

    private const string ReminderTimer = "reminders";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IStateStore _store;
    private readonly MailComposer _composer;
    private readonly RunningSenders _senders;
    private readonly ReminderSchedule _reminders = new();
    private readonly List<PendingNotification> _inbox = [];
    private PicomonSettings _settings;
    private Dictionary<string, CheckDefinition> _checks = null!;
    private NotificationDispatch _dispatch = null!;
    private readonly GroupWindows _windows;
    // The pending notifications read at start, until the aggregator tells one of them again (a commit racing the start).
    // A set, not the highest number read: in a cluster, partitions commit concurrently, and a lower number can be
    // committed after a higher one was read.
    private readonly HashSet<long> _loadedAtStart = [];

    public Notifier(PicomonSettings settings, IStateStore store, MailComposer composer, IChannelSenders senders)
    {
        (_settings, _store, _composer, _senders) = (settings, store, composer, new RunningSenders(senders));
        _windows = new GroupWindows(settings.Notify.GroupWait, settings.Notify.GroupInterval);
        Apply(settings);
        // What the aggregator committed before this actor started was read at start too: entered once.
        Receive<Queued>(q => Enter([.. q.Notifications.Where(n => !_loadedAtStart.Remove(n.Seq))]));
        Receive<InboxDue>(_ => ProcessInbox());
        Receive<WindowDue>(OnWindowDue);
        Receive<RemindersDue>(_ => Remind());
        Receive<Reconfigure>(OnReconfigure);
        Receive<CloseWindows>(_ =>
        {
            ProcessInbox();
            SendWindows([.. _windows.Open]);
            Sender.Tell(WindowsClosed.Instance);
        });
        Receive<Flush>(flush => _senders.FlushAsync(Self, flush.Within, _log).PipeTo(Sender, success: unsent => new Flushed(unsent)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(PicomonSettings settings, IStateStore store, MailComposer composer, IChannelSenders senders) =>
        Akka.Actor.Props.Create(() => new Notifier(settings, store, composer, senders));

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    private NotifySettings Notify => _settings.Notify;

    protected override void PreStart()
    {
        _senders.Apply(Context, _settings);
        foreach (var reminder in _store.LoadReminders()) _reminders.Set(reminder);
        RemindOpenIncidents();
        var pending = _store.LoadPending();
        _loadedAtStart.UnionWith(pending.Select(p => p.Seq));
        Enter(pending);
    }

    /// <summary>Pending notifications are sent together once the mailbox holds no more of them: a storm of transitions
    /// is one commit, not one each.</summary>
    private void Enter(IReadOnlyList<PendingNotification> notifications)
    {
        if (notifications.Count == 0) return;
        if (_inbox.Count == 0) Self.Tell(InboxDue.Instance);
        _inbox.AddRange(notifications);
    }

    private void ProcessInbox()
    {
        if (_inbox.Count == 0) return;
        var items = _inbox.ToList();
        _inbox.Clear();
        if (Notify.GroupWait <= TimeSpan.Zero)
        {
            var batch = _dispatch.Begin(Now);
            foreach (var item in items) batch.Send([item], GroupOf(item.Notification.CheckId));
            Commit(batch);
            return;
        }
        foreach (var item in items)
        {
            var key = GroupOf(item.Notification.CheckId).Key;
            // After a restart, a window is as old as its first notification.
            var at = item.Notification.At < Now ? item.Notification.At : Now;
            if (_windows.Add(key, item, at) is { } closes) At(closes, $"window {key}", new WindowDue(key, closes));
        }
    }

    /// <summary>Closes the window whose timer fired, even when the wall clock reads a hair before its closing time (timers
    /// run by the monotonic clock), with every other window due by now. A timer of a window already closed (its key
    /// has a later window, or none) closes nothing of its own.</summary>
    private void OnWindowDue(WindowDue due)
    {
        var keys = _windows.Due(Now);
        if (_windows.ClosesAt(due.Key) == due.Closes && !keys.Contains(due.Key)) keys = [.. keys, due.Key];
        SendWindows(keys);
    }

    /// <summary>Sends what the windows of <paramref name="keys"/> gathered, with what was received before they closed,
    /// in one commit (a storm's windows tend to close together).</summary>
    private void SendWindows(IReadOnlyList<string> keys)
    {
        ProcessInbox();
        var batch = _dispatch.Begin(Now);
        foreach (var key in keys)
        {
            Timers.Cancel($"window {key}");
            var items = _windows.Close(key, Now);
            var messages = batch.Changes.Mails.Count + batch.Changes.Deliveries.Count;
            var recovered = batch.Recovered;
            if (items.Count > 0) batch.Send(items, GroupOf(items[0].Notification.CheckId));
            if (batch.Changes.Mails.Count + batch.Changes.Deliveries.Count == messages && batch.Recovered > recovered)
                _log.Info("{0} problem(s) recovered before notification: nothing sent", batch.Recovered - recovered);
        }
        Commit(batch);
    }

    private void Commit(NotificationDispatch.Batch batch) => Commit(batch.Changes);

    /// <summary>One write for all of it; then the senders with new messages are woken, and what it queued is sent.</summary>
    private void Commit(NotificationChanges changes)
    {
        if (changes.IsEmpty) return;
        var queued = _store.Commit(changes);
        _reminders.Apply(changes);
        ArmReminders();
        _senders.Wake(changes.ChannelsWithMessages);
        Enter(queued);
    }

    /// <summary>Reminders that fell due become pending notifications, sent as any other, and the next ones are
    /// scheduled in the same commit. An incident no longer open (its check recovered, or left) loses its reminder and
    /// keeps its thread: its OK may be waiting in a group window, and answers it. An acknowledged
    /// one (<c>picomon ack</c>, kept by the aggregator in the store) is not reminded, nor one of a check that flaps (its
    /// notifications are held until it settles); both stay scheduled.</summary>
    private void Remind()
    {
        if (Notify.RepeatInterval <= TimeSpan.Zero) return;
        var acknowledged = _store.Holds.LoadAcks().Select(a => a.Incident).ToHashSet(StringComparer.Ordinal);
        Commit(_reminders.Remind(Now, Notify.RepeatInterval, ReminderOf,
            due => acknowledged.Contains(due.Incident) || _store.FindCheck(due.CheckId) is { Flap.Flapping: true }));
        ArmReminders();
    }

    private Notification? ReminderOf(ScheduledReminder due)
    {
        if (!_checks.TryGetValue(due.CheckId, out var check) || _store.FindCheck(due.CheckId) is not { Status: CheckStatus.Error } row
            || Incident.Id(row.Id, row.Incidents) != due.Incident)
            return null;
        return new Notification(NotificationKind.Reminder, due.Incident, check.Id, check.Type.MailName, check.Target.Name, CheckStatus.Error,
            Now, row.ErrorSince ?? row.Since, row.LastMessage, check.ErrorInterval(_settings.BaseTick));
    }

    /// <summary>Open incidents of checks with a channel and without a reminder get one an interval from now.</summary>
    private void RemindOpenIncidents()
    {
        if (Notify.RepeatInterval > TimeSpan.Zero)
            Commit(_reminders.ScheduleMissing(_store.LoadChecks()
                .Where(r => r.Status == CheckStatus.Error && _checks.ContainsKey(r.Id) && Notify.ChannelsOf(r.Id).Count > 0)
                .Select(r => (Incident.Id(r.Id, r.Incidents), r.Id)), Now, Notify.RepeatInterval));
        ArmReminders();
    }

    private void ArmReminders()
    {
        if (Notify.RepeatInterval > TimeSpan.Zero && _reminders.Next is { } next) At(next, ReminderTimer, RemindersDue.Instance);
        else Timers.Cancel(ReminderTimer);
    }

    private void OnReconfigure(Reconfigure update)
    {
        _settings = update.Settings;
        Apply(update.Settings);
        _windows.Reconfigure(Notify.GroupWait, Notify.GroupInterval);
        _senders.Apply(Context, _settings);
        // Without grouping, what the windows hold goes out now.
        if (Notify.GroupWait <= TimeSpan.Zero) SendWindows([.. _windows.Open]);
        RemindOpenIncidents();
    }

    private void Apply(PicomonSettings settings)
    {
        _checks = settings.Checks.ToDictionary(c => c.Id, StringComparer.Ordinal);
        _dispatch = new NotificationDispatch(settings.Notify,
            new ChannelRendering(_composer, settings.Emails, settings.Notify.DigestSubjectTemplate), _store.AnnouncedBy);
    }

    private NotificationGroup GroupOf(string checkId) => GroupWindows.GroupOf(Notify.GroupBy, checkId, _checks.GetValueOrDefault(checkId));

    /// <summary>Tells <paramref name="message"/> at <paramref name="when"/>: now when it is already past.</summary>
    private void At(DateTimeOffset when, string timer, object message)
    {
        if (when > Now) Timers.StartSingleTimer(timer, message, when - Now);
        else
        {
            Timers.Cancel(timer);
            Self.Tell(message);
        }
    }
}
