using Picomon.Checks;
using Picomon.Configuration.Hocon;
using Picomon.Probes;

namespace Picomon.Configuration;

/// <summary>Resolves <c>depends-on</c> (on check groups, and on hosts for every check of the host) into a
/// <see cref="DependencyGraph"/>. An id that is no check, a glob that matches none, a check naming itself and a
/// cycle are errors at the line of the <c>depends-on</c> that says so. A glob never makes a check its own parent
/// (<c>ping4/*</c> on the group of ping4 checks means the others).</summary>
internal static class DependencyReader
{
    /// <summary>A <c>depends-on</c> as written: its value, key path and entries.</summary>
    public sealed record Source(HoconValue Value, string Path, IReadOnlyList<string> Patterns);

    /// <summary>The <c>depends-on</c> of a group or host, or null when it has none (or it is not a list of text).</summary>
    public static Source? Of(HoconObject owner, string path, ErrorList errors)
    {
        if (owner["depends-on"] is not { } value) return null;
        var patterns = errors.TextList(value, $"{path}.depends-on");
        if (patterns is null) return null;
        foreach (var empty in patterns.Where(p => p.Length == 0))
            errors.Add(value, $"{path}.depends-on", "an entry cannot be empty");
        return new Source(value, $"{path}.depends-on", patterns.Where(p => p.Length > 0).ToList());
    }

    /// <param name="groups">The group each check was expanded from.</param>
    /// <param name="hosts">Each host's <c>depends-on</c>, by host key.</param>
    public static DependencyGraph Read(IReadOnlyList<CheckDefinition> checks, IReadOnlyDictionary<string, CheckGroup> groups,
        IReadOnlyDictionary<string, Source> hosts, ErrorList errors)
    {
        var ids = checks.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var resolved = new Dictionary<string, IReadOnlyList<string>?>(StringComparer.Ordinal); // by pattern
        var parents = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var edges = new Dictionary<(string Child, string Parent), Source>();
        foreach (var check in checks)
        {
            var list = new List<string>();
            foreach (var source in SourcesOf(check, groups, hosts, errors))
                foreach (var pattern in source.Patterns)
                    foreach (var parent in Resolve(pattern, check.Id, source, ids, resolved, errors).Where(p => !list.Contains(p)))
                    {
                        list.Add(parent);
                        edges.TryAdd((check.Id, parent), source);
                    }
            if (list.Count > 0) parents[check.Id] = list;
        }
        if (DependencyGraph.FindCycle(parents, checks.Select(c => c.Id)) is { } cycle)
        {
            var source = edges[(cycle[0], cycle[1])];
            errors.Add(source.Value, source.Path, $"dependency cycle: {string.Join(" -> ", cycle)}");
        }
        return parents.Count == 0 ? DependencyGraph.Empty : new DependencyGraph(parents);
    }

    private static IEnumerable<Source> SourcesOf(CheckDefinition check, IReadOnlyDictionary<string, CheckGroup> groups,
        IReadOnlyDictionary<string, Source> hosts, ErrorList errors)
    {
        if (!groups.TryGetValue(check.Id, out var group)) yield break;
        if (Of(group.Group, group.Path, errors) is { } own) yield return own;
        // A host's depends-on applies to the checks that name it in their hosts (not to a zone of the same name).
        if (check.Type.Targets != TargetKind.Zones && group.Group["hosts"] is not null && hosts.TryGetValue(check.Target.Key, out var host))
            yield return host;
    }

    private static IEnumerable<string> Resolve(string pattern, string self, Source source, HashSet<string> ids,
        Dictionary<string, IReadOnlyList<string>?> resolved, ErrorList errors)
    {
        if (!IsGlob(pattern))
        {
            if (pattern == self) errors.Add(source.Value, source.Path, $"'{self}' cannot depend on itself");
            else if (ids.Contains(pattern)) return [pattern];
            else
            {
                var suggestion = ErrorList.Suggest(pattern, ids);
                errors.Add(source.Value, source.Path, suggestion is null
                    ? $"unknown check '{pattern}'"
                    : $"unknown check '{pattern}', did you mean '{suggestion}'?");
            }
            return [];
        }
        if (!resolved.TryGetValue(pattern, out var matches))
        {
            var patterns = CheckPatterns.Parse([pattern], out _)!;
            resolved[pattern] = matches = ids.Where(patterns.Matches).Order(StringComparer.Ordinal).ToList();
        }
        if (matches!.Count == 0) errors.Add(source.Value, source.Path, $"'{pattern}' matches no check (a glob in depends-on must match at least one)");
        return matches.Where(m => m != self);
    }

    private static bool IsGlob(string pattern) => pattern.IndexOfAny(['*', '?', '\\']) >= 0;
}
