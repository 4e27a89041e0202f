using System.Text.RegularExpressions;
using MimeKit;

namespace Picomon.IntegrationTests.Support;

/// <summary>What the alert-quality scenario tests (holds, flapping, dependencies) share: the daemon's configuration
/// around the hosts and checks a scenario sets, the <c>picomon</c> commands run on it, the runs seen at the target
/// and the mails aiosmtpd received, by subject. Every wait is for an event, within <see cref="Deadlines.Event"/>.</summary>
public static class Scenario
{
    private static readonly TimeSpan Deadline = Deadlines.Event;

    /// <summary>The daemon's <c>daemon.conf</c>: a 1 s base tick, state in <c>state/</c>, mail to ops@example.org through
    /// aiosmtpd on <paramref name="smtpPort"/> without TLS (retried after 1 s), and <paramref name="body"/>: the
    /// scenario's hosts, checks and whatever else it sets.</summary>
    /// <param name="defaultRetry">The checks' retry count; null leaves the reference's.</param>
    public static string Config(int smtpPort, string body, int? defaultRetry = 0)
    {
        var retry = defaultRetry is { } count ? $"default-retry = {count}" : "";
        return $$"""
            picomon {
              base-tick = 1s
              state-dir = "state"
              {{retry}}
              default-timeout = 30s
              emails {
                to = ["ops@example.org"]
                addr-from = "picomon@example.org"
                smtp-host = "127.0.0.1:{{smtpPort}}"
                smtp-tls = none
                smtp-retry-timeout = 1s
              }
            {{body}}
            }
            """;
    }

    /// <summary>Runs <c>picomon ARGS -c daemon.conf</c> in <paramref name="dir"/> to completion.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> PicomonAsync(Workspace dir, params string[] args) =>
        PicomonBinary.RunAsync(dir.Directory, Deadline, [.. args, "-c", "daemon.conf"]);

    /// <summary>Polls <c>picomon status</c> until a line of it matches <paramref name="pattern"/>.</summary>
    public static Task StatusUntilAsync(Workspace dir, string pattern) =>
        Poll.UntilAsync(async () => Regex.IsMatch((await PicomonAsync(dir, "status")).Stdout, pattern, RegexOptions.Multiline),
            $"status showing {pattern}", Deadline);

    /// <summary>Waits for <paramref name="runs"/> more requests to <paramref name="path"/>.</summary>
    public static Task MoreRunsAsync(TargetWebServer web, string path, int runs) =>
        web.WaitForHitsAsync(path, web.Count(path) + runs, Deadline);

    /// <summary>The subject of an HTTP check's mail of <paramref name="kind"/> (Problem, OK, …) on
    /// <paramref name="target"/>.</summary>
    public static string Subject(string kind, string target) => $"[DOMAIN] {kind}: CheckHTTP4 on {target}";

    /// <summary>The subjects received so far, in the order they came.</summary>
    public static IReadOnlyList<string> Subjects(SmtpServer smtp) => smtp.Messages.Select(m => m.Message.Subject ?? "").ToList();

    /// <summary>Waits for a mail with <paramref name="subject"/>.</summary>
    public static Task MailAsync(SmtpServer smtp, string subject) =>
        smtp.WaitUntilAsync(s => Subjects(s).Contains(subject), subject, Deadline);

    /// <summary>The one mail received with <paramref name="subject"/>.</summary>
    public static MimeMessage Message(SmtpServer smtp, string subject) => smtp.Messages.Single(m => m.Message.Subject == subject).Message;

    /// <summary>Stops the daemon with SIGTERM and asserts that it exits 0.</summary>
    public static async Task StopAsync(PicomonProcess picomon)
    {
        picomon.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(Deadline));
    }
}
