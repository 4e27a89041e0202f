using System.Net.Sockets;
using Picomon.Configuration.Hocon;
using Picomon.Probes;

namespace Picomon.Configuration;

/// <summary>Expands <c>picomon.checks</c>: each group becomes the product of its types and its targets,
/// with ids <c>TYPE/TARGET</c> (or <c>name</c>), every option validated against the type's registry entry.</summary>
internal static class CheckExpander
{
    private static readonly string[] CommonKeys =
        ["type", "hosts", "zones", "every", "error-every", "retry", "timeout", "target-name", "name", "channels", "depends-on",
         .. AlertRulesReader.GroupKeys];

    /// <summary>Every key a check group may have: the common ones, then each type's options.</summary>
    private static readonly List<string> Known =
        CommonKeys.Concat(CheckTypes.All.SelectMany(t => t.OptionNames)).Distinct().ToList();

    /// <param name="groups">Receives, for each check, the group it comes from (its <c>channels</c> are read with
    /// the notify settings, its <c>depends-on</c> resolved once every check is known).</param>
    public static IReadOnlyList<CheckDefinition> Expand(HoconValue? checks, string path,
        IReadOnlyDictionary<string, HostSettings> hosts, CheckDefaults defaults, IDictionary<string, CheckGroup> groups, ErrorList errors)
    {
        var result = new List<CheckDefinition>();
        if (checks is null) return result;
        if (checks is not HoconArray array)
        {
            errors.Add(checks, path, $"expected a list of check groups, got {checks.KindName}");
            return result;
        }
        var seen = new Dictionary<string, SourceLocation>();
        for (var i = 0; i < array.Items.Count; i++)
        {
            var groupPath = $"{path}[{i}]";
            if (errors.Object(array.Items[i], groupPath) is not { } group) continue;
            foreach (var check in ExpandGroup(group, groupPath, hosts, defaults, errors))
            {
                if (seen.TryGetValue(check.Id, out var first))
                    errors.Add(group, groupPath, $"duplicate check id '{check.Id}' (also defined at {first}); give one a 'name'");
                else
                {
                    seen[check.Id] = group.Location;
                    groups[check.Id] = new CheckGroup(group, groupPath);
                    result.Add(check);
                }
            }
        }
        return result;
    }

    private static List<CheckDefinition> ExpandGroup(
        HoconObject group, string path, IReadOnlyDictionary<string, HostSettings> hosts, CheckDefaults defaults, ErrorList errors)
    {
        var types = ReadTypes(group, path, errors);
        RejectUnknownOptions(group, path, types, errors);
        var every = Every(group["every"], $"{path}.every", errors) ?? defaults.Every;
        var errorEvery = ErrorEvery(group["error-every"], $"{path}.error-every", errors) ?? defaults.ErrorEvery;
        var retry = Retry(group["retry"], $"{path}.retry", errors) ?? defaults.Retry;
        var timeout = SettingsReader.PositiveDuration(group["timeout"], $"{path}.timeout", errors) ?? defaults.Timeout;
        var targetName = errors.Text(group["target-name"], $"{path}.target-name");
        var name = errors.Text(group["name"], $"{path}.name");
        var rules = AlertRulesReader.ReadGroup(group, path, defaults.Rules, errors);
        var checks = new List<CheckDefinition>();
        foreach (var type in types)
        {
            var options = type.ReadOptions(new HoconOptionReader(group, path, type, errors));
            foreach (var target in CheckTargets.For(group, path, type, hosts, targetName, name, errors))
                checks.Add(new CheckDefinition(
                    $"{type.Name}/{target.Key}", type, target, every, errorEvery == -1 ? every : errorEvery,
                    retry, timeout, options, rules));
        }
        if (name is null) return checks;
        if (checks.Count > 1)
            errors.Add(group["name"]!, $"{path}.name", $"names a single check, but this group expands to {checks.Count} checks");
        return checks.Count == 1 ? [checks[0] with { Id = name }] : [];
    }

    private static List<CheckType> ReadTypes(HoconObject group, string path, ErrorList errors)
    {
        var value = group["type"];
        if (value is null)
        {
            errors.Add(group, path, "a check group needs a 'type'");
            return [];
        }
        var names = errors.TextList(value, $"{path}.type");
        if (names is { Count: 0 }) errors.Add(value, $"{path}.type", "must name at least one check type");
        var types = new List<CheckType>();
        foreach (var name in names ?? [])
        {
            if (CheckTypes.Find(name) is { } type) types.Add(type);
            else
            {
                var suggestion = ErrorList.Suggest(name, CheckTypes.All.Select(t => t.Name));
                errors.Add(value, $"{path}.type", suggestion is null
                    ? $"unknown check type '{name}' (known: {string.Join(", ", CheckTypes.All.Select(t => t.Name))})"
                    : $"unknown check type '{name}', did you mean '{suggestion}'?");
            }
        }
        return types;
    }

    /// <summary>An option must be taken by every type of the group: <c>vhost</c> on an smtp4 check is a mistake.</summary>
    private static void RejectUnknownOptions(HoconObject group, string path, List<CheckType> types, ErrorList errors)
    {
        errors.RejectUnknownKeys(group, path, Known);
        foreach (var (key, value) in group.Fields.Where(f => !CommonKeys.Contains(f.Key)))
            foreach (var type in types.Where(t => !t.OptionNames.Contains(key) && Known.Contains(key)))
                errors.Add(value, $"{path}.{key}", $"option not taken by check type {type.Name}");
    }

    public static int? Every(HoconValue? value, string path, ErrorList errors) =>
        Ranged(value, path, errors, n => n >= 1, "must be a positive number of ticks");

    public static int? ErrorEvery(HoconValue? value, string path, ErrorList errors) =>
        Ranged(value, path, errors, n => n >= 1 || n == -1, "must be a positive number of ticks, or -1 (same as every)");

    public static int? Retry(HoconValue? value, string path, ErrorList errors) =>
        Ranged(value, path, errors, n => n >= 0, "must be 0 or more");

    private static int? Ranged(HoconValue? value, string path, ErrorList errors, Func<long, bool> valid, string message)
    {
        var n = errors.Integer(value, path);
        if (n is null) return null;
        if (valid(n.Value) && n <= 1_000_000_000) return (int)n.Value;
        errors.Add(value!, path, $"{message}, got {n}");
        return null;
    }
}

/// <summary>The group a check was expanded from, and its key path (<c>picomon.checks[2]</c>).</summary>
internal sealed record CheckGroup(HoconObject Group, string Path);
