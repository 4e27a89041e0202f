using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Picomon.Checks;

namespace Picomon.Notifications;

/// <summary>The picomon JSON (the README's "Notifications"; webhook <c>format = picomon</c>, and an exec channel's stdin): always
/// the same keys, in this order — <c>version, kind, incident, check, type, target, state, since, message,
/// messageId, affected, items</c>. A single notification fills the first ones and has no items; a digest
/// (<c>kind = digest</c>) leaves them null, says what it holds in <c>message</c> and lists each notification in
/// <c>items</c> with its own <c>kind, incident, check, type, target, state, since, message</c>. <c>affected</c> lists the
/// checks a Problem or an Affected notification made unreachable. Pure.</summary>
public static class PicomonJson
{
    public const int Version = 1;

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="messageId">This message's own id (a receiver may use it to recognise a resend).</param>
    public static string Render(Announcement announcement, string messageId)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteNumber("version", Version);
            if (announcement.IsDigest) WriteDigest(json, announcement);
            else WriteFields(json, announcement.Items[0]);
            json.WriteString("messageId", messageId);
            json.WriteStartArray("affected");
            foreach (var id in Affected(announcement)) json.WriteStringValue(id);
            json.WriteEndArray();
            json.WriteStartArray("items");
            if (announcement.IsDigest)
                foreach (var item in announcement.Items)
                {
                    json.WriteStartObject();
                    WriteFields(json, item);
                    json.WriteEndObject();
                }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary><c>affected</c>: the checks made unreachable that the notification lists (a digest: all its items list).</summary>
    public static IReadOnlyList<string> Affected(Announcement a) => a.Items.SelectMany(n => n.Affected).Distinct().ToList();

    /// <summary><c>kind</c> as the JSON and <c>PICOMON_KIND</c> name it: problem, ok, reminder, flapping, affected or
    /// digest.</summary>
    public static string Kind(Announcement a) => a.IsDigest ? "digest" : Kind(a.Items[0]);

    public static string Kind(Notification n) => n.Kind.ToString().ToLowerInvariant();

    /// <summary><c>state</c>: error or ok; flapping for a Flapping notification; unreachable for an Affected notification
    /// (what it announces of the checks it lists); null for a digest.</summary>
    public static string? State(Announcement a) => a.IsDigest ? null : State(a.Items[0]);

    /// <summary><c>message</c>: the notification's message, or a digest's summary.</summary>
    public static string Message(Announcement a) => a.IsDigest ? NotificationText.Summary(a) : NotificationText.Message(a.Items[0]);

    /// <summary>An ISO 8601 time with its offset, to the second: <c>2026-11-24T10:02:03+01:00</c>.</summary>
    public static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);

    private static string State(Notification n) =>
        n.Kind switch
        {
            NotificationKind.Flapping => "flapping",
            NotificationKind.Affected => "unreachable",
            _ => n.State == CheckStatus.Ok ? "ok" : "error",
        };

    private static void WriteFields(Utf8JsonWriter json, Notification n)
    {
        json.WriteString("kind", Kind(n));
        json.WriteString("incident", n.Incident);
        json.WriteString("check", n.CheckId);
        json.WriteString("type", n.CheckType);
        json.WriteString("target", n.Target);
        json.WriteString("state", State(n));
        json.WriteString("since", Time(n.Since));
        json.WriteString("message", NotificationText.Message(n));
    }

    private static void WriteDigest(Utf8JsonWriter json, Announcement a)
    {
        json.WriteString("kind", "digest");
        foreach (var key in new[] { "incident", "check", "type", "target", "state", "since" }) json.WriteNull(key);
        json.WriteString("message", Message(a));
    }
}
