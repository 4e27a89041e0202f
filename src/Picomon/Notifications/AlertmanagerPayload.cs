using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Picomon.Checks;

namespace Picomon.Notifications;

/// <summary>The Alertmanager webhook payload, version "4" (webhook <c>format = alertmanager</c>), so that a receiver
/// written for Alertmanager works unchanged: <c>version, groupKey, truncatedAlerts, status, receiver, groupLabels,
/// commonLabels, commonAnnotations, externalURL, alerts[{status, labels, annotations, startsAt, endsAt,
/// generatorURL, fingerprint}]</c>. Each incident is one alert (labels <c>alertname</c> and <c>check</c>: the
/// check id; <c>type</c>, <c>target</c>, <c>incident</c>), firing for a Problem, a Reminder, a Flapping (whose summary
/// annotation says <c>Flapping</c> and description the share of changes) or an Affected notification (an
/// <c>affected</c> annotation lists the checks it made unreachable), resolved (with
/// <c>endsAt</c>) for an OK; its fingerprint is derived from the incident id, so it is the same in every payload
/// about that incident. Picomon has no URL of its own to give: <c>externalURL</c> and <c>generatorURL</c> are
/// empty. Pure.</summary>
public static class AlertmanagerPayload
{
    public const string Version = "4";

    /// <summary>What Alertmanager writes for the end of an alert still firing: Go's zero time.</summary>
    public const string NoEnd = "0001-01-01T00:00:00Z";

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="receiver">The channel's name.</param>
    public static string Render(Announcement announcement, string receiver)
    {
        var alerts = announcement.Items.Select(n => (Notification: n, Labels: Labels(n), Annotations: Annotations(n))).ToList();
        var groupLabels = announcement.Group.Label is { } label ? [new(label, announcement.Group.Key)] : new List<KeyValuePair<string, string>>();
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("version", Version);
            json.WriteString("groupKey", $"{{}}:{{{string.Join(",", groupLabels.Select(l => $"{l.Key}={JsonSerializer.Serialize(l.Value)}"))}}}");
            json.WriteNumber("truncatedAlerts", 0);
            json.WriteString("status", alerts.Any(a => Firing(a.Notification)) ? "firing" : "resolved");
            json.WriteString("receiver", receiver);
            WriteMap(json, "groupLabels", groupLabels);
            WriteMap(json, "commonLabels", Common(alerts.Select(a => a.Labels)));
            WriteMap(json, "commonAnnotations", Common(alerts.Select(a => a.Annotations)));
            json.WriteString("externalURL", "");
            json.WriteStartArray("alerts");
            foreach (var (n, labels, annotations) in alerts) WriteAlert(json, n, labels, annotations);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The alert's fingerprint: 16 hex digits, the same for every payload about the incident.</summary>
    public static string Fingerprint(string incident) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(incident)))[..16];

    // A Flapping notification is about an incident still open, even when the check's last run succeeded.
    private static bool Firing(Notification n) => n.Kind == NotificationKind.Flapping || n.State != CheckStatus.Ok;

    private static void WriteAlert(Utf8JsonWriter json, Notification n, List<KeyValuePair<string, string>> labels,
        List<KeyValuePair<string, string>> annotations)
    {
        json.WriteStartObject();
        json.WriteString("status", Firing(n) ? "firing" : "resolved");
        WriteMap(json, "labels", labels);
        WriteMap(json, "annotations", annotations);
        json.WriteString("startsAt", Time(n.Since));
        json.WriteString("endsAt", Firing(n) ? NoEnd : Time(n.At));
        json.WriteString("generatorURL", "");
        json.WriteString("fingerprint", Fingerprint(n.Incident));
        json.WriteEndObject();
    }

    private static List<KeyValuePair<string, string>> Labels(Notification n) =>
        [new("alertname", n.CheckId), new("check", n.CheckId), new("type", n.CheckType), new("target", n.Target), new("incident", n.Incident)];

    // The checks made unreachable, when there are some, in an "affected" annotation (comma-separated ids).
    private static List<KeyValuePair<string, string>> Annotations(Notification n)
    {
        List<KeyValuePair<string, string>> annotations =
            [new("summary", $"{NotificationText.State(n)}: {n.CheckType} on {n.Target}"), new("description", NotificationText.Message(n))];
        if (n.Affected.Count > 0) annotations.Add(new("affected", string.Join(", ", n.Affected)));
        return annotations;
    }

    /// <summary>The pairs every alert has, as Alertmanager's commonLabels and commonAnnotations are.</summary>
    private static List<KeyValuePair<string, string>> Common(IEnumerable<List<KeyValuePair<string, string>>> maps)
    {
        List<KeyValuePair<string, string>>? common = null;
        foreach (var map in maps) common = common is null ? [.. map] : common.Where(map.Contains).ToList();
        return common ?? [];
    }

    private static void WriteMap(Utf8JsonWriter json, string name, IEnumerable<KeyValuePair<string, string>> pairs)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in pairs) json.WriteString(key, value);
        json.WriteEndObject();
    }

    // RFC 3339 in UTC, as Go writes a time.Time.
    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
