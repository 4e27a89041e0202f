using MimeKit;
using Picomon.IntegrationTests.Support;

namespace Picomon.IntegrationTests;

/// <summary>The durable state (README "Behaviour worth knowing", Durable state) across restarts of the published binary, with a real SMTP server (aiosmtpd): a check in
/// error stays in error without a second Problem mail, its OK mail threads to the Problem mail sent before
/// the restart, and a mail queued behind a stopped SMTP server is delivered once. The check is an exec
/// whose result a flag file decides, so the test flips it up and down; its timeout is one that starting a
/// process on a busy machine never comes near.</summary>
[Collection(RealTime.Name)]
public sealed class RestartTests : IDisposable
{
    private static readonly TimeSpan Deadline = Deadlines.Event;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("picomon-restart-");

    private string Conf => Path.Combine(_dir.FullName, "picomon.conf");
    private string Flag => Path.Combine(_dir.FullName, "up");

    private void Write(int smtpPort) => File.WriteAllText(Conf, $$"""
        picomon {
          base-tick = 500ms, default-retry = 0, default-timeout = 30s
          state-dir = "{{Path.Combine(_dir.FullName, "state")}}"
          emails { to = ["ops@example.org"], smtp-host = "127.0.0.1:{{smtpPort}}", smtp-tls = none, smtp-retry-timeout = 500ms }
          checks = [ { type = exec, name = "flip", target-name = "the flag", command = ["/bin/sh", "-c", "test -f {{Flag}}"] } ]
        }
        """);

    private PicomonProcess Start() => PicomonBinary.Start(_dir.FullName, "-c", Conf, "-D");

    // A kill between the server's acceptance and picomon marking the mail sent would resend it (the
    // documented bound); these tests kill at the points the issue names, after picomon recorded the send.
    private static Task MailSentAsync(PicomonProcess picomon, string subject) =>
        picomon.WaitForOutputAsync((_, err) => err.Contains("mail sent: " + subject), Deadline);

    private static IReadOnlyList<MimeMessage> Alerts(SmtpServer smtp) =>
        smtp.Messages.Select(m => m.Message).Where(m => m.Subject?.Contains("Picomon stopped") == false).ToList();

    private static async Task WaitForAlertsAsync(SmtpServer smtp, int count) =>
        await smtp.WaitUntilAsync(s => Alerts(s).Count >= count, $"{count} alert mail(s)", Deadline);

    /// <summary>The check recovers; the OK mail must be the only other alert, threaded to the Problem mail.</summary>
    private async Task RecoverAndStopAsync(SmtpServer smtp, PicomonProcess picomon)
    {
        File.WriteAllText(Flag, "");
        await WaitForAlertsAsync(smtp, 2);
        picomon.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(Deadline));
        AssertProblemThenThreadedOk(Alerts(smtp));
    }

    private static void AssertProblemThenThreadedOk(IReadOnlyList<MimeMessage> alerts)
    {
        Assert.Equal(2, alerts.Count);
        Assert.Equal("[DOMAIN] Problem: CheckExec on the flag", alerts[0].Subject);
        Assert.Equal("[DOMAIN] OK: CheckExec on the flag", alerts[1].Subject);
        Assert.Equal(alerts[0].MessageId, alerts[1].InReplyTo);
        Assert.Equal(alerts[0].MessageId, Assert.Single(alerts[1].References));
        Assert.Equal(["flip#1", "flip#1"], alerts.Select(m => m.Headers["X-Picomon-Incident"]));
    }

    [Fact]
    public async Task Killed_while_in_error_it_resumes_in_error_and_its_ok_mail_threads_to_the_first_problem()
    {
        using var smtp = await SmtpServer.StartAsync();
        Write(smtp.Port);
        using (var first = Start())
        {
            await MailSentAsync(first, "[DOMAIN] Problem");
            first.Signal(Daemon.SigKill);
            await first.WaitForExitAsync(Deadline);
        }

        using var second = Start();
        await second.WaitForOutputAsync((_, err) => err.Contains("(1 in error)"), Deadline);
        // Let it fail a few more times after the restart: still no second Problem mail.
        await second.WaitForOutputAsync((_, err) => err.Split("Started 1 checks")[^1].Contains("flip: failed (Error"), Deadline);
        await RecoverAndStopAsync(smtp, second);
    }

    [Fact]
    public async Task A_mail_queued_behind_a_stopped_smtp_server_is_delivered_once_after_a_kill_and_restart()
    {
        using var smtp = await SmtpServer.StartAsync();
        await smtp.StopAsync();
        Write(smtp.Port);
        using (var first = Start())
        {
            await first.WaitForOutputAsync((_, err) => err.Contains("cannot send mail via"), Deadline);
            first.Signal(Daemon.SigKill);
            await first.WaitForExitAsync(Deadline);
        }

        await smtp.StartAgainAsync();
        using var second = Start();
        await WaitForAlertsAsync(smtp, 1);
        await RecoverAndStopAsync(smtp, second);
    }

    [Fact]
    public async Task A_graceful_stop_and_start_keeps_the_error_and_threads_the_ok_mail()
    {
        using var smtp = await SmtpServer.StartAsync();
        Write(smtp.Port);
        using (var first = Start())
        {
            await MailSentAsync(first, "[DOMAIN] Problem");
            first.Signal(Daemon.SigTerm);
            Assert.Equal(0, await first.WaitForExitAsync(Deadline));
        }
        await smtp.WaitUntilAsync(s => s.Messages.Any(m => m.Message.Subject == "[DOMAIN] Picomon stopped"), "the stopped mail", Deadline);

        using var second = Start();
        await second.WaitForOutputAsync((_, err) => err.Contains("(1 in error)"), Deadline);
        await RecoverAndStopAsync(smtp, second);
    }

    [Fact]
    public async Task An_unusable_state_dir_stops_picomon_at_start_with_exit_2_naming_it()
    {
        var blocker = Path.Combine(_dir.FullName, "not-a-dir");
        File.WriteAllText(blocker, "");
        File.WriteAllText(Conf, $"picomon.state-dir = \"{blocker}/state\"\n");

        var (exit, _, stderr) = await PicomonBinary.RunAsync(_dir.FullName, Deadline, "-c", Conf);

        Assert.Equal(2, exit);
        Assert.Contains($"picomon: ", stderr);
        Assert.Contains(blocker, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task A_corrupt_state_database_stops_picomon_at_start_with_exit_2_naming_it()
    {
        var state = Directory.CreateDirectory(Path.Combine(_dir.FullName, "state"));
        File.WriteAllBytes(Path.Combine(state.FullName, "picomon.db"), Enumerable.Range(0, 8192).Select(i => (byte)(i * 7)).ToArray());
        File.WriteAllText(Conf, $"picomon.state-dir = \"{state.FullName}\"\n");

        var (exit, _, stderr) = await PicomonBinary.RunAsync(_dir.FullName, Deadline, "-c", Conf);

        Assert.Equal(2, exit);
        Assert.Contains(Path.Combine(state.FullName, "picomon.db"), stderr);
    }

    public void Dispose() => _dir.Delete(true);
}
