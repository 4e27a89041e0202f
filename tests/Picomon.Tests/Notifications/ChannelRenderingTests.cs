using System.Text.Json;
using Picomon.Configuration;
using Picomon.Mail;
using Picomon.Notifications;
using Picomon.Tests.Support;
using static Picomon.Tests.Notifications.RenderFixtures;

namespace Picomon.Tests.Notifications;

/// <summary>What each channel type's message is made of: a mail to the channel's recipients, a webhook body in its
/// format with its media type, an exec's stdin and environment.</summary>
public sealed class ChannelRenderingTests
{
    private readonly ChannelRendering _rendering = new(new MailComposer("mon.example.org"), ActorTestChecks.Emails, "{problems}/{oks}");

    private static WebhookChannelSettings Hook(WebhookFormat format, string? body = null, params KeyValuePair<string, string>[] headers) =>
        new("hook", new Uri("https://hooks.example.org/x"), "POST", headers, TimeSpan.FromSeconds(10), format, body);

    [Fact]
    public void A_mail_channel_mails_its_recipients_with_its_subject_template_and_is_answered_by_message_id()
    {
        var changes = new NotificationChanges();

        var id = _rendering.Render(new MailChannelSettings("ops", ["oncall@example.org"], "{state}! {dest}"), Announcement.Single(Ok(), ByCheck),
            ["<p@x>"], At, changes);

        var (channel, mail) = Assert.Single(changes.Mails);
        Assert.Equal(("ops", id, "OK! web", "<p@x>", "Picomon <picomon@mon.example.org>"), (channel, mail.MessageId, mail.Subject, mail.InReplyTo, mail.From));
        Assert.Equal(["oncall@example.org"], mail.To);
    }

    [Fact]
    public void A_digest_mail_takes_the_digest_subject_template()
    {
        var changes = new NotificationChanges();

        _rendering.Render(new MailChannelSettings("ops", ["o@example.org"], "x"), new Announcement([Ok()], 1, ByCheck), [], At, changes);

        Assert.Equal((MailKind.Digest, "0/1"), (changes.Mails[0].Mail.Kind, changes.Mails[0].Mail.Subject));
    }

    [Fact]
    public void A_webhook_gets_its_format_as_json_or_its_template_with_its_content_type()
    {
        var changes = new NotificationChanges();
        var single = Announcement.Single(Problem(), ByCheck);

        var picomonId = _rendering.Render(Hook(WebhookFormat.Picomon), single, [], At, changes);
        _rendering.Render(Hook(WebhookFormat.Alertmanager), single, [], At, changes);
        _rendering.Render(Hook(WebhookFormat.Template, """{"text":"{message}"}""", new KeyValuePair<string, string>("Content-Type", "application/json")), single, [], At, changes);
        _rendering.Render(Hook(WebhookFormat.Template, "{state} {check}"), single, [], At, changes);

        var (picomon, alertmanager, json, text) = (changes.Deliveries[0].Delivery, changes.Deliveries[1].Delivery, changes.Deliveries[2].Delivery,
            changes.Deliveries[3].Delivery);
        Assert.Equal((picomonId, "problem", "Problem http4/web#3", "application/json"), (picomon.Id, picomon.Kind, picomon.Summary, picomon.ContentType));
        Assert.Equal(picomonId, JsonDocument.Parse(picomon.Body).RootElement.GetProperty("messageId").GetString());
        Assert.Equal(("hook", "application/json"), (JsonDocument.Parse(alertmanager.Body).RootElement.GetProperty("receiver").GetString(), alertmanager.ContentType));
        Assert.Equal("HTTP 503 \"Service\" Unavailable\nline 2", JsonDocument.Parse(json.Body).RootElement.GetProperty("text").GetString());
        Assert.Equal(("Problem http4/web", "text/plain; charset=utf-8"), (text.Body, text.ContentType));
    }

    [Fact]
    public void An_exec_gets_the_picomon_json_on_stdin_and_the_picomon_variables()
    {
        var changes = new NotificationChanges();

        _rendering.Render(new ExecChannelSettings("page", ["/bin/true"], TimeSpan.FromSeconds(30)), new Announcement([Problem(), Ok("http4/api", 1)], 0, ByAll),
            [], At, changes);

        var delivery = Assert.Single(changes.Deliveries).Delivery;
        Assert.Equal("digest", JsonDocument.Parse(delivery.Body).RootElement.GetProperty("kind").GetString());
        Assert.Equal(new Dictionary<string, string>
        {
            ["PICOMON_KIND"] = "digest", ["PICOMON_CHECK"] = "http4/web, http4/api", ["PICOMON_STATE"] = "", ["PICOMON_MESSAGE"] = "1 Problem, 1 OK",
        }, delivery.Environment);
        Assert.Equal("digest: 1 Problem, 1 OK", delivery.Summary);
    }
}
