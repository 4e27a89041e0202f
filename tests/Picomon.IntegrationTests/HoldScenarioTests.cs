using System.Globalization;
using Picomon.IntegrationTests.Support;
using static Picomon.IntegrationTests.Support.Scenario;

namespace Picomon.IntegrationTests;

/// <summary>Silences and maintenance windows end to end: the published daemon, a Kestrel target whose paths the test
/// sets down and up, and aiosmtpd receiving the mails. "No mail" is asserted after a later event proved the moment
/// passed: more runs of the check seen at the target, or a following mail.</summary>
[Collection(RealTime.Name)]
public class HoldScenarioTests
{
    private static readonly TimeSpan Deadline = Deadlines.Event;

    private static string Config(int smtpPort, int webPort, string extra = "") => Scenario.Config(smtpPort, $$"""
          hosts {
            a { ipv4 = "127.0.0.1", name = "host-a" }
            b { ipv4 = "127.0.0.1", name = "host-b" }
            c { ipv4 = "127.0.0.1", name = "host-c" }
          }
          checks = [
            { type = http4, hosts = [a], name = "http4/a", port = {{webPort}}, url = "/a" }
            { type = http4, hosts = [b], name = "http4/b", port = {{webPort}}, url = "/b" }
            { type = http4, hosts = [c], name = "http4/c", port = {{webPort}}, url = "/c" }
          ]
          {{extra}}
        """);

    [Fact]
    public async Task A_silenced_check_failing_sends_no_mail_and_its_expiry_while_it_still_fails_sends_one_Problem()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        using var smtp = await SmtpServer.StartAsync();
        using var picomon = await Daemon.StartAsync(dir, Config(smtp.Port, web.Port), checks: 3);
        var added = await PicomonAsync(dir, "silence", "add", "http4/*", "--for", "1h");
        Assert.Equal(0, added.ExitCode);

        web.SetDown("/a", true);
        await StatusUntilAsync(dir, @"^held +http4/a +host-a .*\[silence\] HTTP 503");
        await MoreRunsAsync(web, "/a", 3);
        var dump = await DumpAsync(picomon);
        Assert.Matches(@"\nhost-a: http4/a\nSince [^\n]+\nHeld \(silence\)\n\tHTTP 503", dump);
        Assert.Empty(smtp.Messages);

