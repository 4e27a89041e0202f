using Akka.Actor;
using Akka.Event;
using Picomon.Checks;
using Picomon.Notifications;

namespace Picomon.Actors;

/// <summary>The aggregator's side of the dependencies (<c>depends-on</c>): what <see cref="DependencyHolds"/> decides,
/// applied to the table, the notifications not committed yet and the checks (run now).</summary>
public sealed partial class StateAggregator
{
    private readonly DependencyHolds _dependencies = new();
    private IActorRef? _checksSupervisor;

    private CheckState? RowOf(string id) => Viewed(_table.GetValueOrDefault(id));

    /// <summary>The holds on a check now: the windows' and silences', its parents', and flapping while it flaps.</summary>
    private HoldReasons HoldsOn(CheckState row) => HeldNotifications.On(row.Flap, NonFlappingHolds(row));

    /// <summary>The holds on a check now but flapping (which its run decides): the windows' and silences', and its parents'.</summary>
    private HoldReasons NonFlappingHolds(CheckState row) =>
        _calendar.Of(row.Id) | (_dependencies.Holds(row, RowOf) ? HoldReasons.Dependency : HoldReasons.None);

    /// <summary>What a transition of check <paramref name="id"/> changes for the dependencies: as a child, the
    /// <paramref name="verdict"/> its Problem got (unreachable: listed by its parents; waits: its parents run now); as a
    /// parent, its Problem is the verdict the checks waiting for it have (unreachable, listed by that Problem in this
    /// batch), and its recovery releases its unreachable checks.</summary>
    private void AfterTransition(string id, CheckTransition transition, DependencyHolds.Verdict verdict, IReadOnlyList<string> runNow)
    {
        if (verdict == DependencyHolds.Verdict.Unreachable) Unreachable(id);
        if (verdict == DependencyHolds.Verdict.Waits)
            _log.Info("{0}: waits for the verdict of {1}, asked to run now", id, string.Join(", ", runNow));
        RunNow(runNow);
        if (transition.To != CheckStatus.Error) _dependencies.Forget(id);
        if (transition.IsProblem && _dependencies.AwaitsVerdictOf(id)) OnParentRan(id, transition.At);
        if (transition.IsRecovery) ReleaseChildrenOf(id);
    }

    /// <summary>The check entered error behind a parent in error (or learnt its parent is): its parents' notified
    /// incidents list it, and <paramref name="behind"/> (the checks unreachable behind it that nobody listed while it
    /// waited).</summary>
    private void Unreachable(string id, IReadOnlyList<string>? behind = null)
    {
        _log.Info("{0}: unreachable ({1} in error): no notification of its own", id,
            string.Join(", ", _dependencies.ParentsOf(id).Where(p => RowOf(p)?.Status == CheckStatus.Error)));
        if (_notifier is null) return;
        foreach (var parent in AffectedNotifications.ListedBy(id, _dependencies.ParentsOf, RowOf))
            if (_checks.TryGetValue(parent, out var check))
                foreach (var listed in behind is null ? [id] : behind.Prepend(id))
                    AffectedNotifications.Add(_unsent, check.Check, _table[parent], check.ErrorInterval, listed, Now);
        CommitSoon();
    }

    /// <summary>The children of <paramref name="id"/> that are unreachable now (what its Problem, sent late, lists).</summary>
    private IReadOnlyList<string> UnreachableChildrenOf(string id) =>
        [.. _dependencies.ChildrenOf(id).Where(c => RowOf(c) is { } row && row.Held.HasFlag(HoldReasons.Dependency))];

    /// <summary>A run of a parent that checks wait for: those with a parent in error now are unreachable, those whose
    /// parents all ran OK are released; a run that started before some check's wait is followed by another.</summary>
    private void OnParentRan(string parent, DateTimeOffset started)
    {
        var ran = _dependencies.OnParentRan(parent, started, RowOf);
        // While it waited, its own unreachable checks found no notified incident to list them: its parent's lists them.
        foreach (var child in ran.Unreachable) Unreachable(child, UnreachableChildrenOf(child));
        Release(ran.Released);
        if (ran.AskAgain) RunNow([parent]);
    }

    /// <summary>A parent recovered: its unreachable checks with no other parent in error are released.</summary>
    private void ReleaseChildrenOf(string parent) =>
        Release([.. _dependencies.ChildrenOf(parent).Where(c => RowOf(c) is { } row && row.Held.HasFlag(HoldReasons.Dependency))]);

    /// <summary>Checks whose parents no longer hold their Problem get the reconcile rule (a run that starts from now
    /// confirms it), and run now.</summary>
    private void Release(IReadOnlyList<string> children)
    {
        var run = new List<string>();
        foreach (var child in children)
        {
            var row = _table[child];
            var next = HeldNotifications.Holds(row, HoldsOn(row), Now);
            _table[child] = next;
            if (next.Held != HoldReasons.None) continue;
            _log.Info("{0}: its parents no longer hold its Problem; it goes out if the run now confirms it", child);
            run.Add(child);
        }
        RunNow(run);
    }

    private void RunNow(IReadOnlyList<string> ids)
    {
        if (ids.Count > 0) _checksSupervisor?.Tell(new ChecksSupervisor.RunChecksNow(ids));
    }
}
