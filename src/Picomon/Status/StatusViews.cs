using Picomon.Actors;
using Picomon.Checks;
using Picomon.Configuration;

namespace Picomon.Status;

/// <summary>Builds the read model: one <see cref="CheckView"/> per configured check from the aggregator's
/// snapshot. Pure: the same snapshot and definitions give the same report.</summary>
public static class StatusViews
{
    /// <summary>The configured checks matching <paramref name="patterns"/>, problems first (in
    /// <see cref="CheckViewState"/> order), then by id (ordinal). A check the snapshot does not know yet (it
    /// has not reported) is shown OK with no since, no run and no message, as the state dump counts it.</summary>
    /// <param name="nodeOf">In a cluster, the node running each check (by id); a check it does not name is shown
    /// with an empty node. Null on a single node: no node at all.</param>
    public static StatusReport Build(StateSnapshot snapshot, IEnumerable<CheckDefinition> checks, CheckPatterns patterns,
        IReadOnlyDictionary<string, string>? nodeOf = null)
    {
        var rows = snapshot.Checks.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var views = checks
            .Where(c => patterns.Matches(c.Id))
            .Select(c => View(c, rows.GetValueOrDefault(c.Id)) with { Node = nodeOf is null ? null : nodeOf.GetValueOrDefault(c.Id, "") })
            .OrderBy(v => v.State)
            .ThenBy(v => v.Id, StringComparer.Ordinal)
            .ToList();
        return new StatusReport(snapshot.TakenAt, views);
    }

    private static CheckView View(CheckDefinition check, CheckState? row)
    {
        if (row is null)
            return new CheckView(check.Id, CheckViewState.Ok, check.Type.Name, check.Target.Name, null, "", 0, null, null);
        var state = row switch
        {
            { HeldProblem: true } when row.Held.HasFlag(HoldReasons.Dependency) => CheckViewState.Unreachable,
            { Flap.Flapping: true } => CheckViewState.Flapping,
            { HeldProblem: true, Held: not HoldReasons.None } => CheckViewState.Held,
            _ => ToView(row.Status),
        };
        return new CheckView(check.Id, state, check.Type.Name, check.Target.Name,
            row.Status == CheckStatus.Error ? row.ErrorSince ?? row.Since : row.Since,
            row.LastMessage, row.ConsecutiveFailures, row.LastRun, row.LastDuration?.TotalSeconds, Reconcile.Labels(row.Held));
    }

    private static CheckViewState ToView(CheckStatus status) => status switch
    {
        CheckStatus.Ok => CheckViewState.Ok,
        CheckStatus.Retrying => CheckViewState.Retrying,
        CheckStatus.Error => CheckViewState.Error,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "a status the read model does not show"),
    };
}
