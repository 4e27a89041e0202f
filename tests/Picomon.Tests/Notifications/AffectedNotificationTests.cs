using System.Text.Json;
using Picomon.Checks;
using Picomon.Mail;
using Picomon.Notifications;
using Picomon.Tests.Support;
using static Picomon.Tests.Notifications.RenderFixtures;

namespace Picomon.Tests.Notifications;

/// <summary>The checks an incident made unreachable: where they are listed (the parent's Problem while unsent, else an
/// Affected reply), how group windows merge them, and how each rendering shows them. Pure.</summary>
public sealed class AffectedNotificationTests
{
    private static readonly MailComposer Composer = new("monitor.example.org");

    private static Notification Affected(string check = "http4/web", int incident = 3, params string[] children) =>
        Problem(check, incident) with { Kind = NotificationKind.Affected, At = At, Affected = children };

    [Fact]
    public void A_Problem_mail_lists_its_unreachable_checks_under_Affected_and_one_without_any_is_unchanged()
    {
        var listing = Composer.Render(ActorTestChecks.Emails, Problem(message: "down") with { Affected = ["http4/a", "http4/b"] }, []);
        var plain = Composer.Render(ActorTestChecks.Emails, Problem(message: "down"), []);

        Assert.Equal("Check http4/web (CheckHTTP4 on web):\nfailure:\ndown\n\nAffected:\nhttp4/a\nhttp4/b\n", listing.Body);
        Assert.Equal("Check http4/web (CheckHTTP4 on web):\nfailure:\ndown\n", plain.Body);
        Assert.Equal(plain.Subject, listing.Subject);
    }

    [Fact]
    public void An_Affected_mail_is_a_reply_in_the_incident_s_thread_listing_the_checks()
    {
        var mail = Composer.Render(ActorTestChecks.Emails, Affected("http4/web", 3, "http4/a", "http4/b"), ["<p@monitor>"]);

        Assert.Equal("[DOMAIN] Affected: CheckHTTP4 on web", mail.Subject);
        Assert.Equal("Check http4/web (CheckHTTP4 on web):\nAffected:\nhttp4/a\nhttp4/b\n", mail.Body);
        Assert.Equal((MailKind.Affected, "<p@monitor>", "http4/web#3"), (mail.Kind, mail.InReplyTo, mail.Incident));
    }

    [Fact]
    public void A_digest_line_says_what_an_incident_made_unreachable()
    {
        var digest = new Announcement([Problem("http4/r", 1) with { Affected = ["http4/a"] }, Affected("http4/s", 2, "http4/b", "http4/c")], 0, ByAll);

        Assert.Equal(
            "Problem: http4/r (CheckHTTP4 on r): HTTP 503 \"Service\" Unavailable; unreachable: http4/a\n"
            + "Affected: http4/s (CheckHTTP4 on s): unreachable: http4/b, http4/c\n",
            NotificationText.Body(digest));
    }