        Assert.Equal(0, (await PicomonAsync(dir, "silence", "expire", added.Stdout.Trim())).ExitCode);
        await MailAsync(smtp, Subject("Problem", "host-a"));
        await MoreRunsAsync(web, "/a", 3);
        web.SetDown("/a", false);
        await MailAsync(smtp, Subject("OK", "host-a"));
        Assert.Equal([Subject("Problem", "host-a"), Subject("OK", "host-a")], Subjects(smtp));
        await StopAsync(picomon);
    }

    [Fact]
    public async Task A_maintenance_window_sends_the_OK_of_an_earlier_Problem_at_once_one_Problem_after_it_and_nothing_for_what_recovered_within()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        using var smtp = await SmtpServer.StartAsync();
        using var picomon = await Daemon.StartAsync(dir, Config(smtp.Port, web.Port), checks: 3);
        web.SetDown("/a", true);
        await MailAsync(smtp, Subject("Problem", "host-a"));

        // The window opens (a reload that adds it, started a minute ago, for an hour).
        var start = DateTimeOffset.Now.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        await ReloadAsync(dir, Config(smtp.Port, web.Port,
            $$"""maintenance = [ { name = work, checks = ["http4/*"], start = "{{start}}", duration = 1h } ]"""));
        web.SetDown("/b", true);
        web.SetDown("/c", true);
        await StatusUntilAsync(dir, @"^held +http4/b ");
        await StatusUntilAsync(dir, @"^held +http4/c ");
        web.SetDown("/a", false);
        await MailAsync(smtp, Subject("OK", "host-a"));
        web.SetDown("/c", false);
        await StatusUntilAsync(dir, @"^ok +http4/c ");
        await MoreRunsAsync(web, "/b", 3);

        // The window ends (a reload that removes it): b, still failing, gets its Problem after a run; c nothing.
        await ReloadAsync(dir, Config(smtp.Port, web.Port));
        await MailAsync(smtp, Subject("Problem", "host-b"));
        await MoreRunsAsync(web, "/c", 3);
        await MoreRunsAsync(web, "/b", 3);
        Assert.Equal([Subject("Problem", "host-a"), Subject("OK", "host-a"), Subject("Problem", "host-b")], Subjects(smtp));
        await StopAsync(picomon);
    }

    [Fact]
    public async Task Reminders_stop_after_an_ack_and_the_OK_still_arrives_in_the_Problem_s_thread()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        using var smtp = await SmtpServer.StartAsync();
        using var picomon = await Daemon.StartAsync(dir, Config(smtp.Port, web.Port, "notify { repeat-interval = 2s }"), checks: 3);
        web.SetDown("/a", true);
        await MailAsync(smtp, Subject("Reminder", "host-a"));

        Assert.Equal((0, "picomon: acknowledged http4/a#1\n", ""), await PicomonAsync(dir, "ack", "http4/a"));
        // A reminder already on its way when the ack came may still arrive: count after some runs, then after more.
        await MoreRunsAsync(web, "/a", 6);
        var reminders = Subjects(smtp).Count(s => s == Subject("Reminder", "host-a"));
        await MoreRunsAsync(web, "/a", 6);
        Assert.Equal(reminders, Subjects(smtp).Count(s => s == Subject("Reminder", "host-a")));

        web.SetDown("/a", false);
        await MailAsync(smtp, Subject("OK", "host-a"));
        Assert.Equal(Message(smtp, Subject("Problem", "host-a")).MessageId, Message(smtp, Subject("OK", "host-a")).InReplyTo);
        await StopAsync(picomon);
    }

    [Fact]
    public async Task A_held_Problem_and_its_silence_survive_kill_9_and_a_reload_and_the_expiry_then_sends_it_once()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        using var smtp = await SmtpServer.StartAsync();
        var config = Config(smtp.Port, web.Port);
        string silence;
        using (var first = await Daemon.StartAsync(dir, config, checks: 3))
        {
            silence = (await PicomonAsync(dir, "silence", "add", "http4/a", "--for", "1h")).Stdout.Trim();
            web.SetDown("/a", true);
            await StatusUntilAsync(dir, @"^held +http4/a ");
            first.Signal(Daemon.SigKill);
            await first.WaitForExitAsync(Deadline);
        }

        using var picomon = await Daemon.StartAsync(dir, config, checks: 3);
        await MoreRunsAsync(web, "/a", 3);
        await StatusUntilAsync(dir, @"^held +http4/a ");
        await ReloadAsync(dir, config + "\n# edited\n");
        await MoreRunsAsync(web, "/a", 3);
        await StatusUntilAsync(dir, @"^held +http4/a ");
        Assert.Empty(smtp.Messages);

        Assert.Equal(0, (await PicomonAsync(dir, "silence", "expire", silence)).ExitCode);
        await MailAsync(smtp, Subject("Problem", "host-a"));
        await MoreRunsAsync(web, "/a", 3);
        Assert.Equal([Subject("Problem", "host-a")], Subjects(smtp));
        await StopAsync(picomon);
    }

    private static async Task ReloadAsync(Workspace dir, string config)
    {
        dir.Write("daemon.conf", config);
        var reload = await PicomonAsync(dir, "reload");
        Assert.Equal(0, reload.ExitCode);
    }

    private static async Task<string> DumpAsync(PicomonProcess picomon)
    {
        await Daemon.SignalUntilDumpAsync(picomon);
        await picomon.WaitForOutputAsync((stdout, _) => stdout.Contains("Check http4/c is OK\n"), Deadline);
        return picomon.Stdout;
    }
}
