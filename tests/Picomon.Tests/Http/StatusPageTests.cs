using System.Text.RegularExpressions;
using Picomon.Http;
using Picomon.Status;

namespace Picomon.Tests.Http;

public class StatusPageTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 2, 3, TimeSpan.Zero);
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.CreateCustomTimeZone("test+1", TimeSpan.FromHours(1), "test+1", "test+1");

    private static CheckView View(string id, CheckViewState state, string message = "", DateTimeOffset? lastRun = null) =>
        new(id, state, "http4", "web", lastRun is null ? null : T0, message, state == CheckViewState.Ok ? 0 : 2, lastRun, 0.1);

    private static Task<string> RenderAsync(params CheckView[] checks) =>
        HttpTestText.RenderAsync(output => StatusPage.WriteAsync(output, new StatusReport(T0.AddMinutes(5), checks), Paris, "1.2.3", CancellationToken.None));

    [Fact]
    public async Task Rows_follow_the_read_models_order_with_each_state_written_out_and_the_generation_time()
    {
        var page = await RenderAsync(View("http4/down", CheckViewState.Error, "HTTP 503", T0), View("http4/flaky", CheckViewState.Retrying, "refused", T0),
            View("http4/up", CheckViewState.Ok, "", T0), View("http4/new", CheckViewState.Ok));

        Assert.StartsWith("<!DOCTYPE html>", page);
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", page);
        Assert.Contains("<title>Picomon: 1 error, 1 retrying, 2 ok</title>", page);
        Assert.Contains("Generated <time datetime=\"2026-11-24T11:07:03+01:00\">2026-11-24 11:07:03 +01:00</time> by picomon 1.2.3.", page);
        var rows = Regex.Matches(page, "<tr class=\"(\\w+)\"><td data-label=\"State\"><span class=\"state\">(\\w+)</span></td><td data-label=\"Check\" class=\"id\">([^<]+)<")
            .Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value} {m.Groups[3].Value}");
        Assert.Equal(["error error http4/down", "retrying retrying http4/flaky", "ok ok http4/up", "ok ok http4/new"], rows);
        Assert.Contains("<td data-label=\"Since\">-</td><td data-label=\"Message\" class=\"message\"><span class=\"muted\">(not run yet)</span>", page);
        Assert.DoesNotContain("<script", page);
        Assert.DoesNotContain("src=", page);
        Assert.DoesNotContain("href=\"http", page);
    }

    [Fact]
    public async Task Every_text_a_check_provides_is_escaped()
    {
        var page = await RenderAsync(new CheckView("exec/<b>x</b>", CheckViewState.Error, "exec", "t&\"'", T0,
            "<script>alert('x')</script>\nline 2", 2, T0, 0.1));

        Assert.DoesNotContain("<script>", page);
        Assert.DoesNotContain("<b>", page);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&#xA;line 2", page);
        Assert.Contains("exec/&lt;b&gt;x&lt;/b&gt;", page);
        Assert.Contains("t&amp;&quot;&#x27;", page);
    }

    [Fact]
    public async Task Problems_are_all_listed_and_ok_checks_up_to_the_limit_with_a_pointer_to_the_api()
    {
        var checks = new[] { View("a/down", CheckViewState.Error, "x", T0) }
            .Concat(Enumerable.Range(0, StatusPage.MaxOkRows + 5).Select(i => View($"ok/{i:00000}", CheckViewState.Ok, "", T0)))
            .ToArray();

        var page = await RenderAsync(checks);

        Assert.Equal(StatusPage.MaxOkRows + 1, Regex.Count(page, "<tr class="));
        Assert.Contains("a/down", page);
        Assert.Contains("<p class=\"more\">And 5 more OK checks: <a href=\"api/v1/checks\">api/v1/checks</a> lists every check.</p>", page);
    }

    [Fact]
    public async Task A_configuration_without_checks_says_so()
    {
        var page = await RenderAsync();
        Assert.Contains("No check is configured.", page);
        Assert.DoesNotContain("<table>", page);
    }
}
