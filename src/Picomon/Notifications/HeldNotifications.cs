using Picomon.Checks;
using Picomon.Configuration;

namespace Picomon.Notifications;

/// <summary>The holds applied to a check's notifications: what <see cref="TransitionNotifications"/> decides goes out
/// unless the check is held; a held Problem waits in the row (<see cref="CheckState.HeldProblem"/>), an OK held by
/// flapping too (<see cref="CheckState.OkHeld"/>), and when the last hold ends <see cref="Reconcile.Decide"/> says what
/// follows. Flapping is a hold of its own, on the check's flap history whatever the windows and silences say; when it
/// starts on a check with a notified open incident, that incident gets one Flapping notification. Pure: the aggregator
/// calls it and sends what it returns.</summary>
public static class HeldNotifications
{
    /// <summary>The holds on a check: <paramref name="calendar"/>'s (windows, silences) and flapping while
    /// <paramref name="flap"/> says the check flaps.</summary>
    public static HoldReasons On(FlapHistory flap, HoldReasons calendar) =>
        flap.Flapping ? calendar | HoldReasons.Flapping : calendar;

    /// <summary>A transition under the <paramref name="calendar"/>'s holds: the check's new row, what to send, and the
    /// holds that kept back a notification it would have sent (none when nothing was kept back).</summary>
    /// <param name="before">The check's row before the transition.</param>
    public static (CheckState Row, IReadOnlyList<Notification> Send, HoldReasons HeldBy) OnTransition(
        CheckDefinition check, CheckTransition transition, CheckState before, HoldReasons calendar)
    {
        var holds = On(transition.Flap, calendar);
        var row = before.After(transition) with { Held = holds, Flap = transition.Flap };
        var (next, send, heldBy) = Apply(transition, before, row, holds, TransitionNotifications.For(check, transition, row));
        return (next, [.. send, .. FlappingStarted(check, before.Flap, next, transition.At, transition.ErrorInterval)], heldBy);
    }

    private static (CheckState Row, IReadOnlyList<Notification> Send, HoldReasons HeldBy) Apply(
        CheckTransition transition, CheckState before, CheckState row, HoldReasons holds, IReadOnlyList<Notification> notifications)
    {
        // The incident's OK is owed: a new failure continues it (same number, no Problem), so it does not churn.
        if (transition.IsProblem && before.OkHeld)
            return (row with { Incidents = before.Incidents, OkHeld = false, ErrorSince = before.ErrorSince }, [], holds);
        if (transition.IsProblem && holds != HoldReasons.None)
            return (row with { HeldProblem = true }, [], holds);
        // A recovery whose Problem was never sent closes an incident nobody heard of: nothing.
        if (transition.IsRecovery && before.HeldProblem) return (row, [], HoldReasons.None);
        // A notified incident gets its OK at once, held or not (a Problem is never left without its OK), except while
        // flapping: then the incident stays open and its OK is owed until the flapping ends.
        if (transition.IsRecovery && !Reconcile.OkAtOnce(holds))
            return (row with { OkHeld = true, ErrorSince = before.ErrorSince ?? transition.ErrorSince }, [], HoldReasons.Flapping);
        // An incident continued while flapping began before the state machine's last entry into error: its OK counts
        // from the earliest start known.
        return (row, notifications.Select(n => n.Kind == NotificationKind.Ok && before.ErrorSince is { } start && start < n.Since
            ? n with { Since = start } : n).ToList(), HoldReasons.None);
    }

    /// <summary>A run of the check that started at <paramref name="started"/> and ended at <paramref name="ended"/>, its
    /// row already carrying the run's flap history (<paramref name="before"/>: the history before it): the row with its
    /// holds now, and what the run sends — a Flapping notification when flapping starts on a notified incident, the
    /// owed OK once no hold is left and the check is not in error, a held Problem it confirms (the last hold ended at or
    /// before its start and it left the check in error).</summary>
    public static (CheckState Row, IReadOnlyList<Notification> Send) OnRun(CheckDefinition check, FlapHistory before,
        CheckState row, HoldReasons calendar, DateTimeOffset started, DateTimeOffset ended, TimeSpan errorInterval)
    {
        var holds = On(row.Flap, calendar);
        if (holds != row.Held) row = Holds(row, holds, ended);
        // Built only when something goes out: most runs send nothing, and the aggregator sees every run.
        List<Notification>? send = null;
        foreach (var flapping in FlappingStarted(check, before, row, ended, errorInterval)) (send ??= []).Add(flapping);
        if (row is { OkHeld: true, Held: HoldReasons.None, Status: not CheckStatus.Error })
        {
            (send ??= []).Add(Made(NotificationKind.Ok, check, row, row.Since, "", errorInterval));
            row = row with { OkHeld = false, ErrorSince = null };
        }
        if (row is { ConfirmAfter: { } after, HeldProblem: true, Status: CheckStatus.Error } && started >= after)
        {
            (send ??= []).Add(Made(NotificationKind.Problem, check, row, ended, row.LastMessage, errorInterval));
            row = row with { HeldProblem = false, ConfirmAfter = null };
        }
        return (row, send ?? (IReadOnlyList<Notification>)[]);
    }

    /// <summary>The check's holds are now <paramref name="holds"/> (at <paramref name="now"/>): its row, with, when no
    /// hold is left, the reconcile rule's verdict applied — a held Problem waits for a run that starts from now (an owed
    /// OK goes out with the next run, <see cref="OnRun"/>).</summary>
    public static CheckState Holds(CheckState row, HoldReasons holds, DateTimeOffset now)
    {
        if (holds != HoldReasons.None) return row with { Held = holds, ConfirmAfter = null };
        var verdict = Reconcile.Decide(row.Status, row.Notified);
        DateTimeOffset? confirm = verdict == ReconcileVerdict.ProblemAfterConfirmingRun ? row.ConfirmAfter ?? now : null;
        return row with { Held = holds, ConfirmAfter = confirm };
    }

    /// <summary>What a Flapping notification says: the weighted share of changes over the window, and that what
    /// follows is held.</summary>
    public static string FlappingMessage(FlapHistory flap, AlertRules rules) =>
        $"the state changed in {(int)Math.Round(FlapHistory.Share(flap.Bits, rules.FlapWindow) * 100)}% of the last {rules.FlapWindow} runs "
        + "(weighted); notifications are held until it settles.";

    private static IEnumerable<Notification> FlappingStarted(CheckDefinition check, FlapHistory before, CheckState row,
        DateTimeOffset at, TimeSpan errorInterval) =>
        !before.Flapping && row.Flap.Flapping && row.Notified
            ? [Made(NotificationKind.Flapping, check, row, at, FlappingMessage(row.Flap, check.Rules), errorInterval)]
            : [];

    private static Notification Made(NotificationKind kind, CheckDefinition check, CheckState row, DateTimeOffset at,
        string message, TimeSpan errorInterval) =>
        new(kind, Incident.Id(row.Id, row.Incidents), row.Id, check.Type.MailName, check.Target.Name,
            kind == NotificationKind.Ok ? CheckStatus.Ok : row.Status, at, row.ErrorSince ?? row.Since, message, errorInterval);
}
