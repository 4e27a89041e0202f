namespace Picomon.Checks;

/// <summary>Which checks depend on which (<c>depends-on</c>, on check groups and hosts), resolved to check ids:
/// a check's parents are the checks whose error makes it <c>unreachable</c>. Immutable; built once per
/// configuration, with no cycle (the configuration refuses one).</summary>
public sealed class DependencyGraph
{
    public static readonly DependencyGraph Empty = new(new Dictionary<string, IReadOnlyList<string>>());

    private readonly Dictionary<string, IReadOnlyList<string>> _parents;
    private readonly Dictionary<string, List<string>> _children = new(StringComparer.Ordinal);
    // Each check with a dependency, to the least id (ordinal) of the checks it is connected to by dependencies.
    private readonly Dictionary<string, string> _component = new(StringComparer.Ordinal);

    /// <param name="parents">Each check's parents (checks without any may be left out).</param>
    public DependencyGraph(IReadOnlyDictionary<string, IReadOnlyList<string>> parents)
    {
        _parents = parents.Where(p => p.Value.Count > 0).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var (child, list) in _parents)
            foreach (var parent in list)
                (_children.TryGetValue(parent, out var c) ? c : _children[parent] = []).Add(child);
        foreach (var list in _children.Values) list.Sort(StringComparer.Ordinal);
        Components();
    }

    /// <summary>How many checks have a parent.</summary>
    public int DependentCount => _parents.Count;

    public IReadOnlyList<string> ParentsOf(string id) => _parents.GetValueOrDefault(id) ?? [];

    /// <summary>The checks that name <paramref name="id"/> as a parent, in id order.</summary>
    public IReadOnlyList<string> ChildrenOf(string id) => _children.GetValueOrDefault(id) ?? (IReadOnlyList<string>)[];

    /// <summary>The least id (ordinal) of the checks connected to <paramref name="id"/> by dependencies, either way:
    /// the same for a parent and all its children, so that a cluster runs them in one partition (a check's verdict
    /// waits for its parent's, which only works where both are seen); the check itself when it has no dependency.</summary>
    public string ComponentOf(string id) => _component.GetValueOrDefault(id) ?? id;

    // Connected components of the graph taken as undirected: a walk from each check not placed yet, in id order, so
    // the check it starts from is its component's least id.
    private void Components()
    {
        foreach (var start in _parents.Keys.Concat(_children.Keys).Order(StringComparer.Ordinal))
        {
            if (!_component.TryAdd(start, start)) continue;
            var stack = new Stack<string>([start]);
            while (stack.TryPop(out var id))
                foreach (var next in ParentsOf(id).Concat(ChildrenOf(id)))
                    if (_component.TryAdd(next, start)) stack.Push(next);
        }
    }

    /// <summary>A cycle through <paramref name="parents"/> (its ids in order, the first repeated at the end), or
    /// null; the search starts from the checks in <paramref name="order"/> order, so the cycle reported is stable.</summary>
    public static IReadOnlyList<string>? FindCycle(IReadOnlyDictionary<string, IReadOnlyList<string>> parents, IEnumerable<string> order)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in order)
        {
            var path = new List<string>();
            if (Visit(start, parents, done, path, new HashSet<string>(StringComparer.Ordinal)) is { } cycle) return cycle;
        }
        return null;
    }

    private static List<string>? Visit(string id, IReadOnlyDictionary<string, IReadOnlyList<string>> parents,
        HashSet<string> done, List<string> path, HashSet<string> onPath)
    {
        if (onPath.Contains(id)) return [.. path.SkipWhile(p => p != id), id];
        if (!done.Add(id)) return null;
        path.Add(id);
        onPath.Add(id);
        foreach (var parent in parents.GetValueOrDefault(id) ?? [])
            if (Visit(parent, parents, done, path, onPath) is { } cycle) return cycle;
        path.RemoveAt(path.Count - 1);
        onPath.Remove(id);
        return null;
    }
}
