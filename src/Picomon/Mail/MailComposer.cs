using System.Globalization;
using System.Text.RegularExpressions;
using Picomon.Configuration;

namespace Picomon.Mail;

/// <summary>Turns a transition, a report or the daemon's stop into an <see cref="OutgoingMail"/> (SPEC §5–§7).
/// Pure: no I/O and no clock — the time is passed in and the host name given at construction — so it
/// is tested without SMTP. Only the random part of each Message-ID varies.</summary>
/// <param name="fqdn">This host's name, used in Message-IDs and in the default From.</param>
public sealed partial class MailComposer(string fqdn)
{
    public const string NoSubstitution = "<no substitution>";

    /// <summary>The From used when <c>emails.addr-from</c> is empty.</summary>
    public static string DefaultFrom(string fqdn) => $"Picomon <picomon@{fqdn}>";

    public OutgoingMail Problem(EmailSettings settings, CheckDefinition check, string failure, DateTimeOffset now) =>
        Mail(settings, Subject(settings.SubjectTemplate, "Problem", check),
            $"{Heading(check)}\nfailure:\n{failure.Trim()}\n", null, now, MailKind.Problem, check.Id);

    /// <summary>The recovery mail, threaded to <paramref name="problemMessageId"/> (null when it is unknown).</summary>
    public OutgoingMail Recovery(EmailSettings settings, CheckDefinition check, TimeSpan baseTick,
        DateTimeOffset inErrorSince, DateTimeOffset now, string? problemMessageId) =>
        Mail(settings, Subject(settings.SubjectTemplate, "OK", check),
            $"{Heading(check)}\n{RecoveredAfter(now - inErrorSince, check.ErrorInterval(baseTick))}\n",
            problemMessageId, now, MailKind.Recovery, check.Id);

    /// <summary>The global report: <paramref name="errors"/> are the checks in error for longer than <paramref name="olderThan"/>.</summary>
    public OutgoingMail Report(EmailSettings settings, TimeSpan olderThan, IEnumerable<CheckInError> errors,
        IEnumerable<CheckNotInError> others, DateTimeOffset now) =>
        Mail(settings, settings.ReportSubject,
            $"Following entries have failed for more than {Seconds(olderThan)}s:\n{StateText.Body(errors, others)}",
            null, now, MailKind.Report, null);

    public OutgoingMail Stopped(EmailSettings settings, int exitStatus, DateTimeOffset now) =>
        Mail(settings, settings.WatchdogSubject, $"Picomon exited with status {exitStatus}\n", null, now, MailKind.Stopped, null);

    /// <summary><c>subject-tpl</c> with <c>{state}</c>, <c>{check}</c> and <c>{dest}</c> replaced, any other
    /// <c>{name}</c> by <see cref="NoSubstitution"/>; <c>{{</c> and <c>}}</c> are literal braces, as in the original.</summary>
    public static string Subject(string template, string state, CheckDefinition check) =>
        Placeholder().Replace(template, m => m.Value switch
        {
            "{{" => "{",
            "}}" => "}",
            "{state}" => state,
            "{check}" => check.Type.MailName,
            "{dest}" => check.Target.Name,
            _ => NoSubstitution,
        });

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

    private static string Heading(CheckDefinition check) => $"Check {check.Id} ({check.Type.MailName} on {check.Target.Name}):";

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private OutgoingMail Mail(EmailSettings settings, string subject, string body, string? inReplyTo,
        DateTimeOffset now, MailKind kind, string? checkId) =>
        new(NewMessageId(now), settings.AddrFrom is { Length: > 0 } from ? from : DefaultFrom(fqdn), [.. settings.To],
            subject, body, inReplyTo, now, kind, checkId);

    [GeneratedRegex(@"\{\{|\}\}|\{[^{}]*\}")]
    private static partial Regex Placeholder();
}
