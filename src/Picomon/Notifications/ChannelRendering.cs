using Picomon.Configuration;
using Picomon.Mail;

namespace Picomon.Notifications;

/// <summary>Renders an announcement for one channel, as that channel's type wants it: a mail (through the
/// <c>emails.*</c> settings, to the channel's recipients), or a webhook body in its format, or an exec's stdin and
/// environment. Every message gets its own id, which later messages about the same incidents answer. Pure, apart
/// from the random part of each id.</summary>
public sealed class ChannelRendering(MailComposer composer, EmailSettings emails, string digestSubjectTemplate)
{
    /// <summary>Adds the rendering of <paramref name="announcement"/> for <paramref name="channel"/> to
    /// <paramref name="changes"/> and returns its message id.</summary>
    /// <param name="answers">The messages that announced the incidents it is about (none for new Problems).</param>
    public string Render(ChannelSettings channel, Announcement announcement, IReadOnlyList<string> answers, DateTimeOffset now,
        NotificationChanges changes)
    {
        if (channel is MailChannelSettings mail)
        {
            var settings = emails with { To = mail.To, SubjectTemplate = mail.SubjectTemplate };
            var message = announcement.IsDigest
                ? composer.Digest(settings, digestSubjectTemplate, announcement, answers, now)
                : composer.Render(settings, announcement.Items[0], answers);
            changes.Mails.Add((channel.Name, message));
            return message.MessageId;
        }
        var id = composer.NewMessageId(now);
        var (body, contentType, environment) = channel switch
        {
            WebhookChannelSettings hook => (Body(hook, announcement, id), ContentType(hook), new Dictionary<string, string>()),
            _ => (PicomonJson.Render(announcement, id), Json, Environment(announcement)),
        };
        changes.Deliveries.Add((channel.Name, new Delivery(id, PicomonJson.Kind(announcement), Summary(announcement), body, contentType,
            environment, now)));
        return id;
    }

    private const string Json = "application/json";
    private const string Text = "text/plain; charset=utf-8";

    /// <summary>What a log line says a delivery is: <c>Problem http4/web#3</c>, <c>digest: 2 Problem, 1 OK</c>.</summary>
    public static string Summary(Announcement a) =>
        a.IsDigest ? $"digest: {NotificationText.Summary(a)}" : $"{NotificationText.State(a.Items[0])} {a.Items[0].Incident}";

    private static string Body(WebhookChannelSettings hook, Announcement a, string id) => hook.Format switch
    {
        WebhookFormat.Alertmanager => AlertmanagerPayload.Render(a, hook.Name),
        WebhookFormat.Template => TemplateBody.Render(hook.Body!, a, json: ContentType(hook).Contains("json", StringComparison.OrdinalIgnoreCase)),
        _ => PicomonJson.Render(a, id),
    };

    /// <summary>JSON for the picomon and alertmanager formats; a template's Content-Type header, else plain text.</summary>
    private static string ContentType(WebhookChannelSettings hook) =>
        hook.Format != WebhookFormat.Template ? Json
            : hook.Headers.FirstOrDefault(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value ?? Text;

    private static Dictionary<string, string> Environment(Announcement a) => new()
    {
        ["PICOMON_KIND"] = PicomonJson.Kind(a),
        ["PICOMON_CHECK"] = a.IsDigest ? NotificationText.Shortened(a.Items.Select(n => n.CheckId)) : a.Items[0].CheckId,
        ["PICOMON_STATE"] = PicomonJson.State(a) ?? "",
        ["PICOMON_MESSAGE"] = PicomonJson.Message(a),
    };
}
