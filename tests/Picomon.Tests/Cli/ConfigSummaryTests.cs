using Picomon.Cli;
using Picomon.Configuration;

namespace Picomon.Tests.Cli;

/// <summary>The <c>picomon -t</c> summary: unchanged without a notify block; with one, the grouping and each
/// channel with the checks that use it, never a secret.</summary>
public sealed class ConfigSummaryTests
{
    private static PicomonSettings Load(string hocon)
    {
        var path = Path.Combine(Path.GetTempPath(), $"picomon-summary-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, hocon);
        try { return ConfigLoader.Load(path, _ => null) with { Source = "test.conf" }; }
        finally { File.Delete(path); }
    }

    private const string Checks = """
        picomon.emails { to = ["ops@example.org"], addr-from = "Picomon <picomon@example.org>", smtp-host = "mail.example.org" }
        picomon.hosts { web { ipv4 = "192.0.2.10" } }
        picomon.checks = [
          { type = ping4, hosts = [web, "192.0.2.1", "192.0.2.2", "192.0.2.3"] }
          { type = tcp4, hosts = [web, "192.0.2.1", "192.0.2.2", "192.0.2.3"], port = 22 }
          { type = http4, hosts = [web], channels = [chat, page] }
        ]

        """;

    [Fact]
    public void Without_a_notify_block_the_summary_says_nothing_of_channels()
    {
        Assert.Equal("""
            picomon: configuration OK: test.conf
              base tick 1m, 9 checks, 1 host
              checks per type: http4 1, ping4 4, tcp4 4
              host web: 192.0.2.10 (192.0.2.10)
              mail: to ops@example.org from Picomon <picomon@example.org> via mail.example.org:25 (tls auto)
              reports off
              state: ./picomon-state
              http: off

            """, ConfigSummary.Render(Load(Checks.Replace("channels = [chat, page]", ""))).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void With_a_notify_block_it_names_each_channel_and_the_checks_using_it_without_secrets()
    {
        var summary = ConfigSummary.Render(Load(Checks + """
            picomon.notify {
              channels {
                ops  { type = mail, to = ["ops@example.org", "boss@example.org"] }
                chat { type = webhook, url = "https://u:s3cret@ntfy.example.org/s3cret-topic?auth=s3cret", headers { X-Token = s3cret } }
                page { type = exec, command = ["/usr/local/bin/page", "--token", "s3cret"] }
                idle { type = webhook, url = "http://127.0.0.1:9093/hook", format = alertmanager }
              }
              default-channels = [ops]
              group-wait = 3s
              repeat-interval = 1h
            }
            picomon.checks += { type = ping6, hosts = ["::1"], channels = [] }
            """)).ReplaceLineEndings("\n");

        Assert.Contains("""
              notifications: grouped by check (wait 3s, interval 5m), reminders every 1h, retries every 1m
              channel chat: webhook POST https://ntfy.example.org:443/… (picomon), used by 1 check: http4/web
              channel idle: webhook POST http://127.0.0.1:9093/… (alertmanager), used by no check
              channel ops: mail to ops@example.org, boss@example.org, used by 8 checks: ping4/web, ping4/192.0.2.1, ping4/192.0.2.2, ping4/192.0.2.3, tcp4/web and 3 more
              channel page: exec /usr/local/bin/page, used by 1 check: http4/web
              1 check with no channel (transitions only logged)
              state: ./picomon-state

            """, summary);
        Assert.DoesNotContain("s3cret", summary);
    }
}
