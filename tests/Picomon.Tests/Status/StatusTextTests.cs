using Picomon.Status;

namespace Picomon.Tests.Status;

public class StatusTextTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 2, 3, TimeSpan.Zero);

    private static CheckView View(string id, CheckViewState state, string target, string message) =>
        new(id, state, "http4", target, T0, message, 0, T0, 0.01);

    [Fact]
    public void One_aligned_line_per_check_under_a_header_in_the_zone_asked_for()
    {
        var report = new StatusReport(T0, [
            View("http4/web", CheckViewState.Error, "web.example.org", "HTTP 503 Service Unavailable (expected 2xx/3xx)"),
            View("ping4/router", CheckViewState.Retrying, "router", "Operation timed out"),
            View("tcp4/db", CheckViewState.Ok, "db", ""),
        ]);
        var paris = TimeZoneInfo.CreateCustomTimeZone("UTC+1", TimeSpan.FromHours(1), "UTC+1", "UTC+1");

        Assert.Equal("""
            STATE     ID            TARGET           SINCE                      MESSAGE
            error     http4/web     web.example.org  2026-11-24T11:02:03+01:00  HTTP 503 Service Unavailable (expected 2xx/3xx)
            retrying  ping4/router  router           2026-11-24T11:02:03+01:00  Operation timed out
            ok        tcp4/db       db               2026-11-24T11:02:03+01:00

            """.ReplaceLineEndings("\n"), StatusText.Render(report, paris));
    }

    [Fact]
    public void A_multi_line_message_shows_its_first_line_and_how_many_more_and_control_characters_escaped()
    {
        var report = new StatusReport(T0, [
            View("exec/a", CheckViewState.Error, "a", "first line\nsecond\r\nthird\n"),
            View("exec/b\u001b[31m", CheckViewState.Error, "b", "two\nlines"),
            View("exec/c", CheckViewState.Error, "c", "bell \u0007 here"),
        ]);

        var lines = StatusText.Render(report, TimeZoneInfo.Utc).Split('\n');

        Assert.EndsWith("  first line [+2 lines]", lines[1]);
        Assert.StartsWith(@"error  exec/b\x1b[31m  b", lines[2]);
        Assert.EndsWith("  two [+1 line]", lines[2]);
        Assert.EndsWith(@"  bell \x07 here", lines[3]);
    }

    [Fact]
    public void A_check_that_has_not_run_yet_says_so()
    {
        var report = new StatusReport(T0, [new CheckView("tcp4/new", CheckViewState.Ok, "tcp4", "new", null, "", 0, null, null)]);

        Assert.EndsWith("ok     tcp4/new  new     -      (not run yet)\n", StatusText.Render(report, TimeZoneInfo.Utc));
    }

    [Fact]
    public void In_a_cluster_a_node_column_names_the_node_running_each_check_and_a_dash_while_it_moves()
    {
        var report = new StatusReport(T0, [
            View("http4/web", CheckViewState.Error, "web", "down") with { Node = "10.0.0.2:4053" },
            View("tcp4/db", CheckViewState.Ok, "db", "") with { Node = "" },
        ]);

        Assert.Equal("""
            STATE  ID         TARGET  NODE           SINCE                      MESSAGE
            error  http4/web  web     10.0.0.2:4053  2026-11-24T10:02:03+00:00  down
            ok     tcp4/db    db      -              2026-11-24T10:02:03+00:00

            """.ReplaceLineEndings("\n"), StatusText.Render(report, TimeZoneInfo.Utc));
    }
}
