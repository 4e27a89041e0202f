using Converted = Picomon.Migration.CheckConverter.Converted;

namespace Picomon.Migration;

/// <summary>One HOCON check group: the product of its types and targets, with the same options.
/// <see cref="Name"/> is set on a single check whose <c>TYPE/TARGET</c> id another check already has.</summary>
internal sealed record CheckGroup(
    IReadOnlyList<string> Types, IReadOnlyList<string> Targets, bool IsZones,
    IReadOnlyList<(string Key, string Value)> Options, string? Name, string? Where);

/// <summary>Gathers converted checks back into groups like the config's <c>checks.add()</c> calls, and keeps
/// ids unique: the original allowed the same class twice on a host (two HTTP checks of one site with
/// different URLs), Picomon needs a <c>name</c> for the second.</summary>
internal static class CheckGrouping
{
    public static IReadOnlyList<CheckGroup> Group(IReadOnlyList<Converted> checks)
    {
        var groups = new List<CheckGroup>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in Runs(checks))
            foreach (var shape in Shapes(run))
                groups.AddRange(WithUniqueIds(shape, ids));
        return groups;
    }

    /// <summary>Consecutive checks built by one <c>checks.add()</c> call with the same options.</summary>
    private static IEnumerable<List<Converted>> Runs(IReadOnlyList<Converted> checks)
    {
        List<Converted>? run = null;
        foreach (var check in checks)
        {
            if (run is not null && check.Add is not null && check.Add == run[0].Add && check.IsZone == run[0].IsZone
                && check.Options.SequenceEqual(run[0].Options))
            {
                run.Add(check);
                continue;
            }
            if (run is not null) yield return run;
            run = [check];
        }
        if (run is not null) yield return run;
    }

    /// <summary>A run that is the whole product of its types and targets is one group (the config's call
    /// as written); one the config changed afterwards becomes a group per type.</summary>
    private static IEnumerable<List<Converted>> Shapes(List<Converted> run)
    {
        var types = run.Select(c => c.Type).Distinct().Count();
        var targets = run.Select(c => c.Target).Distinct().Count();
        var pairs = run.Select(c => (c.Type, c.Target)).Distinct().Count();
        return pairs == run.Count && types * targets == run.Count ? [run] : run.GroupBy(c => c.Type).Select(g => g.ToList());
    }

    private static List<CheckGroup> WithUniqueIds(List<Converted> checks, HashSet<string> ids)
    {
        var own = checks.Select(c => c.Id).ToList();
        if (own.Distinct().Count() == own.Count && !own.Any(ids.Contains))
        {
            ids.UnionWith(own);
            return [ToGroup(checks, null)];
        }
        return checks.Select(c => ToGroup([c], ids.Add(c.Id) ? null : UniqueName(c.Id, ids))).ToList();
    }

    private static string UniqueName(string id, HashSet<string> ids)
    {
        var n = 2;
        while (!ids.Add($"{id}-{n}")) n++;
        return $"{id}-{n}";
    }

    private static CheckGroup ToGroup(List<Converted> checks, string? name) => new(
        checks.Select(c => c.Type).Distinct().ToList(), checks.Select(c => c.Target).Distinct().ToList(),
        checks[0].IsZone, checks[0].Options, name, checks[0].Where);
}
