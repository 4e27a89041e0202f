namespace Picomon.Notifications;

/// <summary>When each open incident's next reminder is due, earliest first, and what reminding changes. Pure: the time
/// is passed in, and what an incident is now is asked of the caller.</summary>
public sealed class ReminderSchedule
{
    private readonly Dictionary<string, ScheduledReminder> _byIncident = new(StringComparer.Ordinal);
    private readonly SortedSet<(DateTimeOffset Due, string Incident)> _byDue = [];

    public int Count => _byIncident.Count;

    /// <summary>When the earliest reminder is due, or null when none is scheduled.</summary>
    public DateTimeOffset? Next => _byDue.Count == 0 ? null : _byDue.Min.Due;

    public bool Contains(string incident) => _byIncident.ContainsKey(incident);

    public void Set(ScheduledReminder reminder)
    {
        Remove(reminder.Incident);
        _byIncident[reminder.Incident] = reminder;
        _byDue.Add((reminder.Due, reminder.Incident));
    }

    public void Remove(string incident)
    {
        if (_byIncident.Remove(incident, out var old)) _byDue.Remove((old.Due, incident));
    }

    /// <summary>The reminders due at <paramref name="now"/>, earliest first; they stay scheduled until replaced or removed.</summary>
    public IReadOnlyList<ScheduledReminder> Due(DateTimeOffset now) =>
        _byDue.TakeWhile(d => d.Due <= now).Select(d => _byIncident[d.Incident]).ToList();

    /// <summary>What the reminders due at <paramref name="now"/> change: each incident still open (for which
    /// <paramref name="reminderOf"/> gives its reminder) is reminded and its next reminder scheduled
    /// <paramref name="repeat"/> later; any other loses its reminder but not its thread: the notification that ends it
    /// (its OK) closes it when it is sent. A <paramref name="quiet"/> incident (acknowledged, or of a flapping check) is
    /// not reminded but stays scheduled, so that its thread is kept for its OK.</summary>
    public NotificationChanges Remind(DateTimeOffset now, TimeSpan repeat, Func<ScheduledReminder, Notification?> reminderOf,
        Func<ScheduledReminder, bool> quiet)
    {
        var changes = new NotificationChanges();
        foreach (var due in Due(now))
        {
            if (quiet(due)) changes.Scheduled.Add(due with { Due = now + repeat });
            else if (reminderOf(due) is { } reminder)
            {
                changes.Queued.Add(reminder);
                changes.Scheduled.Add(due with { Due = now + repeat });
            }
            else changes.Unscheduled.Add(due.Incident);
        }
        return changes;
    }

    /// <summary>A first reminder, <paramref name="repeat"/> from now, for each of the <paramref name="open"/> incidents
    /// that has none (reminders just enabled, or an older state).</summary>
    public NotificationChanges ScheduleMissing(IEnumerable<(string Incident, string CheckId)> open, DateTimeOffset now, TimeSpan repeat)
    {
        var changes = new NotificationChanges();
        foreach (var (incident, check) in open.Where(o => !Contains(o.Incident)))
            changes.Scheduled.Add(new ScheduledReminder(incident, check, now + repeat));
        return changes;
    }

    /// <summary>Follows what a commit did: reminders scheduled, incidents closed.</summary>
    public void Apply(NotificationChanges changes)
    {
        foreach (var reminder in changes.Scheduled) Set(reminder);
        foreach (var incident in changes.Closed.Concat(changes.Unscheduled)) Remove(incident);
    }
}
