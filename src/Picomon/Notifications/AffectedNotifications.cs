using Picomon.Checks;
using Picomon.Configuration;

namespace Picomon.Notifications;

/// <summary>Where a check made <c>unreachable</c> is told: under <c>Affected:</c> in its parent's Problem while that
/// is still unsent, else in an Affected notification of the parent's incident (a reply in its thread; the notifier's
/// group windows merge it with others, or with the Problem still in its window). Pure: the aggregator gives it the rows
/// and the notifications it has not committed yet, and commits what it returns.</summary>
public static class AffectedNotifications
{
    /// <summary>The checks whose notified incident lists <paramref name="child"/>: each parent in error whose Problem
    /// went out (or goes out in this batch); for a parent itself unreachable, its own, and so on up. A parent whose
    /// Problem a window or a silence holds lists nobody now: its Problem, when it goes, lists its unreachable checks.</summary>
    public static IReadOnlyList<string> ListedBy(string child, Func<string, IReadOnlyList<string>> parentsOf,
        Func<string, CheckState?> rowOf)
    {
        var listed = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var next = new Queue<string>(parentsOf(child));
        while (next.TryDequeue(out var parent))
        {
            if (!seen.Add(parent) || rowOf(parent) is not { Status: CheckStatus.Error } row) continue;
            if (row.Notified) listed.Add(parent);
            else if (row.Held.HasFlag(HoldReasons.Dependency))
                foreach (var grandparent in parentsOf(parent)) next.Enqueue(grandparent);
        }
        return listed;
    }

    /// <summary>Adds <paramref name="child"/> to what <paramref name="parent"/>'s open incident says: to its Problem or
    /// Affected notification among <paramref name="unsent"/>, else to a new Affected notification appended to it.</summary>
    /// <param name="row">The parent's row (its open incident, since when, its last failure).</param>
    public static void Add(List<Notification> unsent, CheckDefinition parent, CheckState row, TimeSpan errorInterval, string child,
        DateTimeOffset now)
    {
        var incident = Incident.Id(row.Id, row.Incidents);
        var at = unsent.FindIndex(n => n.Incident == incident && n.Kind is NotificationKind.Problem or NotificationKind.Affected);
        if (at >= 0)
        {
            if (!unsent[at].Affected.Contains(child)) unsent[at] = unsent[at] with { Affected = [.. unsent[at].Affected, child] };
            return;
        }
        unsent.Add(new Notification(NotificationKind.Affected, incident, row.Id, parent.Type.MailName, parent.Target.Name,
            CheckStatus.Error, now, row.ErrorSince ?? row.Since, row.LastMessage, errorInterval, [child]));
    }
}
