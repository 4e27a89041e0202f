namespace Picomon.Notifications;

/// <summary>What a notification announces.</summary>
public enum NotificationKind
{
    /// <summary>A check entered error: an incident opens.</summary>
    Problem,
    /// <summary>A check in error recovered: its incident closes.</summary>
    Ok,
    /// <summary>An incident is still open after <c>notify.repeat-interval</c> (and every interval after).</summary>
    Reminder,
    /// <summary>A check with a notified open incident started flapping: what follows is held until it settles.</summary>
    Flapping,
    /// <summary>Checks became <c>unreachable</c> behind an incident whose Problem already went out: a reply in its thread
    /// listing them (<see cref="Notification.Affected"/>).</summary>
    Affected,
}
