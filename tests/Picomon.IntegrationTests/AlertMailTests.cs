using System.Text.RegularExpressions;
using Picomon.IntegrationTests.Support;

namespace Picomon.IntegrationTests;

/// <summary>Alert mails end to end: the daemon, a Kestrel target whose health the test toggles, and a real
/// SMTP server (aiosmtpd) receiving the Problem, report, OK and stopped mails. The health check's timeout is
/// one that no answer comes near, so that a busy machine cannot turn a 200 or a 503 into a timeout.</summary>
[Collection(RealTime.Name)]
public class AlertMailTests
{
    private const string ProblemSubject = "[DOMAIN] Problem: CheckHTTP4 on web-name";
    private const string OkSubject = "[DOMAIN] OK: CheckHTTP4 on web-name";
    private const string ReportSubject = "[DOMAIN] Picomon error report";
    private const string StoppedSubject = "[DOMAIN] Picomon stopped";

    private static string Config(int smtpPort, int webPort, int retry, string reportEvery, string extraChecks = "") => $$"""
        picomon {
          base-tick = 1s
          default-timeout = 30s
          emails {
            to = ["ops@example.org", "oncall@example.org"]
            addr-from = "Picomon <picomon@example.org>"
            smtp-host = "127.0.0.1:{{smtpPort}}"
            smtp-tls = none
            smtp-retry-timeout = 1s
            smtp-keepalive-timeout = 2s
            report.every = {{reportEvery}}
          }
          hosts { web { ipv4 = "127.0.0.1", name = "web-name" } }
          checks = [
            { type = http4, hosts = [web], port = {{webPort}}, url = "/health", retry = {{retry}} }
            {{extraChecks}}
          ]
        }
        """;

    [Fact]
    public async Task A_check_going_down_and_up_mails_one_Problem_reports_and_one_threaded_OK_then_the_stopped_mail()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        using var smtp = await SmtpServer.StartAsync();
        // 'rarely' runs once at startup and then only when SIGUSR1 asks for a run of every check.
        using var picomon = await Daemon.StartAsync(dir, Config(smtp.Port, web.Port, retry: 1, reportEvery: "3s",
            $$"""{ type = http4, hosts = [web], name = rarely, port = {{web.Port}}, url = "/rarely", every = 600 }"""), checks: 2);

        // Up for longer than report.every: no mail at all.
        await web.WaitForHitsAsync("/health", 5, Deadlines.Event);
        Assert.Empty(smtp.Messages);

