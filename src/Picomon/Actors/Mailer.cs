using System.Net.Security;
using Akka.Actor;
using Akka.Event;
using Picomon.Configuration;
using Picomon.Mail;
using Picomon.Metrics;
using Picomon.Notifications;

namespace Picomon.Actors;

/// <summary>The only code that speaks SMTP: one per mail channel. Sends what its outbox holds (mails leave in
/// order, one send at a time, off the actor thread; the notifier adds alert mails through the state store), the one
/// kept-alive connection (closed after <c>smtp-keepalive-timeout</c> idle), the retry timer after a failure (a mail is
/// never dropped: it stays first in line and is retried every <c>smtp-retry-timeout</c>), and the dead-letter list for
/// mails refused with a 5xx. It counts what it sent and what failed in its channel's <see cref="NotificationCounters"/>.</summary>
public sealed class Mailer : ReceiveActor, IWithTimers
{
    /// <summary>Queues a mail (a report, the stop mail) at the end of the outbox and sends it in its turn.</summary>
    public sealed record Send(OutgoingMail Mail) : INoSerializationVerificationNeeded;

    /// <summary>Mails were put in the outbox by the aggregator (through the store, with the check state they
    /// come from): send them in their turn.</summary>
    public sealed class Deliver
    {
        public static readonly Deliver Instance = new();
        private Deliver() { }
    }

    /// <summary>Delivers what is queued within <paramref name="Within"/>; answered with <see cref="Flushed"/>.</summary>
    public sealed record Flush(TimeSpan Within) : INoSerializationVerificationNeeded;

    public sealed record Flushed(int Unsent) : INoSerializationVerificationNeeded;

    /// <summary>New mail settings (a reload); they apply from the next mail sent.</summary>
    public sealed record UpdateSettings(EmailSettings Settings) : INoSerializationVerificationNeeded;

    private sealed record Delivered(OutgoingMail Mail, bool Connected) : INoSerializationVerificationNeeded;
    private sealed record NotDelivered(OutgoingMail Mail, Exception Error) : INoSerializationVerificationNeeded;
    private sealed record FlushDeadline(int Id) : INoSerializationVerificationNeeded;
    private sealed class RetryDue : INoSerializationVerificationNeeded { public static readonly RetryDue Instance = new(); }
    private sealed class IdleTimeout : INoSerializationVerificationNeeded { public static readonly IdleTimeout Instance = new(); }
    private sealed class Closed : INoSerializationVerificationNeeded { public static readonly Closed Instance = new(); }

    private const string RetryTimer = "smtp-retry";
    private const string KeepaliveTimer = "smtp-keepalive";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IOutbox _outbox;
    private readonly NotificationCounters _counters;
    private readonly string _channel;
    private readonly SmtpTransport _transport;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<int, IActorRef> _flushers = [];
    private EmailSettings _settings;
    private bool _busy, _waitingForRetry;
    private int _nextFlushId;

