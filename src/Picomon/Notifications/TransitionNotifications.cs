using Picomon.Checks;
using Picomon.Configuration;

namespace Picomon.Notifications;

/// <summary>The one place where a check's transition becomes notifications: the aggregator calls it for
/// every transition and delivers exactly what it returns. Pure: no I/O, no clock, no actor.</summary>
/// <remarks>A check entering error gives a Problem, which opens its incident, and a check leaving error gives
/// an OK, which closes it; moves between OK and retrying give nothing.</remarks>
public static class TransitionNotifications
{
    /// <param name="check">The check's definition: its type's mail name and its target's name.</param>
    /// <param name="transition">What the check's state machine decided.</param>
    /// <param name="row">The check's row once the transition is applied (<see cref="CheckState.After"/>): its
    /// incident count.</param>
    public static IReadOnlyList<Notification> For(CheckDefinition check, CheckTransition transition, CheckState row)
    {
        if (!transition.IsProblem && !transition.IsRecovery) return [];
        var kind = transition.IsProblem ? NotificationKind.Problem : NotificationKind.Ok;
        return
        [
            new Notification(kind, Incident.Id(check.Id, row.Incidents), check.Id, check.Type.MailName, check.Target.Name,
                transition.To, transition.At, transition.ErrorSince ?? transition.At, transition.Message,
                transition.ErrorInterval),
        ];
    }
}
