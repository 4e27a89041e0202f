using Picomon.Checks;
using Picomon.Configuration;

namespace Picomon.Notifications;

/// <summary>The holds applied to a check's notifications: what <see cref="TransitionNotifications"/> decides goes out
/// unless the check is held; a held Problem waits in the row (<see cref="CheckState.HeldProblem"/>), and when the last
/// hold ends <see cref="Reconcile.Decide"/> says what follows. Pure: the aggregator calls it and sends what it
/// returns.</summary>
public static class HeldNotifications
{
    /// <summary>A transition under <paramref name="holds"/>: the check's new row and what to send.</summary>
    /// <param name="before">The check's row before the transition.</param>
    public static (CheckState Row, IReadOnlyList<Notification> Send) OnTransition(
        CheckDefinition check, CheckTransition transition, CheckState before, HoldReasons holds)
    {
        var row = before.After(transition) with { Held = holds };
        var notifications = TransitionNotifications.For(check, transition, row);
        if (transition.IsProblem && holds != HoldReasons.None)
            return (row with { HeldProblem = true }, []);
        // A recovery whose Problem was never sent closes an incident nobody heard of: nothing. A notified incident
        // gets its OK at once, held or not: a Problem is never left without its OK.
        if (transition.IsRecovery && before.HeldProblem) return (row, []);
        return (row, notifications);
    }

    /// <summary>A run of the check that started at <paramref name="started"/> and ended at <paramref name="ended"/>: the
    /// held Problem it confirms, if any (the last hold ended at or before its start and it left the check in error).</summary>
    public static (CheckState Row, Notification? Send) OnRun(
        CheckDefinition check, CheckState row, DateTimeOffset started, DateTimeOffset ended, TimeSpan errorInterval)
    {
        if (row is not { ConfirmAfter: { } after, HeldProblem: true, Status: CheckStatus.Error } || started < after)
            return (row, null);
        var problem = new Notification(NotificationKind.Problem, Incident.Id(row.Id, row.Incidents), row.Id,
            check.Type.MailName, check.Target.Name, CheckStatus.Error, ended, row.ErrorSince ?? row.Since,
            row.LastMessage, errorInterval);
        return (row with { HeldProblem = false, ConfirmAfter = null }, problem);
    }

    /// <summary>The check's holds are now <paramref name="holds"/> (at <paramref name="now"/>): its row, with, when no
    /// hold is left, the reconcile rule's verdict applied — a held Problem waits for a run that starts from now.</summary>
    public static CheckState Holds(CheckState row, HoldReasons holds, DateTimeOffset now)
    {
        if (holds != HoldReasons.None) return row with { Held = holds, ConfirmAfter = null };
        var verdict = Reconcile.Decide(row.Status, row.Notified);
        DateTimeOffset? confirm = verdict == ReconcileVerdict.ProblemAfterConfirmingRun ? row.ConfirmAfter ?? now : null;
        return row with { Held = holds, ConfirmAfter = confirm };
    }
}
