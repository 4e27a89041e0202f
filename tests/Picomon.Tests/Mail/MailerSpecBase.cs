using System.Collections.Concurrent;
using System.Net.Security;
using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using Picomon.Actors;
using Picomon.Configuration;
using Picomon.Mail;
using Picomon.Tests.Support;

namespace Picomon.Tests.Mail;

/// <summary>Mailer specs run against the real aiosmtpd server in real time for the SMTP I/O, with the
/// virtual-time TestScheduler driving the retry, keepalive and flush timers.</summary>
public abstract class MailerSpecBase() : Akka.TestKit.Xunit2.TestKit(Hocon)
{
    private const string Hocon = """
        akka.loglevel = DEBUG
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        akka.test.filter-leeway = 20s
        """;

    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    protected static readonly TimeSpan RetryTimeout = TimeSpan.FromSeconds(60);
    protected static readonly TimeSpan KeepaliveTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<string> _logLines = new();
    private int _mailCount;

    protected TestScheduler Clock => (TestScheduler)Sys.Scheduler;

    /// <summary>What the Mailer counted.</summary>
    protected Picomon.Metrics.NotificationCounters Counters { get; } = new();

    /// <summary>Every log line published so far, with its exception if any.</summary>
    protected IReadOnlyCollection<string> LogLines => _logLines;

    protected static EmailSettings SettingsFor(int port, SmtpTls tls = SmtpTls.None, string? user = null, string? password = null) =>
        MailFixtures.Settings(port: port, tls: tls, user: user, password: password, retry: RetryTimeout, keepalive: KeepaliveTimeout);

    protected OutgoingMail Mail(string subject, params string[] to) =>
        new($"<{Interlocked.Increment(ref _mailCount)}.{Guid.NewGuid():N}@test.example>", "Picomon <picomon@test.example>",
            to.Length > 0 ? to : ["ops@example.org"], subject, $"body of {subject}\n", null,
            DateTimeOffset.Now, MailKind.Report, null);

    /// <summary>Starts a Mailer and waits until it runs, so that its timers exist before the clock moves.</summary>
    protected async Task<IActorRef> StartMailer(EmailSettings settings, IOutbox outbox, SmtpServer? pinnedCertificateOf = null)
    {
        Sys.EventStream.Subscribe(Sys.ActorOf(Props.Create(() => new LogCollector(_logLines))), typeof(LogEvent));
        RemoteCertificateValidationCallback? pin = pinnedCertificateOf?.Certificate is { } expected
            ? (_, certificate, _, _) => certificate?.GetCertHashString() == expected.GetCertHashString()
            : null;
        var mailer = Sys.ActorOf(Mailer.Props(settings, outbox, Counters, "email", pin), "mailer");
        await mailer.Ask<ActorIdentity>(new Identify(null), Wait);
        return mailer;
    }

    protected async Task<Mailer.Flushed> FlushAsync(IActorRef mailer, TimeSpan within) =>
        await mailer.Ask<Mailer.Flushed>(new Mailer.Flush(within), Wait);

    protected static IEnumerable<string> Subjects(IEnumerable<ReceivedMail> mails) => mails.Select(m => m.Message.Subject ?? "");

    private sealed class LogCollector : ReceiveActor
    {
        public LogCollector(ConcurrentQueue<string> lines) =>
            Receive<LogEvent>(e => lines.Enqueue($"{e} {e.Cause}"));
    }
}
