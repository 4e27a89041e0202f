using Picomon.Configuration;

namespace Picomon.Tests.Configuration;

/// <summary><c>picomon.notify</c> and the checks' <c>channels</c>, read from real files.</summary>
public sealed class NotifySettingsTests
{
    private static PicomonSettings Load(string hocon)
    {
        var path = Path.Combine(Path.GetTempPath(), $"picomon-notify-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, hocon);
        try { return ConfigLoader.Load(path, _ => null); }
        finally { File.Delete(path); }
    }

    private const string TwoGroups = """
        picomon.hosts { web { ipv4 = "192.0.2.10" }, db { ipv4 = "192.0.2.20" } }
        picomon.checks = [
          { type = ping4, hosts = [web, db] }
          { type = http4, hosts = [web], channels = [chat, ops] }
        ]

        """;

    [Fact]
    public void Without_a_notify_block_emails_to_is_the_one_implicit_mail_channel_sent_at_once()
    {
        var notify = Load(TwoGroups.Replace("channels = [chat, ops]", "") + """picomon.emails.to = ["ops@example.org"]""").Notify;

        Assert.False(notify.Configured);
        var email = Assert.IsType<MailChannelSettings>(Assert.Single(notify.Channels));
        Assert.Equal(("email", "[DOMAIN] {state}: {check} on {dest}"), (email.Name, email.SubjectTemplate));
        Assert.Equal(["ops@example.org"], email.To);
        Assert.All(["ping4/web", "ping4/db", "http4/web"], id => Assert.Equal(["email"], notify.ChannelsOf(id)));
        Assert.Equal((GroupBy.Check, TimeSpan.Zero, TimeSpan.FromMinutes(5), TimeSpan.Zero, TimeSpan.FromSeconds(60)),
            (notify.GroupBy, notify.GroupWait, notify.GroupInterval, notify.RepeatInterval, notify.RetryTimeout));
        Assert.Equal("[DOMAIN] {problems} Problem, {oks} OK: {checks}", notify.DigestSubjectTemplate);
    }

    [Fact]
    public void A_notify_block_without_channels_keeps_the_implicit_channel_and_sets_the_grouping()
    {
        var notify = Load("""
            picomon.emails { to = ["ops@example.org"], subject-tpl = "{state} {check}" }
            picomon.notify { group-by = host, group-wait = 30s, group-interval = 2m, repeat-interval = 4h, retry-timeout = 10s }
            picomon.checks = [ { type = ping4, hosts = ["192.0.2.1"] } ]
            """).Notify;

        Assert.True(notify.Configured);
        Assert.Equal("{state} {check}", Assert.IsType<MailChannelSettings>(Assert.Single(notify.Channels)).SubjectTemplate);
        Assert.Equal(["email"], notify.ChannelsOf("ping4/192.0.2.1"));
        Assert.Equal((GroupBy.Host, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromHours(4), TimeSpan.FromSeconds(10)),
            (notify.GroupBy, notify.GroupWait, notify.GroupInterval, notify.RepeatInterval, notify.RetryTimeout));
    }

    [Fact]
    public void Channels_take_their_type_defaults_and_checks_their_group_or_the_default_channels()
    {
        var notify = Load(TwoGroups + """
            picomon.emails { to = ["reports@example.org"], subject-tpl = "{state}: {check}" }
            picomon.notify {
              channels {
                ops  { type = mail, to = ["ops@example.org"] }
                chat { type = webhook, url = "https://ntfy.example.org/ops", format = template, body = "{state}: {check} on {dest}",
                       headers { Priority = "high", Content-Type = "text/markdown" } }
                am   { type = webhook, url = "http://127.0.0.1:9093/hook", format = alertmanager, method = put, timeout = 3s }
                page { type = exec, command = ["/usr/local/bin/page-oncall", "--team", "ops"] }
              }
              default-channels = [am, page]
            }
            """).Notify;

        Assert.Equal(["am", "chat", "ops", "page"], notify.Channels.Select(c => c.Name));
        Assert.Equal(["am", "page"], notify.ChannelsOf("ping4/db"));
        Assert.Equal(["chat", "ops"], notify.ChannelsOf("http4/web"));
        var channels = notify.Channels.ToDictionary(c => c.Name);
        Assert.Equal("{state}: {check}", ((MailChannelSettings)channels["ops"]).SubjectTemplate);
        var chat = (WebhookChannelSettings)channels["chat"];
        Assert.Equal(("POST", TimeSpan.FromSeconds(10), WebhookFormat.Template, "{state}: {check} on {dest}"),
            (chat.Method, chat.Timeout, chat.Format, chat.Body));
        Assert.Equal([new("Priority", "high"), new("Content-Type", "text/markdown")], chat.Headers);
        var am = (WebhookChannelSettings)channels["am"];
        Assert.Equal(("PUT", TimeSpan.FromSeconds(3), WebhookFormat.Alertmanager, null), (am.Method, am.Timeout, am.Format, am.Body));
        var page = (ExecChannelSettings)channels["page"];
        Assert.Equal(["/usr/local/bin/page-oncall", "--team", "ops"], page.Command);
        Assert.Equal(TimeSpan.FromSeconds(30), page.Timeout);
    }

    [Fact]
    public void Channel_defaults_set_in_the_file_apply_to_every_channel_of_their_type_that_does_not_set_the_key()
    {
        var notify = Load("""
            picomon.emails { to = ["reports@example.org"], subject-tpl = "{state}: {check}" }
            picomon.notify {
              channel-defaults {
                mail.subject-tpl = "ALERT {check}"
                webhook { method = PUT, timeout = 4s, format = alertmanager }
                exec.timeout = 5s
              }
              channels {
                ops  { type = mail, to = ["ops@example.org"] }
                am   { type = webhook, url = "http://127.0.0.1:9093/hook" }
                chat { type = webhook, url = "https://ntfy.example.org/ops", method = post, timeout = 2s, format = picomon }
                page { type = exec, command = ["/usr/local/bin/page-oncall"] }
              }
              default-channels = [ops]
            }
            """).Notify;

        var channels = notify.Channels.ToDictionary(c => c.Name);
        Assert.Equal("ALERT {check}", ((MailChannelSettings)channels["ops"]).SubjectTemplate);
        var am = (WebhookChannelSettings)channels["am"];
        Assert.Equal(("PUT", TimeSpan.FromSeconds(4), WebhookFormat.Alertmanager), (am.Method, am.Timeout, am.Format));
        var chat = (WebhookChannelSettings)channels["chat"];
        Assert.Equal(("POST", TimeSpan.FromSeconds(2), WebhookFormat.Picomon), (chat.Method, chat.Timeout, chat.Format));
        Assert.Equal(TimeSpan.FromSeconds(5), ((ExecChannelSettings)channels["page"]).Timeout);
    }

    [Fact]
    public void Credentials_in_the_url_become_basic_authentication_and_leave_the_url()
    {
        var notify = Load("""
            picomon.notify.channels.am { type = webhook, url = "https://picomon:s3cr%40t@am.example.org:9443/hook?token=abc" }
            picomon.notify.default-channels = [am]
            """).Notify;

        var am = (WebhookChannelSettings)Assert.Single(notify.Channels);
        Assert.Equal("https://am.example.org:9443/hook?token=abc", am.Url.ToString());
        Assert.Equal([new("Authorization", "Basic " + Convert.ToBase64String("picomon:s3cr@t"u8.ToArray()))], am.Headers);
        Assert.Equal("https://am.example.org:9443/…", am.RedactedUrl);
    }

    [Fact]
    public void A_check_group_with_an_empty_channel_list_notifies_no_channel()
    {
        var notify = Load("""
            picomon.notify.channels.ops { type = mail, to = ["ops@example.org"] }
            picomon.notify.default-channels = [ops]
            picomon.checks = [ { type = ping4, hosts = ["192.0.2.1"], channels = [] } ]
            """).Notify;

        Assert.Empty(notify.ChannelsOf("ping4/192.0.2.1"));
    }

    [Theory]
    [InlineData("notify-bad-headers.conf")]
    [InlineData("notify-bad-url.conf")]
    public void Errors_never_quote_a_url_or_a_header_value(string file)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Path.Combine("testdata/config/bad", file), _ => null));

        Assert.NotEmpty(error.Errors);
        Assert.All(error.Errors, e => Assert.DoesNotContain("s3cret", e.ToString()));
    }

    [Fact]
    public void A_webhook_channel_prints_without_its_secrets()
    {
        var notify = Load("""
            picomon.notify.channels.chat { type = webhook, url = "https://ntfy.example.org/s3cret-topic", headers { Authorization = "Bearer s3cret" } }
            picomon.notify.default-channels = [chat]
            """).Notify;

        var chat = Assert.Single(notify.Channels);
        Assert.DoesNotContain("s3cret", chat.ToString());
        Assert.DoesNotContain("s3cret", chat.Describe());
        Assert.DoesNotContain("s3cret", notify.ToString());
    }
}
