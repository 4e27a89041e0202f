using System.Text;
using System.Text.RegularExpressions;

namespace Picomon.Migration;

/// <summary>Writes the converted configuration as HOCON, and remembers which config line each written
/// line came from, so that a problem found when the result is validated names the config's line.</summary>
internal sealed partial class HoconOutput
{
    private readonly StringBuilder _text = new();
    private readonly List<string?> _origins = [];
    private string _lastLine = "";

    public string Text => _text.ToString();

    public static HoconOutput Render(
        string source, IReadOnlyList<(string Key, string Value)> settings, IReadOnlyList<HostConverter.Entry> hosts,
        IReadOnlyList<CheckGroup> groups)
    {
        var output = new HoconOutput();
        output.Line($"# Converted by `picomon migrate` from {source},", null);
        output.Line("# the original Picomon's Python configuration. Settings it left at their defaults are", null);
        output.Line("# not written: Picomon's defaults are the same. Comments give the line of each check.", null);
        output.Line("picomon {", null);
        foreach (var (key, value) in settings.Where(s => !s.Key.StartsWith("emails.", StringComparison.Ordinal)))
            output.Line($"  {key} = {value}", null);
        var emails = settings.Where(s => s.Key.StartsWith("emails.", StringComparison.Ordinal)).ToList();
        if (emails.Count > 0)
        {
            output.Line("  emails {", null);
            foreach (var (key, value) in emails) output.Line($"    {key["emails.".Length..]} = {value}", null);
            output.Line("  }", null);
        }
        output.Hosts(hosts);
        output.Checks(groups);
        output.Line("}", null);
        return output;
    }

    /// <summary>The config's <c>file:line</c> that the written line <paramref name="line"/> came from, if any.</summary>
    public string? OriginOf(int line) => line >= 1 && line <= _origins.Count ? _origins[line - 1] : null;

    private void Hosts(IReadOnlyList<HostConverter.Entry> hosts)
    {
        if (hosts.Count == 0) return;
        Separate();
        Line("  hosts {", null);
        var width = hosts.Max(h => Key(h.Key).Length);
        foreach (var host in hosts)
        {
            var fields = new[] { ("ipv4", host.IPv4), ("ipv6", host.IPv6), ("name", host.Name) }
                .Where(f => f.Item2 is not null).Select(f => $"{f.Item1} = {PythonValue.Quote(f.Item2!)}");
            Line($"    {Key(host.Key).PadRight(width)} {{ {string.Join(", ", fields)} }}", host.Where);
        }
        Line("  }", null);
    }

    private void Checks(IReadOnlyList<CheckGroup> groups)
    {
        if (groups.Count == 0) return;
        Separate();
        Line("  checks = [", null);
        foreach (var group in groups)
        {
            if (group.Where is not null) Line($"    # {group.Where}", group.Where);
            var fields = new List<string>
            {
                $"type = {(group.Types.Count == 1 ? group.Types[0] : $"[{string.Join(", ", group.Types)}]")}",
                $"{(group.IsZones ? "zones" : "hosts")} = [{string.Join(", ", group.Targets.Select<string, string>(group.IsZones ? PythonValue.Quote : Key))}]",
            };
            fields.AddRange(group.Options.Select(o => $"{o.Key} = {o.Value}"));
            if (group.Name is not null) fields.Add($"name = {PythonValue.Quote(group.Name)}");
            Line($"    {{ {string.Join(", ", fields)} }}", group.Where);
        }
        Line("  ]", null);
    }

    /// <summary>A key or host name, unquoted when HOCON reads it back as that same string.</summary>
    private static string Key(string text) =>
        Bare().IsMatch(text) && text is not ("true" or "false" or "null") ? text : PythonValue.Quote(text);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$")]
    private static partial Regex Bare();

    /// <summary>A blank line before a section, unless it opens the <c>picomon</c> block.</summary>
    private void Separate()
    {
        if (!_lastLine.EndsWith('{')) Line("", null);
    }

    private void Line(string text, string? where)
    {
        _text.Append(text).Append('\n');
        _lastLine = text;
        _origins.Add(where);
    }
}