    [Fact]
    public void The_picomon_JSON_lists_them_in_affected_and_an_Affected_notification_says_unreachable()
    {
        var problem = JsonDocument.Parse(PicomonJson.Render(Announcement.Single(Problem() with { Affected = ["http4/a"] }, ByCheck), "<m@x>")).RootElement;
        var affected = JsonDocument.Parse(PicomonJson.Render(Announcement.Single(Affected("http4/web", 3, "http4/b"), ByCheck), "<n@x>")).RootElement;

        Assert.Equal(["http4/a"], problem.GetProperty("affected").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(("problem", "error"), (problem.GetProperty("kind").GetString(), problem.GetProperty("state").GetString()));
        Assert.Equal(("affected", "unreachable", "unreachable: http4/b"),
            (affected.GetProperty("kind").GetString(), affected.GetProperty("state").GetString(), affected.GetProperty("message").GetString()));
        Assert.Equal(["http4/b"], affected.GetProperty("affected").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void The_Alertmanager_payload_has_an_affected_annotation_only_when_checks_are_unreachable()
    {
        static JsonElement Annotations(Notification n) => JsonDocument.Parse(AlertmanagerPayload.Render(Announcement.Single(n, ByCheck), "am"))
            .RootElement.GetProperty("alerts")[0].GetProperty("annotations");

        Assert.Equal("http4/a, http4/b", Annotations(Problem() with { Affected = ["http4/a", "http4/b"] }).GetProperty("affected").GetString());
        Assert.False(Annotations(Problem()).TryGetProperty("affected", out _));
    }

    [Fact]
    public void In_one_lot_Affected_notifications_join_their_incident_s_Problem_or_the_first_Affected_one()
    {
        var lot = new[]
        {
            Problem("http4/r", 1), Affected("http4/r", 1, "http4/a"), Affected("http4/s", 2, "http4/b"), Affected("http4/r", 1, "http4/c", "http4/a"),
            Affected("http4/s", 2, "http4/d"),
        };

        var merged = NotificationDispatch.MergeAffected(lot);

        Assert.Equal([(NotificationKind.Problem, "http4/r#1"), (NotificationKind.Affected, "http4/s#2")], merged.Select(n => (n.Kind, n.Incident)));
        Assert.Equal(["http4/a", "http4/c"], merged[0].Affected);
        Assert.Equal(["http4/b", "http4/d"], merged[1].Affected);
    }

    [Fact]
    public void An_Affected_notification_of_an_incident_closing_in_the_same_lot_is_dropped()
    {
        var (kept, _) = NotificationDispatch.DropRecovered([Affected("http4/r", 1, "http4/a"), Ok("http4/r", 1)]);

        Assert.Equal([NotificationKind.Ok], kept.Select(n => n.Kind));
    }

    [Fact]
    public void An_unreachable_check_joins_its_parent_s_unsent_Problem_or_else_a_new_Affected_notification()
    {
        var parent = ActorTestChecks.Check("ping4/router");
        var row = CheckState.New("ping4/router", CheckStatus.Error, Since) with { Incidents = 2, LastMessage = "timeout" };
        List<Notification> unsent = [];

        AffectedNotifications.Add(unsent, parent, row, TimeSpan.FromMinutes(1), "http4/a", At);
        AffectedNotifications.Add(unsent, parent, row, TimeSpan.FromMinutes(1), "http4/b", At);
        AffectedNotifications.Add(unsent, parent, row, TimeSpan.FromMinutes(1), "http4/a", At);

        var affected = Assert.Single(unsent);
        Assert.Equal((NotificationKind.Affected, "ping4/router#2", "CheckTest", Since, "timeout"),
            (affected.Kind, affected.Incident, affected.CheckType, affected.Since, affected.Message));
        Assert.Equal(["http4/a", "http4/b"], affected.Affected);

        List<Notification> withProblem = [Problem("ping4/router", 2)];
        AffectedNotifications.Add(withProblem, parent, row, TimeSpan.FromMinutes(1), "http4/a", At);
        Assert.Equal(NotificationKind.Problem, Assert.Single(withProblem).Kind);
        Assert.Equal(["http4/a"], withProblem[0].Affected);
    }

    [Fact]
    public void An_unreachable_check_is_listed_by_its_nearest_notified_ancestors()
    {
        var rows = new Dictionary<string, CheckState>
        {
            ["uplink"] = CheckState.New("uplink", CheckStatus.Error, Since),
            ["router"] = CheckState.New("router", CheckStatus.Error, Since) with { HeldProblem = true, Held = HoldReasons.Dependency },
            ["dns"] = CheckState.New("dns", CheckStatus.Error, Since) with { HeldProblem = true, Held = HoldReasons.Silence },
            ["switch"] = CheckState.New("switch", CheckStatus.Ok, Since),
        };
        var parents = new Dictionary<string, IReadOnlyList<string>>
        {
            ["web"] = ["router", "dns", "switch"],
            ["router"] = ["uplink"],
        };

        Assert.Equal(["uplink"], AffectedNotifications.ListedBy("web", id => parents.GetValueOrDefault(id) ?? [], id => rows.GetValueOrDefault(id)));
    }

    [Fact]
    public void A_notification_stored_before_the_affected_list_existed_reads_with_an_empty_one_and_a_list_survives_the_store_s_JSON()
    {
        var options = Picomon.State.NotificationTables.Json;
        var old = """{"Kind":"Problem","Incident":"a#1","CheckId":"a","CheckType":"CheckTest","Target":"host","State":"Error","At":"2026-11-24T10:00:00+00:00","Since":"2026-11-24T10:00:00+00:00","Message":"down","ErrorInterval":"00:01:00"}""";
        var listing = Problem() with { Affected = ["http4/a"] };

        Assert.Empty(JsonSerializer.Deserialize<Notification>(old, options)!.Affected);
        Assert.Equal(listing, JsonSerializer.Deserialize<Notification>(JsonSerializer.Serialize(listing, options), options));
        Assert.NotEqual(listing, Problem());
    }
}
