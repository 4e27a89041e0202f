using Picomon.Checks;

namespace Picomon.Notifications;

/// <summary>What happened to which incident, independent of how it is delivered: a mail is one rendering of
/// it (MailComposer.Render), a webhook body would be another. Plain data (strings, numbers, times, enums), so
/// that it can be stored as it is.</summary>
/// <param name="Incident">The incident's durable id, <c>CHECK#N</c> (<see cref="Checks.Incident.Id"/>).</param>
/// <param name="CheckType">The check type's name in mails: <c>CheckHTTP4</c>.</param>
/// <param name="Target">The target's human-readable name.</param>
/// <param name="State">Where the check stands now: Error for a Problem, Ok for an OK.</param>
/// <param name="At">When it happened (the run's end).</param>
/// <param name="Since">When the incident began (the Problem's time).</param>
/// <param name="Message">The failure message; for an OK, the last failure, which it recovered from.</param>
/// <param name="ErrorInterval">The check's error-every × base-tick: an OK tells how many retries the error lasted.</param>
/// <param name="ThreadTo">The Message-ID of the message this one answers (an OK answers its Problem), if any.</param>
public sealed record Notification(
    NotificationKind Kind,
    string Incident,
    string CheckId,
    string CheckType,
    string Target,
    CheckStatus State,
    DateTimeOffset At,
    DateTimeOffset Since,
    string Message,
    TimeSpan ErrorInterval,
    string? ThreadTo);
