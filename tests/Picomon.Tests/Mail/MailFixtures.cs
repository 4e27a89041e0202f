using Picomon.Checks;
using Picomon.Configuration;
using Picomon.Notifications;

namespace Picomon.Tests.Mail;

/// <summary>Settings and checks shared by the mail tests.</summary>
internal static class MailFixtures
{
    public static EmailSettings Settings(
        IReadOnlyList<string>? to = null, string addrFrom = "Picomon <picomon@monitor.example.org>",
        string host = "127.0.0.1", int port = 25, SmtpTls tls = SmtpTls.Auto, string? user = null, string? password = null,
        TimeSpan? keepalive = null, TimeSpan? retry = null, string subjectTemplate = "[DOMAIN] {state}: {check} on {dest}") =>
        new(to ?? ["ops@example.org", "Oncall <oncall@example.org>"], addrFrom, host, port,
            keepalive ?? TimeSpan.FromSeconds(60), retry ?? TimeSpan.FromSeconds(60), tls, user, password,
            subjectTemplate, TimeSpan.FromHours(1), "[DOMAIN] Picomon error report", "[DOMAIN] Picomon stopped");

    /// <summary>The error interval of <c>smtp4/mx</c>: error-every 5 ticks of 60 s.</summary>
    public static readonly TimeSpan ErrorInterval = TimeSpan.FromMinutes(5);

    /// <summary>A Problem of <c>smtp4/mx</c> (CheckSMTP4 on "mail.example.org"), its third incident.</summary>
    public static Notification Problem(string failure, DateTimeOffset at) =>
        new(NotificationKind.Problem, "smtp4/mx#3", "smtp4/mx", "CheckSMTP4", "mail.example.org", CheckStatus.Error, at, at,
            failure, ErrorInterval);

    /// <summary>The OK of that incident: in error from <paramref name="since"/> to <paramref name="at"/>.</summary>
    public static Notification Ok(DateTimeOffset since, DateTimeOffset at) =>
        new(NotificationKind.Ok, "smtp4/mx#3", "smtp4/mx", "CheckSMTP4", "mail.example.org", CheckStatus.Ok, at, since,
            "Connection refused", ErrorInterval);

    /// <summary>A reminder of that incident, open since <paramref name="since"/>, due at <paramref name="at"/>.</summary>
    public static Notification Reminder(DateTimeOffset since, DateTimeOffset at) =>
        new(NotificationKind.Reminder, "smtp4/mx#3", "smtp4/mx", "CheckSMTP4", "mail.example.org", CheckStatus.Error, at, since,
            "Connection refused", ErrorInterval);
}
