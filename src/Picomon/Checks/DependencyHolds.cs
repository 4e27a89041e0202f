namespace Picomon.Checks;

/// <summary>The dependency hold: which checks in error have their Problem held by their parents (<c>depends-on</c>) —
/// waiting for a parent's verdict, or <c>unreachable</c> behind a parent in error — and what a parent's run or recovery
/// decides for them. The aggregator owns one, gives it the graph at each reconfiguration, and acts on what it answers
/// (runs now, Affected notifications, the reconcile rule). It keeps only the waits; everything else is read from the
/// rows it is given, so a restart recomputes it from the table.</summary>
public sealed class DependencyHolds
{
    /// <summary>What a check entering error is, as far as its parents go.</summary>
    public enum Verdict
    {
        /// <summary>Its error is its own: no parent, or every parent ran OK after the wait began.</summary>
        Own,
        /// <summary>A parent is in error: no notification of its own.</summary>
        Unreachable,
        /// <summary>No parent in error, but some have not run since the check failed: its verdict waits for theirs.</summary>
        Waits,
    }

    /// <summary>What a parent's run decided for the checks waiting for it.</summary>
    /// <param name="Unreachable">Waiting checks that now have a parent in error.</param>
    /// <param name="Released">Waiting checks whose parents all ran OK after their wait began: their error is their own.</param>
    /// <param name="AskAgain">A check still waits for this parent, whose run started before its wait: ask it for another.</param>
    public sealed record ParentRan(IReadOnlyList<string> Unreachable, IReadOnlyList<string> Released, bool AskAgain);

    private DependencyGraph _graph = DependencyGraph.Empty;
    private HashSet<string> _known = new(StringComparer.Ordinal);
    // The checks whose verdict waits for their parents' next runs, with when the wait began.
    private readonly Dictionary<string, DateTimeOffset> _waits = new(StringComparer.Ordinal);

    /// <summary>A check's parents among the checks this aggregator has (a cluster partition has only some of them).</summary>
    public IReadOnlyList<string> ParentsOf(string id) => [.. _graph.ParentsOf(id).Where(_known.Contains)];

    /// <summary>The checks that name <paramref name="id"/> as a parent, among the checks this aggregator has.</summary>
    public IEnumerable<string> ChildrenOf(string id) => _graph.ChildrenOf(id).Where(_known.Contains);

    /// <summary>A new configuration (<paramref name="checks"/>, <paramref name="graph"/>). A check in error with its
    /// Problem held, no parent in error and some parent retrying waits for it again (at a start, or a reload that gave it
    /// parents); waits of checks gone are dropped. Returns the waiting checks this releases (parents gone, or all OK and
    /// run since).</summary>
    public IReadOnlyList<string> Reconfigure(DependencyGraph graph, IEnumerable<string> checks, Func<string, CheckState?> rowOf,
        DateTimeOffset now)
    {
        _graph = graph;
        _known = checks.ToHashSet(StringComparer.Ordinal);
        foreach (var id in _waits.Keys.Where(id => !_known.Contains(id)).ToList()) _waits.Remove(id);
        foreach (var id in _known.Where(id => !_waits.ContainsKey(id)))
            if (rowOf(id) is { Status: CheckStatus.Error, HeldProblem: true } && Decide(id, now, rowOf) == Verdict.Waits
                && ParentsOf(id).Any(p => rowOf(p)?.Status == CheckStatus.Retrying))
                _waits[id] = now;
        var released = _waits.Where(w => Decide(w.Key, w.Value, rowOf) != Verdict.Waits).Select(w => w.Key).ToList();
        foreach (var id in released) _waits.Remove(id);
        return released;
    }

    /// <summary>Check <paramref name="id"/> enters error at <paramref name="now"/>: whether the error is its own, it is
    /// unreachable, or it waits (then for which parents' runs: ask them to run now).</summary>
    public (Verdict Verdict, IReadOnlyList<string> RunNow) OnProblem(string id, Func<string, CheckState?> rowOf, DateTimeOffset now)
    {
        var verdict = Decide(id, now, rowOf);
        if (verdict != Verdict.Waits) return (verdict, []);
        _waits[id] = now;
        return (verdict, ParentsOf(id));
    }

    /// <summary>The check left error (or is gone): it waits no more.</summary>
    public void Forget(string id) => _waits.Remove(id);

    /// <summary>Whether some check waits for <paramref name="parent"/>'s verdict.</summary>
    // Asked after every run: without a wait (nearly always) it costs nothing.
    public bool AwaitsVerdictOf(string parent) => _waits.Count > 0 && ChildrenOf(parent).Any(_waits.ContainsKey);

    /// <summary>A run of <paramref name="parent"/> that started at <paramref name="started"/> (its row already updated):
    /// what it decides for the checks waiting for it.</summary>
    public ParentRan OnParentRan(string parent, DateTimeOffset started, Func<string, CheckState?> rowOf)
    {
        List<string> unreachable = [], released = [];
        var again = false;
        foreach (var child in ChildrenOf(parent))
        {
            if (!_waits.TryGetValue(child, out var since)) continue;
            var verdict = Decide(child, since, rowOf);
            if (verdict == Verdict.Waits)
            {
                again |= started < since;
                continue;
            }
            _waits.Remove(child);
            (verdict == Verdict.Unreachable ? unreachable : released).Add(child);
        }
        return new ParentRan(unreachable, released, again);
    }

    /// <summary>Whether <paramref name="row"/>'s Problem is held by its parents now: it is in error with its Problem
    /// held, and waits for a parent's verdict or has a parent in error.</summary>
    public bool Holds(CheckState row, Func<string, CheckState?> rowOf) =>
        row is { Status: CheckStatus.Error, HeldProblem: true }
        && (_waits.ContainsKey(row.Id) || ParentsOf(row.Id).Any(p => rowOf(p)?.Status == CheckStatus.Error));

    // A parent in error makes the check unreachable; otherwise its error is its own once every parent has run OK since
    // the wait began (a parent not run yet, retrying, or last run before it, is still to be heard).
    private Verdict Decide(string id, DateTimeOffset since, Func<string, CheckState?> rowOf)
    {
        var parents = ParentsOf(id).Select(rowOf).ToList();
        if (parents.Any(p => p?.Status == CheckStatus.Error)) return Verdict.Unreachable;
        return parents.All(p => p is { Status: CheckStatus.Ok, LastRun: { } run } && run >= since) ? Verdict.Own : Verdict.Waits;
    }
}
