using System.Text.Encodings.Web;
using System.Text.Json;

namespace Picomon.Notifications;

/// <summary>A webhook's <c>format = template</c> body: <c>body</c> with <c>{state} {check} {dest} {type} {message}
/// {incident} {since}</c> filled in (the set <see cref="Placeholders.TemplateBody"/>, checked at load time). For one
/// notification: Problem/OK/Reminder/Flapping, the check id, the target's name, the type's name (<c>CheckHTTP4</c>), the
/// message, the incident, when it began. For a digest: its summary (<c>2 Problem, 1 OK</c>), the checks, the
/// targets and the incidents shortened (<c>a, b, c and 4 more</c>), <c>digest</c>, one line per item, and when its
/// first incident began. When the body is JSON (its Content-Type says so), each value is escaped as a JSON string's
/// content, so a quote or a line break in a message cannot break it. Pure.</summary>
public static class TemplateBody
{
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static string Render(string template, Announcement a, bool json) =>
        Placeholders.Fill(template, name => Value(name, a) is { } value ? Escape(value, json) : null, "");

    private static string? Value(string name, Announcement a)
    {
        var first = a.Items.FirstOrDefault();
        if (!a.IsDigest && first is not null)
            return name switch
            {
                "state" => NotificationText.State(first),
                "check" => first.CheckId,
                "dest" => first.Target,
                "type" => first.CheckType,
                "message" => NotificationText.Message(first),
                "incident" => first.Incident,
                "since" => PicomonJson.Time(first.Since),
                _ => null,
            };
        return name switch
        {
            "state" => NotificationText.Summary(a),
            "check" => NotificationText.Shortened(a.Items.Select(n => n.CheckId)),
            "dest" => NotificationText.Shortened(a.Items.Select(n => n.Target)),
            "type" => "digest",
            "message" => NotificationText.Body(a).TrimEnd('\n'),
            "incident" => NotificationText.Shortened(a.Items.Select(n => n.Incident)),
            "since" => first is null ? "" : PicomonJson.Time(first.Since),
            _ => null,
        };
    }

    private static string Escape(string value, bool json) => json ? JsonEncodedText.Encode(value, Encoder).Value : value;
}
