using Picomon.IntegrationTests.Support;
using static Picomon.IntegrationTests.Support.Scenario;

namespace Picomon.IntegrationTests;

/// <summary>Flapping end to end (issue 14, scenario 3): the published daemon, a Kestrel target whose path answers 503
/// and 200 in turn at each request, and aiosmtpd receiving the mails. The check uses <c>flap-window = 10</c> and
/// <c>ok-after = 2</c> (with 1, its first OK would go out before the third change makes it flap). "No more mail" is
/// asserted after more runs were seen at the target.</summary>
[Collection(RealTime.Name)]
public class FlappingScenarioTests
{
    private static readonly TimeSpan Deadline = Deadlines.Event;

    private static string Config(int smtpPort, int webPort) => Scenario.Config(smtpPort, $$"""
          hosts { a { ipv4 = "127.0.0.1", name = "host-a" } }
          checks = [
            { type = http4, hosts = [a], name = "http4/a", port = {{webPort}}, url = "/a", flap-window = 10, ok-after = 2 }
          ]
        """);

    private static string Subject(string kind) => Scenario.Subject(kind, "host-a");

    private static Task MoreRunsAsync(TargetWebServer web, int runs) => Scenario.MoreRunsAsync(web, "/a", runs);

    /// <summary>The Flapping mail and the OK answer the Problem, in its thread.</summary>
    private static void AssertThreaded(SmtpServer smtp)
    {
        var problem = Message(smtp, Subject("Problem"));
        foreach (var kind in new[] { "Flapping", "OK" }) Assert.Equal(problem.MessageId, Message(smtp, Subject(kind)).InReplyTo);
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
        await StopAsync(picomon);
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
            first.Signal(Daemon.SigKill);
            await first.WaitForExitAsync(Deadline);
        }
        Assert.Equal([Subject("Problem"), Subject("Flapping")], Subjects(smtp));

        using var picomon = await Daemon.StartAsync(dir, config, checks: 1);
        await MailAsync(smtp, Subject("OK"));
        await MoreRunsAsync(web, 3);
        Assert.Equal([Subject("Problem"), Subject("Flapping"), Subject("OK")], Subjects(smtp));
        AssertThreaded(smtp);
        await StopAsync(picomon);
    }
}
