using Picomon.Checks;

namespace Picomon.Notifications;

/// <summary>What happened to which incident, independent of how and where it is delivered: a mail
/// (MailComposer), the picomon JSON, the Alertmanager payload or a template body is one rendering of it, and the
/// threading of each channel's messages is the channel's (a rendering is given the messages it answers). Plain
/// data (strings, numbers, times, enums), so that it is stored as it is while it waits for its group's digest.</summary>
/// <param name="Incident">The incident's durable id, <c>CHECK#N</c> (<see cref="Checks.Incident.Id"/>).</param>
/// <param name="CheckType">The check type's name in mails: <c>CheckHTTP4</c>.</param>
/// <param name="Target">The target's human-readable name.</param>
/// <param name="State">Where the check stands now: Error for a Problem or a Reminder, Ok for an OK.</param>
/// <param name="At">When it happened (the run's end; for a reminder, when it fell due).</param>
/// <param name="Since">When the incident began (the Problem's time).</param>
/// <param name="Message">The failure message (for a reminder, the latest); for an OK, the last failure, which it
/// recovered from.</param>
/// <param name="ErrorInterval">The check's error-every × base-tick: an OK tells how many retries the error lasted.</param>
/// <param name="Affected">For a Problem or an Affected notification: the checks its error made <c>unreachable</c>, in the
/// order they became so; empty otherwise (and in notifications stored before the list existed).</param>
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
    IReadOnlyList<string> Affected = null!)
{
    // A notification stored before the list existed reads without it (null): empty.
    public IReadOnlyList<string> Affected { get; init; } = Affected ?? [];

    /// <summary>By value, the affected list by its elements (it comes back from the store as another list).</summary>
    public bool Equals(Notification? other) =>
        other is not null && Kind == other.Kind && Incident == other.Incident && CheckId == other.CheckId
        && CheckType == other.CheckType && Target == other.Target && State == other.State && At == other.At
        && Since == other.Since && Message == other.Message && ErrorInterval == other.ErrorInterval
        && Affected.SequenceEqual(other.Affected);

    public override int GetHashCode() => HashCode.Combine(Kind, Incident, At);
}