    public Mailer(EmailSettings settings, IOutbox outbox, NotificationCounters counters, string channel,
        RemoteCertificateValidationCallback? certificateValidation)
    {
        _settings = settings;
        _outbox = outbox;
        (_counters, _channel) = (counters, channel);
        counters.Track(channel, () => outbox.Count);
        _transport = new SmtpTransport(certificateValidation);

        Receive<Send>(m =>
        {
            _outbox.Enqueue(m.Mail);
            Pump();
        });
        Receive<Deliver>(_ => Pump());
        Receive<UpdateSettings>(m => _settings = m.Settings);
        Receive<Flush>(OnFlush);
        Receive<FlushDeadline>(m => { if (_flushers.Remove(m.Id, out var who)) who.Tell(new Flushed(_outbox.Count)); });
        Receive<Delivered>(OnDelivered);
        Receive<NotDelivered>(OnNotDelivered);
        Receive<RetryDue>(_ => { _waitingForRetry = false; Pump(); });
        Receive<IdleTimeout>(_ => OnIdle());
        Receive<Closed>(_ => { _busy = false; Pump(); });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The mailer of the <c>email</c> channel: reports, the stopped mail, the implicit channel's alerts.</summary>
    public static Props Props(EmailSettings settings, IOutbox outbox, NotificationCounters counters) =>
        Props(settings, outbox, counters, NotifySettings.ImplicitChannel);

    public static Props Props(EmailSettings settings, IOutbox outbox, NotificationCounters counters, string channel) =>
        Props(settings, outbox, counters, channel, null);

    /// <summary>Tests pass a certificate check for their self-signed server; production validates normally.</summary>
    internal static Props Props(EmailSettings settings, IOutbox outbox, NotificationCounters counters, string channel,
        RemoteCertificateValidationCallback? certificateValidation) =>
        Akka.Actor.Props.Create(() => new Mailer(settings, outbox, counters, channel, certificateValidation));

    /// <summary>What <c>notifications_total</c> calls a mail of <paramref name="kind"/>.</summary>
    public static string KindLabel(MailKind kind) => kind == MailKind.Recovery ? "ok" : kind.ToString().ToLowerInvariant();

    protected override void PreStart()
    {
        if (_settings.To.Count > 0) Task.Run(() => WarmUp(_settings));
        Pump();
    }

    /// <summary>The first alert would otherwise wait for the JIT to compile MimeKit's building and writing of a
    /// message: done once at start, off the actor, on a throwaway mail written to nowhere.</summary>
    private static void WarmUp(EmailSettings settings)
    {
        try
        {
            var mail = new OutgoingMail("<warm-up@localhost>", settings.AddrFrom, settings.To, "warm-up", "warm-up\n", null,
                DateTimeOffset.UnixEpoch, MailKind.Stopped, null);
            mail.ToMimeMessage().WriteTo(MimeKit.FormatOptions.Default, Stream.Null);
        }
        catch (MimeKit.ParseException)
        {
            // An invalid address: the real send says so, with the mail it concerns.
        }
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _transport.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Starts sending the first mail in line, unless a send or a close is under way or a retry is due later.</summary>
    private void Pump()
    {
        if (_busy || _waitingForRetry) return;
        while (_outbox.Peek() is { To.Count: 0 } unaddressed)
        {
            _log.Warning("emails.to is empty, alert not mailed: {0}\n{1}", unaddressed.Subject, unaddressed.Body);
            _outbox.MarkSent(unaddressed);
        }
        if (_outbox.Peek() is not { } mail)
        {
            AnswerFlushers();
            if (_transport.IsConnected) Timers.StartSingleTimer(KeepaliveTimer, IdleTimeout.Instance, _settings.SmtpKeepaliveTimeout);
            return;
        }
        Timers.Cancel(KeepaliveTimer);
        _busy = true;
        _transport.SendAsync(mail, _settings, _stopping.Token)
            .PipeTo(Self, success: connected => new Delivered(mail, connected), failure: e => new NotDelivered(mail, e));
    }

    private void OnDelivered(Delivered m)
    {
        _busy = false;
        if (m.Connected) _log.Debug("connected to SMTP server {0}:{1}", _settings.SmtpHost, _settings.SmtpPort);
        _outbox.MarkSent(m.Mail);
        _counters.Sent(_channel, KindLabel(m.Mail.Kind));
        if (_channel == NotifySettings.ImplicitChannel) _log.Info("mail sent: {0}", m.Mail.Subject);
        else _log.Info("mail sent via {0}: {1}", _channel, m.Mail.Subject);
        Pump();
    }

    private void OnNotDelivered(NotDelivered m)
    {
        _busy = false;
        _counters.Failed(_channel);
        var reason = SmtpTransport.Describe(m.Error);
        if (SmtpTransport.IsPermanent(m.Error))
        {
            _log.Error("mail refused, kept in the dead-letter list: {0}: {1}", m.Mail.Subject, reason);
            _outbox.DeadLetter(m.Mail, reason);
            Pump();
            return;
        }
        _waitingForRetry = true;
        Timers.StartSingleTimer(RetryTimer, RetryDue.Instance, _settings.SmtpRetryTimeout);
        _log.Warning("cannot send mail via {0}:{1}: {2}; {3} mail(s) queued, retrying in {4}",
            _settings.SmtpHost, _settings.SmtpPort, reason, _outbox.Count, _settings.SmtpRetryTimeout);
    }

    private void OnFlush(Flush m)
    {
        if (_outbox.Count == 0)
        {
            Sender.Tell(new Flushed(0));
            return;
        }
        var id = _nextFlushId++;
        _flushers[id] = Sender;
        Timers.StartSingleTimer($"flush-{id}", new FlushDeadline(id), m.Within);
        // Shutting down: try now rather than at the next retry.
        if (_waitingForRetry)
        {
            Timers.Cancel(RetryTimer);
            _waitingForRetry = false;
        }
        Pump();
    }

    private void AnswerFlushers()
    {
        foreach (var (id, who) in _flushers)
        {
            Timers.Cancel($"flush-{id}");
            who.Tell(new Flushed(0));
        }
        _flushers.Clear();
    }

    private void OnIdle()
    {
        if (_busy || !_transport.IsConnected) return;
        _log.Debug("closing idle SMTP connection to {0}:{1}", _settings.SmtpHost, _settings.SmtpPort);
        _busy = true;
        _transport.CloseAsync(quit: true).PipeTo(Self, success: () => Closed.Instance);
    }
}
