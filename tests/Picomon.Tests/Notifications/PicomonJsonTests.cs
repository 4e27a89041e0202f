using System.Text.Json;
using Picomon.Notifications;
using static Picomon.Tests.Notifications.RenderFixtures;

namespace Picomon.Tests.Notifications;

/// <summary>The picomon JSON, exactly as the README documents it: its keys in order, their types, a digest's items.</summary>
public sealed class PicomonJsonTests
{
    private static readonly string[] Keys =
        ["version", "kind", "incident", "check", "type", "target", "state", "since", "message", "messageId", "affected", "items"];

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void A_problem_is_every_key_of_the_spec_in_order_with_its_values()
    {
        var json = PicomonJson.Render(Announcement.Single(Problem(), ByCheck), "<m1@monitor>");

        Assert.Equal(
            """{"version":1,"kind":"problem","incident":"http4/web#3","check":"http4/web","type":"CheckHTTP4","target":"web","state":"error","since":"2026-11-24T10:02:03+01:00","message":"HTTP 503 \"Service\" Unavailable\nline 2","messageId":"<m1@monitor>","affected":[],"items":[]}""",
            json);
        Assert.Equal(Keys, Parse(json).EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void An_ok_says_ok_and_how_long_it_was_in_error_and_a_reminder_is_still_an_error()
    {
        var ok = Parse(PicomonJson.Render(Announcement.Single(Ok(), ByCheck), "<m2@monitor>"));
        var reminder = Parse(PicomonJson.Render(Announcement.Single(Reminder(), ByCheck), "<m3@monitor>"));

        Assert.Equal(("ok", "ok", "recovered after 0:07:00 (7 retries)."),
            (ok.GetProperty("kind").GetString(), ok.GetProperty("state").GetString(), ok.GetProperty("message").GetString()));
        Assert.Equal(("reminder", "error"), (reminder.GetProperty("kind").GetString(), reminder.GetProperty("state").GetString()));
    }

    [Fact]
    public void A_flapping_notification_says_flapping_as_kind_and_state_whatever_the_last_run()
    {
        var flapping = Parse(PicomonJson.Render(Announcement.Single(Flapping(), ByCheck), "<m4@monitor>"));

        Assert.Equal(("flapping", "flapping", "http4/web#3"),
            (flapping.GetProperty("kind").GetString(), flapping.GetProperty("state").GetString(), flapping.GetProperty("incident").GetString()));
        Assert.StartsWith("the state changed in 34%", flapping.GetProperty("message").GetString());
    }

    [Fact]
    public void A_digest_leaves_the_single_fields_null_and_lists_its_items_with_theirs()
    {
        var digest = new Announcement([Problem("http4/a", 1), Ok("http4/b", 2)], 3, ByAll);

        var json = Parse(PicomonJson.Render(digest, "<d@monitor>"));

        Assert.Equal(Keys, json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("digest", json.GetProperty("kind").GetString());
        Assert.All(["incident", "check", "type", "target", "state", "since"], k => Assert.Equal(JsonValueKind.Null, json.GetProperty(k).ValueKind));
        Assert.Equal("1 Problem, 1 OK; 3 recovered before notification", json.GetProperty("message").GetString());
        var items = json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["http4/a#1", "http4/b#2"], items.Select(i => i.GetProperty("incident").GetString()));
        Assert.All(items, i => Assert.Equal(Keys[1..9], i.EnumerateObject().Select(p => p.Name)));
        Assert.Equal(["problem", "ok"], items.Select(i => i.GetProperty("kind").GetString()));
    }
}
