using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Picomon.Status;

namespace Picomon.Http;

/// <summary><c>/</c>: the read model as one HTML page, rendered on the server: no script, no external asset
/// (the style is inline), problems first as the read model orders them, each state written out beside its
/// colour, a table that turns into one card per check on a narrow screen. Every text a check provides (id,
/// target, message) is HTML-encoded. Every check not OK is listed; OK checks up to <see cref="MaxOkRows"/>, as
/// a page of 100,000 rows would help nobody (the API lists them all).</summary>
public static class StatusPage
{
    public const string ContentType = "text/html; charset=utf-8";
    public const int MaxOkRows = 1000;

    /// <summary>How often the browser reloads the page by itself (a meta refresh: no script needed).</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(60);

    // Keeps letters of any script readable in the source; markup characters are always encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static async Task WriteAsync(Utf8Output output, StatusReport report, TimeZoneInfo zone, string version, CancellationToken cancel)
    {
        var counts = report.Checks.CountBy(c => c.State).ToDictionary(c => c.Key, c => c.Value);
        var summary = string.Join(", ", Enum.GetValues<CheckViewState>().Where(counts.ContainsKey)
            .Select(s => $"{counts[s]:N0} {StatusText.StateName(s)}"));
        output.Append(Head.Replace("{refresh}", ((int)Refresh.TotalSeconds).ToString(CultureInfo.InvariantCulture)))
            .Append("<title>Picomon: ").Append(report.Checks.Count == 0 ? "no checks" : summary).Append("</title>\n")
            .Append(Style).Append("</head>\n<body>\n<header>\n<h1>Picomon</h1>\n<p class=\"summary\">")
            .Append(report.Checks.Count == 0 ? "No check is configured." : summary).Append("</p>\n<p class=\"generated\">Generated ");
        Time(output, report.TakenAt, zone);
        output.Append(" by picomon ").Append(Encoder.Encode(version)).Append(".</p>\n</header>\n");
        if (report.Checks.Count > 0) output.Append(TableHead);
        var okShown = 0;
        foreach (var check in report.Checks)
        {
            if (check.State == CheckViewState.Ok && ++okShown > MaxOkRows) continue;
            Row(output, check, zone);
            await output.FlushIfFullAsync(cancel);
        }
        if (report.Checks.Count > 0) output.Append("</tbody>\n</table>\n");
        var hidden = counts.GetValueOrDefault(CheckViewState.Ok) - MaxOkRows;
        if (hidden > 0)
            output.Append("<p class=\"more\">And ").Append(hidden.ToString("N0", CultureInfo.InvariantCulture))
                .Append(" more OK checks: <a href=\"api/v1/checks\">api/v1/checks</a> lists every check.</p>\n");
        output.Append("</body>\n</html>\n");
        await output.FlushAsync(cancel);
    }

    private static void Row(Utf8Output output, CheckView check, TimeZoneInfo zone)
    {
        var state = StatusText.StateName(check.State);
        output.Append("<tr class=\"").Append(state).Append("\"><td data-label=\"State\"><span class=\"state\">").Append(state)
            .Append("</span></td><td data-label=\"Check\" class=\"id\">").Append(Encoder.Encode(check.Id))
            .Append("</td><td data-label=\"Target\">").Append(Encoder.Encode(check.Target))
            .Append("</td><td data-label=\"Since\">");
        if (check.Since is { } since) Time(output, since, zone);
        else output.Append('-');
        output.Append("</td><td data-label=\"Message\" class=\"message\">");
        if (check.LastRun is null && check.Message.Length == 0) output.Append("<span class=\"muted\">(not run yet)</span>");
        else output.Append(Encoder.Encode(check.Message.Trim()));
        output.Append("</td></tr>\n");
    }

    private static void Time(Utf8Output output, DateTimeOffset time, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(time, zone);
        output.Append("<time datetime=\"").Append(local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)).Append("\">")
            .Append(local.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)).Append("</time>");
    }

    private const string Head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="refresh" content="{refresh}">

        """;

    private const string TableHead = """
        <table>
        <thead><tr><th>State</th><th>Check</th><th>Target</th><th>Since</th><th>Message</th></tr></thead>
        <tbody>

        """;

    // States by their text and a colour each, never by colour alone. Below 40em each row becomes a card whose
    // cells carry their column's name.
    private const string Style = """
        <style>
        body { font-family: system-ui, sans-serif; margin: 1rem; color: #1a1a1a; background: #fff; }
        h1 { font-size: 1.4rem; margin: 0 0 .3rem; }
        header p { margin: .2rem 0; }
        .generated, .muted { color: #555; }
        table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
        th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #ddd; }
        td.id { font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
        td time { white-space: nowrap; }
        td.message { white-space: pre-wrap; overflow-wrap: anywhere; font-family: ui-monospace, monospace; font-size: .9em; }
        .state { display: inline-block; min-width: 5.5em; padding: .1rem .4rem; border-radius: .3rem; font-weight: bold; text-transform: uppercase; font-size: .85em; }
        tr.error .state { background: #b3261e; color: #fff; }
        tr.retrying .state { background: #f2c94c; color: #1a1a1a; }
        tr.unreachable .state { background: #7b4fa0; color: #fff; }
        tr.flapping .state { background: #e67e22; color: #1a1a1a; }
        tr.held .state { background: #5f6b7a; color: #fff; }
        tr.ok .state { background: #1e7b34; color: #fff; }
        tr.error { background: #fdecea; }
        @media (max-width: 40em) {
          table, tbody, tr, td { display: block; width: auto; }
          thead { display: none; }
          tr { border: 1px solid #ccc; border-radius: .4rem; margin: 0 0 .8rem; padding: .3rem; }
          td { border: none; padding: .2rem .3rem; }
          td.message:empty { display: none; }
          td::before { content: attr(data-label) ": "; font-weight: bold; color: #555; font-family: system-ui, sans-serif; }
        }
        </style>

        """;
}
