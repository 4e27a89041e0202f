using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Picomon.Status;

/// <summary><c>picomon status</c> for a terminal: a header, then one line per check in the report's order,
/// columns aligned: state, id, target, (in a cluster) the node running the check, since, last message. A message is shown by its first line,
/// with <c>[+N lines]</c> when it has more (<c>--json</c> has it whole); control characters are shown escaped
/// (<c>\x1b</c>), so no message can drive the terminal; a held or unreachable check's message is preceded by its holds
/// (<c>[silence] Connection refused</c>).</summary>
public static class StatusText
{
    private static readonly string[] Header = ["STATE", "ID", "TARGET", "SINCE", "MESSAGE"];
    private static readonly string[] ClusterHeader = ["STATE", "ID", "TARGET", "NODE", "SINCE", "MESSAGE"];

    /// <param name="zone">The time zone of the since column (the local one, for a terminal).</param>
    public static string Render(StatusReport report, TimeZoneInfo zone)
    {
        var cluster = report.Checks.Any(c => c.Node is not null);
        var header = cluster ? ClusterHeader : Header;
        var rows = new List<string[]> { header };
        rows.AddRange(report.Checks.Select(c => Cells(c, zone, cluster)));
        var widths = Enumerable.Range(0, header.Length - 1).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (var i = 0; i < widths.Length; i++) line.Append(row[i].PadRight(widths[i])).Append("  ");
            text.Append(line.Append(row[^1]).ToString().TrimEnd()).Append('\n');
        }
        return text.ToString();
    }

    private static string[] Cells(CheckView check, TimeZoneInfo zone, bool cluster) =>
    [
        StateName(check.State),
        Printable(check.Id),
        Printable(check.Target),
        .. cluster ? [check.Node is { Length: > 0 } node ? Printable(node) : "-"] : Array.Empty<string>(),
        check.Since is { } since ? TimeZoneInfo.ConvertTime(since, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) : "-",
        check.LastRun is null && check.Message.Length == 0 ? "(not run yet)"
            : check.State is CheckViewState.Held or CheckViewState.Unreachable or CheckViewState.Flapping
                ? $"[{check.Hold}] {FirstLine(check.Message)}"
            : FirstLine(check.Message),
    ];

    /// <summary>The state's name, the one its JSON has (so it is written only there).</summary>
    public static string StateName(CheckViewState state) => StateNames[state];

    private static readonly IReadOnlyDictionary<CheckViewState, string> StateNames = Enum.GetValues<CheckViewState>()
        .ToDictionary(s => s, s => JsonSerializer.Serialize(s, StatusJson.Default.CheckViewState).Trim('"'));

    /// <summary>The first line of <paramref name="message"/>, and how many more it has.</summary>
    public static string FirstLine(string message)
    {
        var lines = message.Trim().ReplaceLineEndings("\n").Split('\n');
        var more = lines.Length - 1;
        return Printable(lines[0]) + (more == 0 ? "" : $" [+{more} line{(more == 1 ? "" : "s")}]");
    }

    private static string Printable(string text)
    {
        if (!text.Any(char.IsControl)) return text;
        var shown = new StringBuilder(text.Length + 8);
        foreach (var c in text)
            shown.Append(char.IsControl(c) ? $"\\x{(int)c:x2}" : c);
        return shown.ToString();
    }
}
