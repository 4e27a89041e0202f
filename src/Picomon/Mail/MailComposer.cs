using System.Globalization;
using Picomon.Checks;
using Picomon.Configuration;
using Picomon.Notifications;

namespace Picomon.Mail;

/// <summary>Renders a <see cref="Notification"/> (Problem, OK), a report or the daemon's stop as an
/// <see cref="OutgoingMail"/> (SPEC §5–§7).
/// Pure: no I/O and no clock — the time is passed in and the host name given at construction — so it
/// is tested without SMTP. Only the random part of each Message-ID varies.</summary>
/// <param name="fqdn">This host's name, used in Message-IDs and in the default From.</param>
public sealed class MailComposer(string fqdn)
{
    public const string NoSubstitution = "<no substitution>";

    /// <summary>The From used when <c>emails.addr-from</c> is empty.</summary>
    public static string DefaultFrom(string fqdn) => $"Picomon <picomon@{fqdn}>";

    /// <summary>The mail of a notification: a Problem, or an OK threaded to <see cref="Notification.ThreadTo"/>
    /// (not threaded when that is unknown). Both carry the incident's id in an <c>X-Picomon-Incident</c> header.</summary>
    public OutgoingMail Render(EmailSettings settings, Notification notification) => notification.Kind switch
    {
        NotificationKind.Problem => Mail(settings, Subject(settings.SubjectTemplate, "Problem", notification),
            $"{Heading(notification)}\nfailure:\n{notification.Message.Trim()}\n", null, notification.At, MailKind.Problem,
            notification.CheckId, notification.Incident),
        NotificationKind.Ok => Mail(settings, Subject(settings.SubjectTemplate, "OK", notification),
            $"{Heading(notification)}\n{RecoveredAfter(notification.At - notification.Since, notification.ErrorInterval)}\n",
            notification.ThreadTo, notification.At, MailKind.Recovery, notification.CheckId, notification.Incident),
        _ => throw new ArgumentOutOfRangeException(nameof(notification), notification.Kind, "no mail for this kind"),
    };

    /// <summary>The global report: <paramref name="errors"/> are the checks in error for longer than <paramref name="olderThan"/>.</summary>
    public OutgoingMail Report(EmailSettings settings, TimeSpan olderThan, IEnumerable<CheckInError> errors,
        IEnumerable<CheckNotInError> others, DateTimeOffset now) =>
        Mail(settings, settings.ReportSubject,
            $"Following entries have failed for more than {Seconds(olderThan)}s:\n{StateText.Body(errors, others)}",
            null, now, MailKind.Report, null, null);

    public OutgoingMail Stopped(EmailSettings settings, int exitStatus, DateTimeOffset now) =>
        Mail(settings, settings.WatchdogSubject, $"Picomon exited with status {exitStatus}\n", null, now, MailKind.Stopped, null,
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

    /// <summary><c>recovered after H:MM:SS (N retries).</c>: whole seconds, hours unpadded and not wrapped at
    /// a day; N is the duration divided by the error interval, rounded down.</summary>
    public static string RecoveredAfter(TimeSpan inError, TimeSpan errorInterval)
    {
        var seconds = Math.Max(0L, (long)Math.Floor(inError.TotalSeconds));
        var retries = errorInterval > TimeSpan.Zero ? (long)(seconds / errorInterval.TotalSeconds) : 0;
        var duration = $"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}";
        return $"recovered after {duration} ({retries} {(retries == 1 ? "retry" : "retries")}).";
    }

    /// <summary>A unique Message-ID: <c>&lt;yyyyMMddHHmmss.RANDOM@fqdn&gt;</c>.</summary>
    public string NewMessageId(DateTimeOffset now) =>
        $"<{now.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}.{Guid.NewGuid():N}@{fqdn}>";

    private static string Heading(Notification notification) =>
        $"Check {notification.CheckId} ({notification.CheckType} on {notification.Target}):";

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private OutgoingMail Mail(EmailSettings settings, string subject, string body, string? inReplyTo,
        DateTimeOffset now, MailKind kind, string? checkId, string? incident) =>
        new(NewMessageId(now), settings.AddrFrom is { Length: > 0 } from ? from : DefaultFrom(fqdn), [.. settings.To],
            subject, body, inReplyTo, now, kind, checkId, incident);
}
