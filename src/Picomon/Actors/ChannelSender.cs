using Akka.Actor;
using Akka.Event;
using Picomon.Metrics;
using Picomon.Notifications;

namespace Picomon.Actors;

/// <summary>Sends one webhook or exec channel's outbox: in order, one message at a time, off the actor
/// thread. A message its receiver does not take now stays first in line and is tried again every
/// <c>notify.retry-timeout</c>, forever, with a WARNING each time; one refused for good (a 4xx) is logged at ERROR
/// and set aside in the dead-letter list. A channel that is down holds up only its own line. The notifier puts
/// messages in the outbox (through the store) and tells <see cref="Deliver"/>.</summary>
public sealed class ChannelSender : ReceiveActor, IWithTimers
{
    /// <summary>Messages were put in the outbox: send them in their turn.</summary>
    public sealed class Deliver
    {
        public static readonly Deliver Instance = new();
        private Deliver() { }
    }

    /// <summary>New settings (a reload): <paramref name="Transport"/> replaces the current one from the next message.</summary>
    public sealed record Reconfigure(IDeliveryTransport Transport, TimeSpan RetryTimeout);

    /// <summary>Delivers what is queued within <paramref name="Within"/>; answered with <see cref="Flushed"/>.</summary>
    public sealed record Flush(TimeSpan Within);

    public sealed record Flushed(int Unsent);

    private sealed record Attempted(Delivery Delivery, DeliveryOutcome Outcome);
    private sealed record FlushDeadline(int Id);
    private sealed class RetryDue { public static readonly RetryDue Instance = new(); }

    private const string RetryTimer = "retry";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _channel;
    private readonly IDeliveryOutbox _outbox;
    private readonly NotificationCounters _counters;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<int, IActorRef> _flushers = [];
    private IDeliveryTransport _transport;
    private IDeliveryTransport? _retired;
    private TimeSpan _retryTimeout;
    private bool _busy, _waitingForRetry;
    private int _nextFlushId;

    public ChannelSender(string channel, IDeliveryOutbox outbox, IDeliveryTransport transport, TimeSpan retryTimeout, NotificationCounters counters)
    {
        (_channel, _outbox, _transport, _retryTimeout, _counters) = (channel, outbox, transport, retryTimeout, counters);
        counters.Track(channel, () => outbox.Count);
        Receive<Deliver>(_ => Pump());
        Receive<Attempted>(OnAttempted);
        Receive<RetryDue>(_ => { _waitingForRetry = false; Pump(); });
        Receive<Reconfigure>(OnReconfigure);
        Receive<Flush>(OnFlush);
        Receive<FlushDeadline>(m => { if (_flushers.Remove(m.Id, out var who)) who.Tell(new Flushed(_outbox.Count)); });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string channel, IDeliveryOutbox outbox, IDeliveryTransport transport, TimeSpan retryTimeout,
        NotificationCounters counters) =>
        Akka.Actor.Props.Create(() => new ChannelSender(channel, outbox, transport, retryTimeout, counters));

    protected override void PreStart() => Pump();

    protected override void PostStop()
    {
        _stopping.Cancel();
        _transport.Dispose();
        _retired?.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Starts sending the first message in line, unless a send is under way or a retry is due later.</summary>
    private void Pump()
    {
        if (_busy || _waitingForRetry) return;
        if (_outbox.Peek() is not { } delivery)
        {
            AnswerFlushers();
            return;
        }
        _busy = true;
        _transport.SendAsync(delivery, _stopping.Token).PipeTo(Self, success: outcome => new Attempted(delivery, outcome),
            // SendAsync reports failed deliveries as outcomes; only a bug gets here, and its text is not trusted to be secret-free.
            failure: e => new Attempted(delivery, new DeliveryOutcome(DeliveryStatus.Retry, $"unexpected {e.GetType().Name}")));
    }

    private void OnAttempted(Attempted attempt)
    {
        _busy = false;
        _retired?.Dispose();
        _retired = null;
        var (delivery, (status, detail)) = attempt;
        switch (status)
        {
            case DeliveryStatus.Delivered:
                _outbox.MarkSent(delivery);
                _counters.Sent(_channel, delivery.Kind);
                _log.Info("notification sent via {0}: {1}", _channel, delivery.Summary);
                Pump();
                break;
            case DeliveryStatus.Rejected:
                _counters.Failed(_channel);
                _log.Error("notification refused by {0} ({1}), kept in the dead-letter list: {2}: {3}",
                    _channel, _transport.Target, delivery.Summary, detail);
                _outbox.DeadLetter(delivery, detail);
                Pump();
                break;
            default:
                _counters.Failed(_channel);
                _waitingForRetry = true;
                Timers.StartSingleTimer(RetryTimer, RetryDue.Instance, _retryTimeout);
                _log.Warning("cannot deliver via {0} ({1}): {2}; {3} notification(s) queued, retrying in {4}",
                    _channel, _transport.Target, detail, _outbox.Count, _retryTimeout);
                break;
        }
    }

    private void OnReconfigure(Reconfigure update)
    {
        // A send under way finishes with the transport it started on.
        if (_busy) _retired = _transport;
        else _transport.Dispose();
        (_transport, _retryTimeout) = (update.Transport, update.RetryTimeout);
    }

    private void OnFlush(Flush flush)
    {
        if (_outbox.Count == 0)
        {
            Sender.Tell(new Flushed(0));
            return;
        }
        var id = _nextFlushId++;
        _flushers[id] = Sender;
        Timers.StartSingleTimer($"flush-{id}", new FlushDeadline(id), flush.Within);
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
}
