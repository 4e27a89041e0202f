using System.Text.Json;
using MimeKit;
using Picomon.IntegrationTests.Support;

namespace Picomon.IntegrationTests;

/// <summary>Issue 12's "done when", run by the published binary against real receivers — aiosmtpd, a Kestrel webhook
/// receiver, a real notifier program: three channels, two routes, group-wait = 3s. Twenty checks failing together
/// make one digest per channel; reminders come threaded to it; a webhook down for a while, with a kill -9 in the
/// middle, then receives everything, in order, once; the recovery is one OK digest threaded to the first.</summary>
[Collection(RealTime.Name)]
public sealed class NotificationTests
{
    private const string Secret = "s3cret-token";

    private static string Host(int n) => $"h{n:00}";

    private static string Config(int smtpPort, int hookPort, IReadOnlyList<string> page, int targetPort) => $$"""
        picomon {
          base-tick = 1s, default-retry = 0, default-timeout = 5s
          state-dir = "state"
          emails { to = ["reports@example.org"], smtp-host = "127.0.0.1:{{smtpPort}}", smtp-tls = none, smtp-retry-timeout = 1s }
          hosts { {{string.Join(", ", Enumerable.Range(1, 20).Select(n => $"{Host(n)} {{ ipv4 = \"127.0.0.1\" }}"))}} }
          notify {
            channels {
              ops  { type = mail, to = ["ops@example.org"] }
              hook { type = webhook, url = "http://127.0.0.1:{{hookPort}}/hook/{{Secret}}?token={{Secret}}",
                     headers { Authorization = "Bearer {{Secret}}" } }
              page { type = exec, command = [{{string.Join(", ", page.Select(a => $"\"{a}\""))}}] }
            }
            default-channels = [ops]
            group-by = all
            group-wait = 3s
            group-interval = 3s
            repeat-interval = 4s
            retry-timeout = 1s
          }
          // Run once at start, then only when SIGUSR1 asks: all twenty fail, and recover, together.
          checks = [
            { type = tcp4, hosts = [{{string.Join(", ", Enumerable.Range(1, 10).Select(Host))}}], port = {{targetPort}},
              send = "hi\n", expect = "^ok", every = 3600, channels = [ops, hook] }
            { type = tcp4, hosts = [{{string.Join(", ", Enumerable.Range(11, 10).Select(Host))}}], port = {{targetPort}},
              send = "hi\n", expect = "^ok", every = 3600, channels = [ops, page] }
          ]
        }
        """;

    private static IReadOnlyList<MimeMessage> Alerts(SmtpServer smtp) =>
        smtp.Messages.Select(m => m.Message).Where(m => m.Subject != "[DOMAIN] Picomon stopped").ToList();

    /// <summary>Each mail once (a kill may resend the one in flight: same Message-ID).</summary>
    private static List<MimeMessage> Distinct(IEnumerable<MimeMessage> mails) => mails.DistinctBy(m => m.MessageId).ToList();

    private static string Body(MimeMessage message) => (message.TextBody ?? "").ReplaceLineEndings("\n");

    private static bool AllLinesStartWith(MimeMessage mail, string state) =>
        Body(mail).Split('\n', StringSplitOptions.RemoveEmptyEntries).All(l => l.StartsWith(state + ": ", StringComparison.Ordinal));

    private static JsonElement Json(string body) => JsonDocument.Parse(body).RootElement;

