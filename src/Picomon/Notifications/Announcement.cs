using Picomon.Configuration;

namespace Picomon.Notifications;

/// <summary>What one message to one channel announces: a single notification, or the digest of what a group
/// gathered in its window. Plain data; every renderer is a pure function of it.</summary>
/// <param name="Items">The notifications, in the order they happened.</param>
/// <param name="RecoveredBeforeNotification">Problems of this channel that recovered before the digest left: dropped
/// from it with their OK, and counted.</param>
/// <param name="Group">The group it comes from.</param>
public sealed record Announcement(IReadOnlyList<Notification> Items, int RecoveredBeforeNotification, NotificationGroup Group)
{
    /// <summary>A digest, rather than the rendering of one notification: several items, or one with others that
    /// recovered before notification (which only a digest can tell).</summary>
    public bool IsDigest => Items.Count != 1 || RecoveredBeforeNotification > 0;

    public static Announcement Single(Notification notification, NotificationGroup group) => new([notification], 0, group);
}

/// <summary>A group of notifications: those of one check, host or type, or all of them (<c>notify.group-by</c>).</summary>
/// <param name="Key">The check id, the host (the target's key), the check type's name, or "" for all.</param>
public sealed record NotificationGroup(GroupBy By, string Key)
{
    /// <summary>The group's label name for Alertmanager's <c>groupLabels</c>, or null when grouping by all.</summary>
    public string? Label => By switch
    {
        GroupBy.Check => "check",
        GroupBy.Host => "host",
        GroupBy.Type => "type",
        _ => null,
    };
}
