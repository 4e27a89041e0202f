using Picomon.Configuration;

namespace Picomon.Notifications;

/// <summary>Where notifications go and what each channel gets: each check's route to its channels. What a group sends at once
/// (one notification, or what its window gathered) becomes one message per channel of its checks — a digest when
/// there are several items — with a Problem that recovered before it left dropped with its OK and counted. Each
/// message answers the messages that announced its incidents on that channel, and its Problems are recorded as
/// announced by it. Reminders are scheduled from each Problem sent; an OK ends its incident's thread and reminders.
/// Reads only what the store recorded before; everything it decides goes into one <see cref="NotificationChanges"/>.</summary>
public sealed class NotificationDispatch(NotifySettings notify, ChannelRendering rendering, Func<string, string, string?> announcedBy)
{
    public NotifySettings Settings => notify;

    /// <summary>Starts one commit's worth of sending at <paramref name="now"/>.</summary>
    public Batch Begin(DateTimeOffset now) => new(this, now);

    /// <summary>What one commit sends; it remembers what it announced, so a later item of the same commit answers it.</summary>
    public sealed class Batch(NotificationDispatch dispatch, DateTimeOffset now)
    {
        private readonly Dictionary<(string Channel, string Incident), string> _announced = [];

        public NotificationChanges Changes { get; } = new();

        /// <summary>Problems dropped from this batch with their OK, before any message said they had failed.</summary>
        public int Recovered { get; private set; }

        /// <summary>Sends <paramref name="items"/> of <paramref name="group"/>, in order, and releases them.</summary>
        public void Send(IReadOnlyList<PendingNotification> items, NotificationGroup group)
        {
            Changes.Released.AddRange(items.Select(i => i.Seq));
            var (kept, recovered) = DropRecovered(MergeAffected(items.Select(i => i.Notification).ToList()));
            Recovered += recovered.Count;
            var notify = dispatch.Settings;
            foreach (var channel in notify.Channels)
            {
                var mine = kept.Where(n => notify.ChannelsOf(n.CheckId).Contains(channel.Name)).ToList();
                if (mine.Count == 0) continue;
                var announcement = new Announcement(mine, recovered.Count(c => notify.ChannelsOf(c.CheckId).Contains(channel.Name)), group);
                var answers = mine.Where(n => n.Kind != NotificationKind.Problem)
                    .Select(n => AnnouncedBy(channel.Name, n.Incident)).OfType<string>().Distinct().ToList();
                var id = dispatch.Render(channel, announcement, answers, now, Changes);
                foreach (var problem in mine.Where(n => n.Kind == NotificationKind.Problem))
                {
                    _announced[(channel.Name, problem.Incident)] = id;
                    Changes.Announced.Add((channel.Name, problem.Incident, problem.CheckId, id));
                }
            }
            if (notify.RepeatInterval > TimeSpan.Zero)
                foreach (var problem in kept.Where(n => n.Kind == NotificationKind.Problem && notify.ChannelsOf(n.CheckId).Count > 0))
                    Changes.Scheduled.Add(new ScheduledReminder(problem.Incident, problem.CheckId, now + notify.RepeatInterval));
            Changes.Closed.AddRange(kept.Where(n => n.Kind == NotificationKind.Ok).Concat(recovered).Select(n => n.Incident));
        }

        private string? AnnouncedBy(string channel, string incident) =>
            _announced.TryGetValue((channel, incident), out var id) ? id : dispatch.AnnouncedBy(channel, incident);
    }

    /// <summary>Each Affected notification joins the Problem, or the first Affected notification, of its incident in the
    /// same lot: one message lists every check the incident made unreachable (a Problem still in its group's window
    /// goes out listing them, later ones are one reply). The order is otherwise kept.</summary>
    public static IReadOnlyList<Notification> MergeAffected(IReadOnlyList<Notification> items)
    {
        var merged = new List<Notification>(items.Count);
        var listing = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var n in items)
        {
            if (n.Kind == NotificationKind.Affected && listing.TryGetValue(n.Incident, out var at))
            {
                merged[at] = merged[at] with { Affected = [.. merged[at].Affected.Union(n.Affected, StringComparer.Ordinal)] };
                continue;
            }
            if (n.Kind is NotificationKind.Problem or NotificationKind.Affected) listing.TryAdd(n.Incident, merged.Count);
            merged.Add(n);
        }
        return merged;
    }

    /// <summary>Takes out the Problems whose OK is in the same lot (with that OK, and any reminder or Affected notification
    /// of theirs) and the reminders and Affected notifications of incidents closing in it; returns what is left and the
    /// OKs of the Problems taken out.</summary>
    public static (List<Notification> Kept, List<Notification> Recovered) DropRecovered(IReadOnlyList<Notification> items)
    {
        var closing = items.Where(n => n.Kind == NotificationKind.Ok).Select(n => n.Incident).ToHashSet(StringComparer.Ordinal);
        var opened = items.Where(n => n.Kind == NotificationKind.Problem && closing.Contains(n.Incident))
            .Select(n => n.Incident).ToHashSet(StringComparer.Ordinal);
        var kept = items.Where(n => n.Kind switch
        {
            NotificationKind.Reminder or NotificationKind.Affected => !closing.Contains(n.Incident),
            _ => !opened.Contains(n.Incident),
        }).ToList();
        var recovered = items.Where(n => n.Kind == NotificationKind.Ok && opened.Contains(n.Incident)).ToList();
        return (kept, recovered);
    }

    private string? AnnouncedBy(string channel, string incident) => announcedBy(channel, incident);

    private string Render(ChannelSettings channel, Announcement announcement, IReadOnlyList<string> answers, DateTimeOffset now,
        NotificationChanges changes) => rendering.Render(channel, announcement, answers, now, changes);
}
