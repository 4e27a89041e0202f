using System.Text.RegularExpressions;
using Picomon.IntegrationTests.Support;

namespace Picomon.IntegrationTests;

/// <summary>Flapping end to end (issue 14, scenario 3): the published daemon, a Kestrel target whose path answers 503
/// and 200 in turn at each request, and aiosmtpd receiving the mails. The check uses <c>flap-window = 10</c> and
/// <c>ok-after = 2</c> (with 1, its first OK would go out before the third change makes it flap). "No more mail" is
/// asserted after more runs were seen at the target.</summary>
[Collection(RealTime.Name)]
public class FlappingScenarioTests
{
    private static readonly TimeSpan Deadline = Deadlines.Event;
    private const int SigKill = 9;

    private static string Config(int smtpPort, int webPort) => $$"""
        picomon {
          base-tick = 1s
          state-dir = "state"
          default-retry = 0
          default-timeout = 30s
          emails {
            to = ["ops@example.org"]
            addr-from = "picomon@example.org"
            smtp-host = "127.0.0.1:{{smtpPort}}"
            smtp-tls = none
            smtp-retry-timeout = 1s
          }
          hosts { a { ipv4 = "127.0.0.1", name = "host-a" } }
          checks = [
            { type = http4, hosts = [a], name = "http4/a", port = {{webPort}}, url = "/a", flap-window = 10, ok-after = 2 }
          ]
        }
        """;

    private static string Subject(string kind) => $"[DOMAIN] {kind}: CheckHTTP4 on host-a";

    private static IReadOnlyList<string> Subjects(SmtpServer smtp) => smtp.Messages.Select(m => m.Message.Subject ?? "").ToList();

    private static Task MailAsync(SmtpServer smtp, string subject) =>
        smtp.WaitUntilAsync(s => Subjects(s).Contains(subject), subject, Deadline);

    private static Task MoreRunsAsync(TargetWebServer web, int runs) => web.WaitForHitsAsync("/a", web.Count("/a") + runs, Deadline);

    private static Task StatusUntilAsync(Workspace dir, string pattern) =>
        Poll.UntilAsync(async () => Regex.IsMatch((await PicomonBinary.RunAsync(dir.Directory, Deadline, ["status", "-c", "daemon.conf"])).Stdout,
            pattern, RegexOptions.Multiline), $"status showing {pattern}", Deadline);

    /// <summary>The Flapping mail and the OK answer the Problem, in its thread.</summary>
    private static void AssertThreaded(SmtpServer smtp)
    {
        var problem = smtp.Messages.Single(m => m.Message.Subject == Subject("Problem")).Message;
        foreach (var kind in new[] { "Flapping", "OK" })
            Assert.Equal(problem.MessageId, smtp.Messages.Single(m => m.Message.Subject == Subject(kind)).Message.InReplyTo);
    }

    [Fact]
    public async Task A_service_toggling_on_every_run_sends_one_Problem_and_one_Flapping_mail_then_nothing_until_it_settles_in_OK()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        using var smtp = await SmtpServer.StartAsync();
        using var picomon = await Daemon.StartAsync(dir, Config(smtp.Port, web.Port), checks: 1);
        web.SetToggling("/a", true);
        await MailAsync(smtp, Subject("Flapping"));
        await StatusUntilAsync(dir, @"^flapping +http4/a +host-a .*\[flapping\]");
        await MoreRunsAsync(web, 12);
        Assert.Equal([Subject("Problem"), Subject("Flapping")], Subjects(smtp));

        web.SetToggling("/a", false);
        await MailAsync(smtp, Subject("OK"));
        await MoreRunsAsync(web, 3);
        Assert.Equal([Subject("Problem"), Subject("Flapping"), Subject("OK")], Subjects(smtp));
        AssertThreaded(smtp);
        Assert.Contains("notifications are held until it settles", smtp.Messages[1].Message.TextBody);
        picomon.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(Deadline));
    }

    [Fact]
    public async Task A_flapping_check_killed_with_9_while_it_settles_gets_its_one_OK_in_the_thread_after_the_restart()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        using var smtp = await SmtpServer.StartAsync();
        var config = Config(smtp.Port, web.Port);
        using (var first = await Daemon.StartAsync(dir, config, checks: 1))
        {
            web.SetToggling("/a", true);
            await MailAsync(smtp, Subject("Flapping"));
            web.SetToggling("/a", false); // settles: two successes recover it while it still flaps, its OK owed
            await MoreRunsAsync(web, 3);
            first.Signal(SigKill);
            await first.WaitForExitAsync(Deadline);
        }
        Assert.Equal([Subject("Problem"), Subject("Flapping")], Subjects(smtp));

        using var picomon = await Daemon.StartAsync(dir, config, checks: 1);
        await MailAsync(smtp, Subject("OK"));
        await MoreRunsAsync(web, 3);
        Assert.Equal([Subject("Problem"), Subject("Flapping"), Subject("OK")], Subjects(smtp));
        AssertThreaded(smtp);
        picomon.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(Deadline));
    }
}
