using Picomon.Checks;
using Picomon.Configuration;
using Picomon.Notifications;

namespace Picomon.Tests.Notifications;

/// <summary>Notifications of two checks for the renderer tests.</summary>
internal static class RenderFixtures
{
    public static readonly DateTimeOffset Since = new(2026, 11, 24, 10, 2, 3, TimeSpan.FromHours(1));
    public static readonly DateTimeOffset At = Since + TimeSpan.FromMinutes(7);
    public static readonly NotificationGroup ByCheck = new(GroupBy.Check, "http4/web");
    public static readonly NotificationGroup ByAll = new(GroupBy.All, "");

    public static Notification Problem(string check = "http4/web", int incident = 3, string message = "HTTP 503 \"Service\" Unavailable\nline 2") =>
        new(NotificationKind.Problem, $"{check}#{incident}", check, "CheckHTTP4", check.Split('/')[1], CheckStatus.Error, Since, Since,
            message, TimeSpan.FromMinutes(1));

    public static Notification Ok(string check = "http4/web", int incident = 3) =>
        Problem(check, incident) with { Kind = NotificationKind.Ok, State = CheckStatus.Ok, At = At };

    public static Notification Reminder(string check = "http4/web", int incident = 3) =>
        Problem(check, incident) with { Kind = NotificationKind.Reminder, At = At };

    /// <summary>The Flapping notification of an incident whose check last succeeded.</summary>
    public static Notification Flapping(string check = "http4/web", int incident = 3) =>
        Problem(check, incident, "the state changed in 34% of the last 10 runs (weighted); notifications are held until it settles.")
            with { Kind = NotificationKind.Flapping, State = CheckStatus.Ok, At = At };
}
