using System.Globalization;
using Picomon.Checks;
using Picomon.Configuration;
using Picomon.Notifications;

namespace Picomon.Mail;

/// <summary>Renders a <see cref="Notification"/> (Problem, OK, Reminder, Flapping), a digest, a report or the daemon's stop
/// as an <see cref="OutgoingMail"/>.
/// Pure: no I/O and no clock — the time is passed in and the host name given at construction — so it
/// is tested without SMTP. Only the random part of each Message-ID varies.</summary>
/// <param name="fqdn">This host's name, used in Message-IDs and in the default From.</param>
public sealed class MailComposer(string fqdn)
{
    public const string NoSubstitution = "<no substitution>";

    /// <summary>The From used when <c>emails.addr-from</c> is empty.</summary>
    public static string DefaultFrom(string fqdn) => $"Picomon <picomon@{fqdn}>";

    /// <summary>The mail of a notification: a Problem (with the checks it made unreachable under <c>Affected:</c>, when
    /// there are some), or an OK, Reminder, Flapping or Affected notification answering <paramref name="answers"/> (the
    /// messages that announced the incident: In-Reply-To the first, References all; not threaded when there are
    /// none). Each carries the incident's id in an <c>X-Picomon-Incident</c> header.</summary>
    public OutgoingMail Render(EmailSettings settings, Notification notification, IReadOnlyList<string> answers)
    {
        var subject = Subject(settings.SubjectTemplate, NotificationText.State(notification), notification);
        var (body, kind) = notification.Kind switch
        {
            NotificationKind.Problem => ($"{Heading(notification)}\nfailure:\n{notification.Message.Trim()}\n"
                                         + NotificationText.AffectedLines(notification), MailKind.Problem),
            NotificationKind.Ok => ($"{Heading(notification)}\n{NotificationText.Message(notification)}\n", MailKind.Recovery),
            NotificationKind.Flapping => ($"{Heading(notification)}\nflapping:\n{notification.Message.Trim()}\n", MailKind.Flapping),
            NotificationKind.Affected => ($"{Heading(notification)}\n{NotificationText.AffectedLines(notification).TrimStart('\n')}",
                MailKind.Affected),
            _ => ($"{Heading(notification)}\nstill in error after {NotificationText.Elapsed(notification.At - notification.Since)}"
                  + $", since {NotificationText.LocalTime(notification.Since)}:\n{notification.Message.Trim()}\n", MailKind.Reminder),
        };
        return Mail(settings, subject, body, answers, notification.At, kind, notification.CheckId, notification.Incident);
    }

    /// <summary>The mail of a digest (<paramref name="announcement"/> with several items, or some that recovered before
    /// notification): subject <paramref name="subjectTemplate"/> (<c>notify.digest-subject-tpl</c>), one line per
    /// item; it answers <paramref name="answers"/> and names every incident in its <c>X-Picomon-Incident</c> header.</summary>
    public OutgoingMail Digest(EmailSettings settings, string subjectTemplate, Announcement announcement,
        IReadOnlyList<string> answers, DateTimeOffset now) =>
        Mail(settings, NotificationText.DigestSubject(subjectTemplate, announcement), NotificationText.Body(announcement), answers,
            now, MailKind.Digest, null, announcement.Items.Count == 0 ? null : string.Join(", ", announcement.Items.Select(n => n.Incident).Distinct()));

    /// <summary>The global report: <paramref name="errors"/> are the checks in error for longer than <paramref name="olderThan"/>.</summary>
    public OutgoingMail Report(EmailSettings settings, TimeSpan olderThan, IEnumerable<CheckInError> errors,
        IEnumerable<CheckNotInError> others, DateTimeOffset now) =>
        Mail(settings, settings.ReportSubject,
            $"Following entries have failed for more than {Seconds(olderThan)}s:\n{StateText.Body(errors, others)}",
            [], now, MailKind.Report, null, null);

    public OutgoingMail Stopped(EmailSettings settings, int exitStatus, DateTimeOffset now) =>
        Mail(settings, settings.WatchdogSubject, $"Picomon exited with status {exitStatus}\n", [], now, MailKind.Stopped, null,
            null);

    /// <summary><c>subject-tpl</c> with <c>{state}</c>, <c>{check}</c> and <c>{dest}</c> replaced, any other
    /// <c>{name}</c> by <see cref="NoSubstitution"/>; <c>{{</c> and <c>}}</c> are literal braces, as in the original.</summary>
    public static string Subject(string template, string state, Notification notification) =>
        Placeholders.Fill(template, name => name switch
        {
            "state" => state,
            "check" => notification.CheckType,
            "dest" => notification.Target,
            _ => null,
        }, NoSubstitution);

    /// <summary>A unique Message-ID: <c>&lt;yyyyMMddHHmmss.RANDOM@fqdn&gt;</c>.</summary>
    public string NewMessageId(DateTimeOffset now) =>
        $"<{now.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}.{Guid.NewGuid():N}@{fqdn}>";

    private static string Heading(Notification notification) =>
        $"Check {notification.CheckId} ({notification.CheckType} on {notification.Target}):";

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    // One message answered: References is In-Reply-To, as the original wrote it; several: all of them.
    private OutgoingMail Mail(EmailSettings settings, string subject, string body, IReadOnlyList<string> answers,
        DateTimeOffset now, MailKind kind, string? checkId, string? incident) =>
        new(NewMessageId(now), settings.AddrFrom is { Length: > 0 } from ? from : DefaultFrom(fqdn), [.. settings.To],
            subject, body, answers.FirstOrDefault(), now, kind, checkId, incident,
            answers.Count > 1 ? string.Join(" ", answers) : null);
}
