using Akka.Actor;
using Akka.Event;
using Picomon.Actors;
using Picomon.Notifications;
using Picomon.State.Postgres;

namespace Picomon.Cluster;

/// <summary>The cluster's one notifier (a cluster singleton, on the oldest node): it takes the notifier's fence in
/// PostgreSQL and runs today's <see cref="Notifier"/> with its channel senders and the <c>email</c> <see cref="Mailer"/>
/// over the shared outboxes, and the <see cref="Reporter"/> over the whole cluster's state. The partitions tell it when
/// they queue notifications (<see cref="PendingQueued"/>, through the singleton's proxy); it reads those not handed to
/// the notifier yet from PostgreSQL, at once and every <see cref="PollInterval"/> (for any queued while no notifier
/// ran or whose word was lost). When it is handed over (<see cref="Stop"/>) it gives the fence back; when a commit, a
/// send or a claim finds the fence taken (or a commit cannot be written), everything under it stops at once and it
/// starts again from the database. On the cluster's last node, a graceful stop sends what the grouping windows hold
/// and the stopped mail first.</summary>
public sealed class NotifierActor : ReceiveActor, IWithTimers
{
    public const string Name = "notifier";

    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>A partition queued pending notifications (crosses nodes; carries nothing: they are in the database).</summary>
    public sealed class PendingQueued : IClusterMessage
    {
        public static readonly PendingQueued Instance = new();
        private PendingQueued() { }
    }

    /// <summary>The singleton is handed over or this node leaves.</summary>
    public sealed class Stop : INoSerializationVerificationNeeded
    {
        public static readonly Stop Instance = new();
        private Stop() { }
    }

    private static readonly TimeSpan FlushTime = TimeSpan.FromSeconds(8);

    private sealed class Poll : INoSerializationVerificationNeeded { public static readonly Poll Instance = new(); }
    private sealed record NewPending(PostgresStateStore Store, IReadOnlyList<PendingNotification> Pending) : INoSerializationVerificationNeeded;

    private readonly NodeContext _node;
    private readonly IActorRef _view;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private PostgresStateStore? _store;
    private IActorRef? _notifier, _mailer, _reporter;
    private int _polls;
    private bool _stopping, _failing;

    /// <param name="view">This node's <see cref="ClusterView"/>: the reporter's state of the whole cluster.</param>
    public NotifierActor(NodeContext node, IActorRef view)
    {
        (_node, _view) = (node, view);
        Receive<FenceTaking.TryTake>(_ => Take());
        Receive<FenceTaking.Taken>(OnTaken);
        Receive<FenceTaking.TakeFailed>(failed =>
        {
            if (!_failing) _log.Warning("notifier: cannot take it: {0}; trying again", PostgresDatabase.Describe(failed.Error.GetBaseException()));
            _failing = true;
            FenceTaking.RetryLater(Timers);
        });
        Receive<PendingQueued>(_ => ReadPending());
        Receive<NewPending>(n => { if (n.Store == _store && n.Pending.Count > 0) _notifier?.Tell(new Notifier.Queued(n.Pending)); });
        Receive<Poll>(_ => OnPoll());
        Receive<FenceTaking.Fenced>(_ => OnFenced());
        Receive<NodeAgent.NotifierSettings>(s =>
        {
            _notifier?.Tell(new Notifier.Reconfigure(s.Settings));
            _mailer?.Tell(new Mailer.UpdateSettings(s.Settings.Emails));
            _reporter?.Tell(new Reporter.UpdateSettings(s.Settings.Emails, s.Settings.Checks));
        });
        Receive<Stop>(_ => OnStop());
        Receive<Notifier.WindowsClosed>(_ => SendStoppedMail());
        Receive<Mailer.Flushed>(_ => Release());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(NodeContext node, IActorRef view) => Akka.Actor.Props.Create(() => new NotifierActor(node, view));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe<NodeAgent.NotifierSettings>(Self);
        Take();
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void Take()
    {
        if (!_stopping && _store is null) FenceTaking.Take(_node, Fence.NotifierPartition, Self, _log);
    }

    private void OnTaken(FenceTaking.Taken taken)
    {
        if (taken.Store is not { } store)
        {
            _log.Debug("notifier: still held by {0}; trying again", taken.Take.Holder);
            FenceTaking.RetryLater(Timers);
            return;
        }
        _failing = false;
        _store = store;
        if (_stopping)
        {
            Release();
            return;
        }
        var settings = _node.Settings;
        _mailer = Context.ActorOf(Mailer.Props(settings.Emails, store.Outbox, _node.Counters), "mailer");
        _notifier = Context.ActorOf(Notifier.Props(settings, store, _node.Composer, new ChannelSenders(store, _node.Counters, _mailer)), "notifier");
        _reporter = Context.ActorOf(Reporter.Props(_view, _mailer, _node.Composer, settings.Emails, settings.Checks), "reporter");
        Timers.StartPeriodicTimer("poll", Poll.Instance, PollInterval);
        _log.Info("notifier: this node sends the cluster's notifications ({0})", store.Fence);
    }

    private void ReadPending()
    {
        if (_store is not { } store) return;
        Task.Run(() => new NewPending(store, store.NewPending())).PipeTo(Self);
    }

    private void OnPoll()
    {
        if (_store is not { } store) return;
        ReadPending();
        _mailer?.Tell(Mailer.Deliver.Instance);
        if (++_polls % (int)(PartitionActor.HeartbeatInterval / PollInterval) != 0) return;
        var leases = _node.Leases;
        var self = Self;
        Task.Run(() =>
        {
            if (!leases.Heartbeat(store.Fence)) self.Tell(FenceTaking.Fenced.Instance);
        }).ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
    }

    private void OnFenced()
    {
        if (_store is null) return;
        _log.Warning("notifier: taken over by another node, or its state could not be written; it stops here and starts again from the database");
        StopChildren();
        if (_stopping) Context.Stop(Self);
        else FenceTaking.RetryLater(Timers);
    }

    private void StopChildren()
    {
        Timers.Cancel("poll");
        foreach (var child in new[] { _reporter, _notifier, _mailer }.OfType<IActorRef>()) Context.Stop(child);
        (_mailer, _notifier, _reporter, _store) = (null, null, null, null);
    }

    private void OnStop()
    {
        _stopping = true;
        Timers.Cancel(FenceTaking.RetryTimer);
        // Another node takes over what is queued at once; the last node going sends what the windows hold and the
        // stopped mail, and what is queued gets its chance first, as a single node does on SIGTERM.
        if (_notifier is null || !IsLastNode()) Release();
        else _notifier.Tell(Notifier.CloseWindows.Instance);
    }

    private void SendStoppedMail()
    {
        if (_mailer is null)
        {
            Release();
            return;
        }
        _mailer.Tell(new Mailer.Send(_node.Composer.Stopped(_node.Settings.Emails, 0, Context.System.Scheduler.Now)));
        _mailer.Tell(new Mailer.Flush(FlushTime));
    }

    private bool IsLastNode()
    {
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        return !cluster.State.Members.Any(m => m.Status == Akka.Cluster.MemberStatus.Up && !m.Address.Equals(cluster.SelfAddress));
    }

    private void Release()
    {
        if (_store is { } store) FenceTaking.Release(_node, store, _log, "notifier");
        StopChildren();
        Context.Stop(Self);
    }
}