        web.Healthy = false;
        var problem = (await smtp.WaitForMessagesAsync(1, Deadlines.Event))[0].Message;
        Assert.Equal(ProblemSubject, problem.Subject);
        Assert.True(web.Hits("/health").Count(h => h.Status == 503) >= 2, "Problem mailed before retry + 1 = 2 failures");
        Assert.Equal(["ops@example.org", "oncall@example.org"], problem.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("picomon@example.org", problem.From.Mailboxes.Single().Address);
        Assert.Equal("Check http4/web (CheckHTTP4 on web-name):\nfailure:\nHTTP 503 Service Unavailable (expected 2xx/3xx)\n",
            Body(problem));

        // Down for longer than report.every: a report lists it.
        await smtp.WaitUntilAsync(s => s.Messages.Any(m => m.Message.Subject == ReportSubject), "a report", Deadlines.Event);
        var report = Body(smtp.Messages.First(m => m.Message.Subject == ReportSubject).Message);
        Assert.StartsWith("Following entries have failed for more than 3s:\n\n    Checks in error:\n", report);
        Assert.Contains("web-name: http4/web\nSince ", report);

        var rarely = web.Count("/rarely");
        await Daemon.SignalUntilDumpAsync(picomon);
        await picomon.WaitForOutputAsync((stdout, _) => stdout.Contains("Check rarely is OK\n"), Deadlines.Event);
        await web.WaitForHitsAsync("/rarely", rarely + 1, Deadlines.Event);
        var dump = picomon.Stdout;
        Assert.StartsWith(Daemon.DumpHeader + "\n\n    Checks in error:\n-+-+", dump);
        Assert.Matches(@"\nweb-name: http4/web\nSince \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d\n\tHTTP 503 Service Unavailable \(expected 2xx/3xx\)\n", dump);
        Assert.Contains("\n    Other checks (usually OK but may be in retry mode):\nCheck rarely is OK\n", dump);

        web.Healthy = true;
        await smtp.WaitUntilAsync(s => s.Messages.Any(m => m.Message.Subject == OkSubject), "the OK mail", Deadlines.Event);
        var ok = smtp.Messages.Single(m => m.Message.Subject == OkSubject).Message;
        Assert.Equal(problem.MessageId, ok.InReplyTo);
        Assert.Equal(problem.MessageId, Assert.Single(ok.References));
        Assert.Equal(["http4/web#1", "http4/web#1"], new[] { problem, ok }.Select(m => m.Headers["X-Picomon-Incident"]));
        // How long the error lasted depends on how busy the machine is: the format is the point, not the size.
        Assert.Matches(@"^Check http4/web \(CheckHTTP4 on web-name\):\nrecovered after \d+:\d\d:\d\d \(\d+ retr(y|ies)\)\.\n$", Body(ok));

        // Nothing in error for longer than report.every: no report of a state read after the recovery. A report whose
        // state was read before it may still be on its way to the mailer (a stalled machine can hold more than one), and
        // it lists the check; how many there are depends on timing, so it is not counted. ReporterSpecs proves the
        // rule itself on virtual time.
        await web.WaitForHitsAsync("/health", web.Count("/health") + 8, Deadlines.Event);
        var afterOk = smtp.Messages.SkipWhile(m => m.Message.Subject != OkSubject).Skip(1).ToList();
        Assert.All(afterOk, m => Assert.Contains("web-name: http4/web\nSince ", Body(m.Message)));

        picomon.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(Deadlines.Event));
        await smtp.WaitUntilAsync(s => s.Messages.Any(m => m.Message.Subject == StoppedSubject), "the stopped mail", Deadlines.Event);
        var stopped = smtp.Messages[^1].Message;
        Assert.Equal(StoppedSubject, stopped.Subject);
        Assert.Equal("Picomon exited with status 0\n", Body(stopped));
        Assert.Single(smtp.Messages, m => m.Message.Subject == ProblemSubject);
        Assert.Single(smtp.Messages, m => m.Message.Subject == OkSubject);
    }

    [Fact]
    public async Task Mail_produced_while_the_SMTP_server_is_down_is_delivered_once_in_order_when_it_returns()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        using var smtp = await SmtpServer.StartAsync();
        await smtp.StopAsync();
        web.Healthy = false;
        // No report: however long the check stays down on a busy machine, only its Problem and OK mails are queued.
        using var picomon = await Daemon.StartAsync(dir, Config(smtp.Port, web.Port, retry: 0, reportEvery: "0s"), checks: 1);

        await picomon.WaitForOutputAsync((_, stderr) => stderr.Contains($"cannot send mail via 127.0.0.1:{smtp.Port}"), Deadlines.Event);
        web.Healthy = true;
        await picomon.WaitForOutputAsync((_, stderr) => stderr.Contains("http4/web: recovered after"), Deadlines.Event);
        var failures = Regex.Count(picomon.Stderr, "cannot send mail via");
        await picomon.WaitForOutputAsync((_, stderr) => Regex.Count(stderr, "cannot send mail via") > failures, Deadlines.Event);
        Assert.Empty(smtp.Messages);

        await smtp.StartAgainAsync();
        var delivered = await smtp.WaitForMessagesAsync(2, Deadlines.Event);
        Assert.Equal([ProblemSubject, OkSubject], delivered.Select(m => m.Message.Subject));
        Assert.Equal(delivered[0].Message.MessageId, delivered[1].Message.InReplyTo);

        picomon.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(Deadlines.Event));
        await smtp.WaitForMessagesAsync(3, Deadlines.Event);
        Assert.Equal([ProblemSubject, OkSubject, StoppedSubject], smtp.Messages.Select(m => m.Message.Subject));
    }

    private static string Body(MimeKit.MimeMessage message) => (message.TextBody ?? "").ReplaceLineEndings("\n");
}