    /// <summary>The kind of every item of a picomon JSON digest, once each.</summary>
    private static string ItemKinds(JsonElement digest) =>
        string.Join(",", digest.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("kind").GetString()).Distinct());

    [Fact]
    public async Task Twenty_checks_failing_together_make_one_digest_per_channel_then_threaded_reminders_and_one_threaded_ok_digest_and_a_webhook_down_across_a_kill_gets_everything_once_in_order()
    {
        using var dir = new Workspace();
        using var smtp = await SmtpServer.StartAsync();
        await using var hook = await WebhookReceiver.StartAsync();
        using var page = new ExecNotifier();
        using var target = new ReplyTarget();
        hook.Answer = WebhookReceiver.Mode.Unavailable;
        var config = Config(smtp.Port, hook.Port, page.Command, target.Port);
        var first = await Daemon.StartAsync(dir, config, checks: 20);
        var second = (PicomonProcess?)null;
        try
        {
            await Daemon.AllRanAsync(dir, 20);
            target.Reply = "down\n";
            first.Signal(Daemon.SigUsr1);

            // One digest per channel: the mail channel has all twenty, the two others their ten.
            var digest = (await smtp.WaitForMessagesAsync(1, Deadlines.Event))[0].Message;
            Assert.Matches(@"^\[DOMAIN\] 20 Problem, 0 OK: tcp4/h\d\d, tcp4/h\d\d, tcp4/h\d\d and 17 more$", digest.Subject);
            Assert.True(AllLinesStartWith(digest, "Problem"), Body(digest));
            Assert.Equal(20, Body(digest).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.Null(digest.InReplyTo);
            var pageDigest = Json((await page.WaitForRunsAsync(1, Deadlines.Event))[0].Stdin);
            Assert.Equal(("digest", "problem", 10), (pageDigest.GetProperty("kind").GetString(), ItemKinds(pageDigest),
                pageDigest.GetProperty("items").GetArrayLength()));
            Assert.Equal(Enumerable.Range(11, 10).Select(n => $"tcp4/{Host(n)}"),
                pageDigest.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("check").GetString()).Order());
            // The webhook is down: the other channels did not wait for it.
            await hook.WaitForRequestsAsync(2, Deadlines.Event);
            Assert.Empty(hook.Accepted);

            // Reminders come every repeat-interval, each one digest threaded to the first.
            await smtp.WaitUntilAsync(s => Distinct(Alerts(s)).Count(m => m.InReplyTo == digest.MessageId) >= 2, "two reminder digests", Deadlines.Event);
            Assert.All(Distinct(Alerts(smtp)).Skip(1), reminder =>
            {
                Assert.True(AllLinesStartWith(reminder, "Reminder"), Body(reminder));
                Assert.Equal(digest.MessageId, reminder.InReplyTo);
                Assert.Equal([digest.MessageId!], reminder.References);
            });

            // kill -9 while the webhook's messages wait in its outbox.
            first.Signal(Daemon.SigKill);
            await first.WaitForExitAsync(Deadlines.Event);
            var beforeRestart = hook.Requests.Count;
            second = PicomonBinary.Start(dir.Directory, "-c", "daemon.conf");
            await second.WaitForOutputAsync((_, err) => err.Contains("Started 20 checks"), Deadlines.Event);
            await hook.WaitForRequestsAsync(beforeRestart + 1, Deadlines.Event);
            hook.Answer = WebhookReceiver.Mode.Ok;
            await hook.WaitForAcceptedAsync(3, Deadlines.Event);

            // The recovery: one OK digest per channel, the mail threaded to the digest that announced the problems.
            await Daemon.AllRanAsync(dir, 20);
            target.Reply = "ok\n";
            second.Signal(Daemon.SigUsr1);
            await smtp.WaitUntilAsync(s => Alerts(s).Any(m => m.Subject!.StartsWith("[DOMAIN] 0 Problem, 20 OK: ")), "the OK digest", Deadlines.Event);
            await Poll.UntilAsync(() => hook.Accepted.Any(r => ItemKinds(Json(r.Body)) == "ok"), "the webhook's OK digest", Deadlines.Event);
            await Poll.UntilAsync(() => page.Delivered.Any(r => ItemKinds(Json(r.Stdin)) == "ok"), "the exec channel's OK digest", Deadlines.Event);
            second.Signal(Daemon.SigTerm);
            Assert.Equal(0, await second.WaitForExitAsync(Deadlines.Event));

            var mails = Distinct(Alerts(smtp));
            var ok = Assert.Single(mails, m => m.Subject!.StartsWith("[DOMAIN] 0 Problem, 20 OK: "));
            Assert.True(AllLinesStartWith(ok, "OK"), Body(ok));
            Assert.Equal(digest.MessageId, ok.InReplyTo);
            Assert.Equal([digest.MessageId!], ok.References);
            Assert.Same(ok, mails[^1]);
            var reminderMails = mails.Count - 2;

            // The webhook got each message once, in the order they were made: the problems, the reminders, the OKs.
            var delivered = hook.Accepted.Select(r => Json(r.Body)).ToList();
            Assert.Equal(delivered.Count, delivered.Select(d => d.GetProperty("messageId").GetString()).Distinct().Count());
            Assert.Equal(["problem", .. Enumerable.Repeat("reminder", reminderMails), "ok"], delivered.Select(ItemKinds));
            Assert.All(delivered, d => Assert.Equal(10, d.GetProperty("items").GetArrayLength()));
            // The exec channel too (a run the kill interrupted may have run again: same messageId).
            Assert.Equal(["problem", .. Enumerable.Repeat("reminder", reminderMails), "ok"],
                page.Delivered.Select(r => Json(r.Stdin)).DistinctBy(d => d.GetProperty("messageId").GetString()).Select(ItemKinds));

            // Failures were logged, never the URL's path or query, nor the header.
            var stderr = first.Stderr + second.Stderr;
            Assert.Contains($"cannot deliver via hook (http://127.0.0.1:{hook.Port}/…): HTTP 503 Service Unavailable", stderr);
            Assert.DoesNotContain(Secret, stderr);
            Assert.Equal($"Bearer {Secret}", hook.Accepted[0].Headers["Authorization"]);
        }
        finally
        {
            first.Dispose();
            second?.Dispose();
        }
    }

    [Fact]
    public async Task Secrets_of_webhook_urls_and_headers_never_reach_stderr_nor_the_summary_whatever_the_failure()
    {
        using var dir = new Workspace();
        await using var refusing = await WebhookReceiver.StartAsync();
        await using var hanging = await WebhookReceiver.StartAsync();
        refusing.Answer = WebhookReceiver.Mode.BadRequest;
        hanging.Answer = WebhookReceiver.Mode.Hang;
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var closedPort = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        string Hook(int port, string more = "") =>
            $$"""{ type = webhook, url = "http://user:{{Secret}}@127.0.0.1:{{port}}/{{Secret}}?key={{Secret}}", headers { X-Token = "{{Secret}}" }{{more}} }""";
        var config = $$"""
            picomon {
              base-tick = 1s, default-retry = 0
              state-dir = "state"
              notify {
                channels { refused = {{Hook(closedPort)}}, bad = {{Hook(refusing.Port)}}, slow = {{Hook(hanging.Port, ", timeout = 1s")}} }
                default-channels = [refused, bad, slow]
                retry-timeout = 1s
              }
              checks = [ { type = tcp4, hosts = ["127.0.0.1"], port = {{closedPort}} } ]
            }
            """;
        using var picomon = await Daemon.StartAsync(dir, config, checks: 1);

        await picomon.WaitForOutputAsync((_, err) => err.Contains("Connection refused; ") && err.Contains("HTTP 400 Bad Request")
            && err.Contains("no answer within 1s"), Deadlines.Event);
        picomon.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(Deadlines.Event));
        var (exit, summary, _) = await PicomonBinary.RunAsync(dir.Directory, Deadlines.Event, "-t", "-c", "daemon.conf");

        Assert.Equal(0, exit);
        Assert.Contains($"channel slow: webhook POST http://127.0.0.1:{hanging.Port}/… (picomon)", summary);
        Assert.DoesNotContain(Secret, picomon.Stderr + picomon.Stdout + summary);
        Assert.Equal($"Basic {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"user:{Secret}"))}", refusing.Requests[0].Headers["Authorization"]);
    }
}
