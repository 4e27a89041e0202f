using Picomon.Checks;
using Picomon.Notifications;
using Picomon.Tests.Support;

namespace Picomon.Tests.Notifications;

public sealed class TransitionNotificationsTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 24, 10, 0, 0, TimeSpan.FromHours(1));
    private static readonly TimeSpan ErrorInterval = TimeSpan.FromMinutes(5);
    private static readonly Picomon.Configuration.CheckDefinition Check = ActorTestChecks.Check("test/web");

    private static CheckTransition Transition(CheckStatus from, CheckStatus to, DateTimeOffset at, DateTimeOffset? errorSince,
        string message = "Connection refused") =>
        new("test/web", from, to, at, message, 3, errorSince, ErrorInterval);

    private static CheckState Row(CheckStatus status, int incidents) =>
        new("test/web", status, T, 0, "", null, null, null, incidents);

    [Fact]
    public void Entering_error_is_a_problem_that_opens_the_incident_the_row_counts()
    {
        var problem = Transition(CheckStatus.Retrying, CheckStatus.Error, T, T);

        var notification = Assert.Single(TransitionNotifications.For(Check, problem, Row(CheckStatus.Error, 3)));

        Assert.Equal(new Notification(NotificationKind.Problem, "test/web#3", "test/web", "CheckTest", "host", CheckStatus.Error,
            T, T, "Connection refused", ErrorInterval), notification);
    }

    [Fact]
    public void Leaving_error_is_an_ok_closing_the_incident()
    {
        var recovery = Transition(CheckStatus.Error, CheckStatus.Ok, T + TimeSpan.FromHours(2), T, "what it recovered from");

        var notification = Assert.Single(TransitionNotifications.For(Check, recovery, Row(CheckStatus.Ok, 3)));

        Assert.Equal(new Notification(NotificationKind.Ok, "test/web#3", "test/web", "CheckTest", "host", CheckStatus.Ok,
            T + TimeSpan.FromHours(2), T, "what it recovered from", ErrorInterval), notification);
    }

    [Fact]
    public void Moves_between_ok_and_retrying_notify_nothing()
    {
        Assert.Empty(TransitionNotifications.For(Check, Transition(CheckStatus.Ok, CheckStatus.Retrying, T, null), Row(CheckStatus.Retrying, 1)));
        Assert.Empty(TransitionNotifications.For(Check, Transition(CheckStatus.Retrying, CheckStatus.Ok, T, null), Row(CheckStatus.Ok, 1)));
    }

    [Fact]
    public void A_notification_survives_a_json_round_trip()
    {
        var notification = Assert.Single(TransitionNotifications.For(Check,
            Transition(CheckStatus.Error, CheckStatus.Ok, T + TimeSpan.FromMinutes(7), T), Row(CheckStatus.Ok, 12)));

        var back = System.Text.Json.JsonSerializer.Deserialize<Notification>(System.Text.Json.JsonSerializer.Serialize(notification));

        Assert.Equal(notification, back);
        Assert.Equal(T.Offset, back!.Since.Offset);
    }
}
