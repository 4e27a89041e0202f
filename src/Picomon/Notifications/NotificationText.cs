using System.Globalization;

namespace Picomon.Notifications;

/// <summary>The words every rendering shares: a notification's state and message, the digest's subject, summary
/// and one line per item, and how a list of checks is shortened. Pure.</summary>
public static class NotificationText
{
    /// <summary>How many check ids a digest's <c>{checks}</c> names before "and N more".</summary>
    public const int ChecksNamed = 3;

    /// <summary>The state as <c>{state}</c> shows it: Problem, OK, Reminder, Flapping or Affected.</summary>
    public static string State(Notification n) => n.Kind switch
    {
        NotificationKind.Problem => "Problem",
        NotificationKind.Ok => "OK",
        NotificationKind.Flapping => "Flapping",
        NotificationKind.Affected => "Affected",
        _ => "Reminder",
    };

    /// <summary>What happened, in a line or a few: the failure for a Problem or a Reminder, the recovery for an OK, the
    /// checks made unreachable for an Affected notification.</summary>
    public static string Message(Notification n) => n.Kind switch
    {
        NotificationKind.Ok => RecoveredAfter(n.At - n.Since, n.ErrorInterval),
        NotificationKind.Affected => Unreachable(n.Affected),
        _ => n.Message.Trim(),
    };

    /// <summary><c>unreachable: http4/a, http4/b</c>: every check an incident made unreachable.</summary>
    public static string Unreachable(IEnumerable<string> affected) => $"unreachable: {string.Join(", ", affected)}";

    /// <summary>The lines a mail adds for the checks an incident made unreachable (none when there are none): a blank
    /// line, <c>Affected:</c>, then one check id per line.</summary>
    public static string AffectedLines(Notification n) =>
        n.Affected.Count == 0 ? "" : "\nAffected:\n" + string.Concat(n.Affected.Select(id => id + "\n"));

    /// <summary><c>recovered after H:MM:SS (N retries).</c>: whole seconds, hours unpadded and not wrapped at
    /// a day; N is the duration divided by the error interval, rounded down.</summary>
    public static string RecoveredAfter(TimeSpan inError, TimeSpan errorInterval)
    {
        var seconds = Math.Max(0L, (long)Math.Floor(inError.TotalSeconds));
        var retries = errorInterval > TimeSpan.Zero ? (long)(seconds / errorInterval.TotalSeconds) : 0;
        return $"recovered after {Elapsed(inError)} ({retries} {(retries == 1 ? "retry" : "retries")}).";
    }

    /// <summary>A duration as H:MM:SS, whole seconds (hours are not wrapped at 24).</summary>
    public static string Elapsed(TimeSpan span)
    {
        var seconds = Math.Max(0L, (long)Math.Floor(span.TotalSeconds));
        return $"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}";
    }

    /// <summary>A time as mails and dumps print it: local time with its offset, to the second.</summary>
    public static string LocalTime(DateTimeOffset time) =>
        time.ToLocalTime().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>The first <see cref="ChecksNamed"/> names, then "and N more": <c>http4/a, http4/b, http4/c and 17 more</c>.</summary>
    public static string Shortened(IEnumerable<string> names)
    {
        var all = names.Distinct().ToList();
        var shown = string.Join(", ", all.Take(ChecksNamed));
        return all.Count > ChecksNamed ? $"{shown} and {all.Count - ChecksNamed} more" : shown;
    }

    /// <summary>Problems (Reminders and Flapping included: incidents still open), OKs and Reminders of a digest.</summary>
    public static (int Problems, int Oks, int Reminders) Counts(Announcement a) =>
        (a.Items.Count(n => n.Kind != NotificationKind.Ok), a.Items.Count(n => n.Kind == NotificationKind.Ok),
         a.Items.Count(n => n.Kind == NotificationKind.Reminder));

    /// <summary><c>notify.digest-subject-tpl</c> filled in: <c>{problems}</c>, <c>{oks}</c>, <c>{reminders}</c>, <c>{checks}</c>.</summary>
    public static string DigestSubject(string template, Announcement a)
    {
        var (problems, oks, reminders) = Counts(a);
        return Placeholders.Fill(template, name => name switch
        {
            "problems" => problems.ToString(CultureInfo.InvariantCulture),
            "oks" => oks.ToString(CultureInfo.InvariantCulture),
            "reminders" => reminders.ToString(CultureInfo.InvariantCulture),
            "checks" => Shortened(a.Items.Select(n => n.CheckId)),
            _ => null,
        }, "");
    }

    /// <summary>A digest in a few words: <c>2 Problem, 1 OK; 3 recovered before notification</c>.</summary>
    public static string Summary(Announcement a)
    {
        var (problems, oks, _) = Counts(a);
        var recovered = a.RecoveredBeforeNotification > 0 ? $"; {RecoveredLine(a.RecoveredBeforeNotification)}" : "";
        return $"{problems} Problem, {oks} OK{recovered}";
    }

    /// <summary>One line for an item of a digest: <c>Problem: http4/web (CheckHTTP4 on web): Connection refused</c>.</summary>
    public static string Line(Notification n)
    {
        var what = n.Kind switch
        {
            NotificationKind.Reminder => $"in error for {Elapsed(n.At - n.Since)}: {FirstLine(n.Message)}",
            NotificationKind.Ok or NotificationKind.Affected => Message(n),
            _ => FirstLine(n.Message),
        };
        var affected = n.Kind == NotificationKind.Problem && n.Affected.Count > 0 ? $"; {Unreachable(n.Affected)}" : "";
        return $"{State(n)}: {n.CheckId} ({n.CheckType} on {n.Target}): {what}{affected}";
    }

    /// <summary>A digest's body: one line per item, then how many recovered before notification.</summary>
    public static string Body(Announcement a)
    {
        var lines = string.Concat(a.Items.Select(n => Line(n) + "\n"));
        return a.RecoveredBeforeNotification > 0 ? $"{lines}\n{RecoveredLine(a.RecoveredBeforeNotification)}.\n" : lines;
    }

    private static string RecoveredLine(int count) => $"{count} recovered before notification";

    private static string FirstLine(string message)
    {
        var trimmed = message.Trim();
        var end = trimmed.IndexOf('\n');
        return (end < 0 ? trimmed : trimmed[..end]).TrimEnd('\r');
    }
}
