using Picomon.Checks;
using Picomon.Configuration;
using Picomon.Notifications;
using Picomon.Tests.Support;

namespace Picomon.Tests.Notifications;

public sealed class GroupWindowsTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30), Interval = TimeSpan.FromMinutes(5);

    private static PendingNotification Item(long seq, NotificationKind kind = NotificationKind.Problem, string incident = "a#1") =>
        new(seq, new Notification(kind, incident, incident.Split('#')[0], "CheckTest", "host", CheckStatus.Error, T, T, "down", TimeSpan.Zero));

    [Fact]
    public void The_first_item_opens_a_window_of_group_wait_and_later_ones_join_it()
    {
        var windows = new GroupWindows(Wait, Interval);

        Assert.Equal(T + Wait, windows.Add("g", Item(1), T));
        Assert.Null(windows.Add("g", Item(2), T + TimeSpan.FromSeconds(20)));
        Assert.Equal(T + TimeSpan.FromSeconds(10) + Wait, windows.Add("other", Item(3), T + TimeSpan.FromSeconds(10)));

        Assert.Equal(["g"], windows.Due(T + Wait));
        Assert.Equal(["g", "other"], windows.Due(T + Wait + TimeSpan.FromSeconds(10)).Order());
        Assert.Equal([1L, 2L], windows.Close("g", T + Wait).Select(i => i.Seq));
        Assert.Equal(["other"], windows.Open);
        Assert.Empty(windows.Close("g", T + Wait));
    }

    [Fact]
    public void After_a_window_closed_the_group_waits_for_group_interval_and_after_that_starts_over()
    {
        var windows = new GroupWindows(Wait, Interval);
        windows.Add("g", Item(1), T);
        windows.Close("g", T + Wait);

        Assert.Equal(T + Wait + Interval, windows.Add("g", Item(2), T + Wait + TimeSpan.FromMinutes(1)));
        windows.Close("g", T + Wait + Interval);
        var quiet = T + Wait + 2 * Interval + TimeSpan.FromSeconds(1);
        Assert.Equal(quiet + Wait, windows.Add("g", Item(3), quiet));
    }

    [Fact]
    public void A_group_is_a_check_a_host_a_type_or_all()
    {
        var check = ActorTestChecks.Check("test/web");

        Assert.Equal(["test/web", "host", "test", ""], new[] { GroupBy.Check, GroupBy.Host, GroupBy.Type, GroupBy.All }
            .Select(by => GroupWindows.GroupOf(by, check.Id, check).Key));
        Assert.Equal("gone/x", GroupWindows.GroupOf(GroupBy.Host, "gone/x", null).Key);
    }

    [Fact]
    public void A_problem_and_its_ok_in_the_same_lot_are_dropped_with_any_reminder_of_the_closing_incident()
    {
        var items = new[]
        {
            Item(1).Notification, Item(2, NotificationKind.Problem, "b#1").Notification, Item(3, NotificationKind.Reminder, "c#4").Notification,
            Item(4, NotificationKind.Ok).Notification, Item(5, NotificationKind.Ok, "c#4").Notification,
        };

        var (kept, recovered) = NotificationDispatch.DropRecovered(items);

        Assert.Equal(["b#1", "c#4"], kept.Select(n => n.Incident));
        Assert.Equal([NotificationKind.Problem, NotificationKind.Ok], kept.Select(n => n.Kind));
        Assert.Equal(["a#1"], recovered.Select(n => n.Incident));
    }
}
