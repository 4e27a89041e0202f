using Picomon.Notifications;
using static Picomon.Tests.Notifications.RenderFixtures;

namespace Picomon.Tests.Notifications;

public sealed class TemplateBodyTests
{
    private const string Every = "{state}|{check}|{dest}|{type}|{message}|{incident}|{since}|{{literal}}";

    [Fact]
    public void A_single_notification_fills_every_placeholder()
    {
        Assert.Equal("Problem|http4/web|web|CheckHTTP4|HTTP 503 \"Service\" Unavailable\nline 2|http4/web#3|2026-11-24T10:02:03+01:00|{literal}",
            TemplateBody.Render(Every, Announcement.Single(Problem(), ByCheck), json: false));
        Assert.StartsWith("OK|http4/web|web|CheckHTTP4|recovered after 0:07:00 (7 retries).|",
            TemplateBody.Render(Every, Announcement.Single(Ok(), ByCheck), json: false));
    }

    [Fact]
    public void A_flapping_notification_s_state_is_Flapping()
    {
        Assert.Equal("Flapping http4/web#3", TemplateBody.Render("{state} {incident}", Announcement.Single(Flapping(), ByCheck), json: false));
    }

    [Fact]
    public void A_json_body_gets_its_values_escaped_so_it_stays_json()
    {
        var body = TemplateBody.Render("""{"text": "{state}: {check} on {dest}: {message}"}""", Announcement.Single(Problem(), ByCheck), json: true);

        Assert.Equal("""{"text": "Problem: http4/web on web: HTTP 503 \"Service\" Unavailable\nline 2"}""", body);
        Assert.Equal("Problem: http4/web on web: HTTP 503 \"Service\" Unavailable\nline 2",
            System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public void A_digest_fills_them_with_its_summary_lists_and_lines()
    {
        var items = Enumerable.Range(1, 5).Select(i => Problem($"tcp4/h{i}", 1, "down")).Append(Ok("http4/web", 2)).ToList();

        var body = TemplateBody.Render(Every, new Announcement(items, 1, ByAll), json: false);

        Assert.Equal(string.Join("|",
            "5 Problem, 1 OK; 1 recovered before notification", "tcp4/h1, tcp4/h2, tcp4/h3 and 3 more", "h1, h2, h3 and 3 more", "digest",
            string.Join("\n", Enumerable.Range(1, 5).Select(i => $"Problem: tcp4/h{i} (CheckHTTP4 on h{i}): down"))
                + "\nOK: http4/web (CheckHTTP4 on web): recovered after 0:07:00 (7 retries).\n\n1 recovered before notification.",
            "tcp4/h1#1, tcp4/h2#1, tcp4/h3#1 and 3 more", "2026-11-24T10:02:03+01:00", "{literal}"), body);
    }
}
