using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Picomon.Notifications;
using static Picomon.Tests.Notifications.RenderFixtures;

namespace Picomon.Tests.Notifications;

/// <summary>The Alertmanager webhook payload, version 4, read back into the shape Alertmanager's own webhook
/// notifier sends (prometheus/alertmanager notify/webhook Message: template.Data with version, groupKey and
/// truncatedAlerts; template.Alert). Reading is strict: a missing field, an extra one or a wrong JSON type fails.</summary>
public sealed class AlertmanagerPayloadTests
{
    private sealed record Message(
        [property: JsonRequired] string Version,
        [property: JsonRequired] string GroupKey,
        [property: JsonRequired] int TruncatedAlerts,
        [property: JsonRequired] string Status,
        [property: JsonRequired] string Receiver,
        [property: JsonRequired] Dictionary<string, string> GroupLabels,
        [property: JsonRequired] Dictionary<string, string> CommonLabels,
        [property: JsonRequired] Dictionary<string, string> CommonAnnotations,
        [property: JsonRequired, JsonPropertyName("externalURL")] string ExternalUrl,
        [property: JsonRequired] List<Alert> Alerts);

    private sealed record Alert(
        [property: JsonRequired] string Status,
        [property: JsonRequired] Dictionary<string, string> Labels,
        [property: JsonRequired] Dictionary<string, string> Annotations,
        [property: JsonRequired] string StartsAt,
        [property: JsonRequired] string EndsAt,
        [property: JsonRequired, JsonPropertyName("generatorURL")] string GeneratorUrl,
        [property: JsonRequired] string Fingerprint);

    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
    };

    private static Message Read(Announcement a) => JsonSerializer.Deserialize<Message>(AlertmanagerPayload.Render(a, "am"), Strict)!;

    private static DateTimeOffset Rfc3339(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture);

    [Fact]
    public void A_problem_is_one_firing_alert_with_every_field_of_version_4()
    {
        var message = Read(Announcement.Single(Problem(), ByCheck));

        Assert.Equal(("4", "{}:{check=\"http4/web\"}", 0, "firing", "am", ""),
            (message.Version, message.GroupKey, message.TruncatedAlerts, message.Status, message.Receiver, message.ExternalUrl));
        Assert.Equal(new Dictionary<string, string> { ["check"] = "http4/web" }, message.GroupLabels);
        var alert = Assert.Single(message.Alerts);
        Assert.Equal(new Dictionary<string, string>
        {
            ["alertname"] = "http4/web", ["check"] = "http4/web", ["type"] = "CheckHTTP4", ["target"] = "web", ["incident"] = "http4/web#3",
        }, alert.Labels);
        Assert.Equal(alert.Labels, message.CommonLabels);
        Assert.Equal(new Dictionary<string, string>
        {
            ["summary"] = "Problem: CheckHTTP4 on web", ["description"] = "HTTP 503 \"Service\" Unavailable\nline 2",
        }, alert.Annotations);
        Assert.Equal(("firing", Since, AlertmanagerPayload.NoEnd, ""), (alert.Status, Rfc3339(alert.StartsAt), alert.EndsAt, alert.GeneratorUrl));
        Assert.Matches("^[0-9a-f]{16}$", alert.Fingerprint);
    }

    [Fact]
    public void An_ok_resolves_the_same_alert_with_its_end()
    {
        var problem = Assert.Single(Read(Announcement.Single(Problem(), ByCheck)).Alerts);
        var message = Read(Announcement.Single(Ok(), ByCheck));

        var resolved = Assert.Single(message.Alerts);
        Assert.Equal(("resolved", "resolved"), (message.Status, resolved.Status));
        Assert.Equal((Since, At), (Rfc3339(resolved.StartsAt), Rfc3339(resolved.EndsAt)));
        Assert.Equal(problem.Fingerprint, resolved.Fingerprint);
        Assert.Equal(problem.Labels, resolved.Labels);
    }

    [Fact]
    public void A_flapping_incident_still_fires_with_the_same_alert_and_says_so_in_its_annotations()
    {
        var problem = Assert.Single(Read(Announcement.Single(Problem(), ByCheck)).Alerts);
        var message = Read(Announcement.Single(Flapping(), ByCheck));

        var alert = Assert.Single(message.Alerts);
        Assert.Equal(("firing", "firing", AlertmanagerPayload.NoEnd), (message.Status, alert.Status, alert.EndsAt));
        Assert.Equal(problem.Fingerprint, alert.Fingerprint);
        Assert.Equal(problem.Labels, alert.Labels);
        Assert.Equal("Flapping: CheckHTTP4 on web", alert.Annotations["summary"]);
        Assert.StartsWith("the state changed in 34%", alert.Annotations["description"]);
    }

    [Fact]
    public void A_digest_is_one_payload_firing_while_any_alert_fires_with_the_labels_all_share()
    {
        var message = Read(new Announcement([Problem("http4/a", 1), Ok("http4/b", 2), Reminder("http4/a", 1)], 0, ByAll));

        Assert.Equal(("firing", "{}:{}"), (message.Status, message.GroupKey));
        Assert.Empty(message.GroupLabels);
        Assert.Equal(["firing", "resolved", "firing"], message.Alerts.Select(a => a.Status));
        Assert.Equal(new Dictionary<string, string> { ["type"] = "CheckHTTP4" }, message.CommonLabels);
        Assert.Empty(message.CommonAnnotations);
        Assert.Equal(message.Alerts[0].Fingerprint, message.Alerts[2].Fingerprint);
        Assert.NotEqual(message.Alerts[0].Fingerprint, message.Alerts[1].Fingerprint);
    }

    [Fact]
    public void The_strict_reading_catches_a_missing_field()
    {
        var json = AlertmanagerPayload.Render(Announcement.Single(Problem(), ByCheck), "am").Replace("\"truncatedAlerts\":0,", "");

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Message>(json, Strict));
    }
}
