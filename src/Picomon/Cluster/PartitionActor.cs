using Akka.Actor;
using Akka.Event;
using Picomon.Actors;
using Picomon.Checks;
using Picomon.State.Postgres;

namespace Picomon.Cluster;

/// <summary>One partition of the checks, placed on a node by the cluster (a sharded daemon process entity): it takes
/// the partition's fence in PostgreSQL, opens the partition's store (the rows of its checks, read after the take),
/// then runs today's <see cref="StateAggregator"/> and <see cref="ChecksSupervisor"/> for the checks whose id hashes to
/// it; they do not know they run in a cluster. It renews its lease every <see cref="HeartbeatInterval"/>. When a write
/// or a heartbeat finds that the partition was taken over, its checks stop at once; when the cluster moves it away
/// (<see cref="Stop"/>), they stop gracefully (running runs finish) and the partition is given back.</summary>
public sealed class PartitionActor : ReceiveActor, IWithTimers
{
    /// <summary>The cluster moves the partition away (a rebalance, or this node leaving): stop and give it back.</summary>
    public sealed class Stop : INoSerializationVerificationNeeded
    {
        public static readonly Stop Instance = new();
        private Stop() { }
    }

    /// <summary>Asks for the state rows of the partition's checks; the answer is a <see cref="StateSnapshot"/>.</summary>
    public sealed class GetRows : INoSerializationVerificationNeeded
    {
        public static readonly GetRows Instance = new();
        private GetRows() { }
    }

    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    /// <summary>After a failover, the moved checks' first runs are spread over this (at most the base tick): they
    /// were running a moment ago on the node that died.</summary>
    public static readonly TimeSpan FailoverWindow = TimeSpan.FromSeconds(2);

    private sealed class Heartbeat : INoSerializationVerificationNeeded { public static readonly Heartbeat Instance = new(); }
    private sealed record HeartbeatDone(bool Held) : INoSerializationVerificationNeeded;

    private readonly int _partition;
    private readonly NodeContext _node;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private PostgresStateStore? _store;
    private IActorRef? _aggregator, _checks;
    private bool _stopping, _failing;

    public PartitionActor(int partition, NodeContext node)
    {
        (_partition, _node) = (partition, node);
        Receive<FenceTaking.TryTake>(_ => Take());
        Receive<FenceTaking.Taken>(OnTaken);
        Receive<FenceTaking.TakeFailed>(OnTakeFailed);
        Receive<Heartbeat>(_ => OnHeartbeat());
        Receive<HeartbeatDone>(done => { if (!done.Held) OnFenced(); });
        Receive<FenceTaking.Fenced>(_ => OnFenced());
        Receive<Stop>(_ => OnStop());
        // Stopped checks told the aggregator their last runs; its answer comes after it has written them.
        Receive<ChecksSupervisor.ChecksStopped>(_ => _aggregator?.Tell(StateAggregator.GetSnapshot.Instance));
        Receive<StateSnapshot>(_ => { if (_stopping) Release(); });
        Receive<GetRows>(_ => OnGetRows());
        Receive<ChecksSupervisor.Reconfigure>(r => _checks?.Tell(r with { Checks = Mine(r.Checks) }));
        Receive<ChecksSupervisor.RunAllNow>(r => _checks?.Forward(r));
        Receive<ChecksSupervisor.RunMatchingNow>(r =>
        {
            if (_checks is null) Sender.Tell(new ChecksSupervisor.RunMatchingStarted(0));
            else _checks.Forward(r);
        });
        Receive<ChecksSupervisor.Reconfigured>(_ => { });
        Receive<StateAggregator.Reconfigure>(r => _aggregator?.Tell(r with { Checks = Mine(r.Checks) }));
        Receive<StateAggregator.SilencesChanged>(m =>
        {
            if (_aggregator is null) Sender.Tell(m);
            else _aggregator.Forward(m);
        });
        // The aggregator committed pending notifications: the notifier reads them from the database.
        Receive<Notifier.Queued>(_ => _node.Notifier.Tell(NotifierActor.PendingQueued.Instance));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(int partition, NodeContext node) => Akka.Actor.Props.Create(() => new PartitionActor(partition, node));

    protected override void PreStart() => Take();

    // A check and the checks it depends on (or that depend on it) run in one partition: their verdicts wait for each
    // other in its aggregator.
    private IReadOnlyList<Configuration.CheckDefinition> Mine(IReadOnlyList<Configuration.CheckDefinition> checks) =>
        checks.Where(c => Partitions.Of(_node.Settings.Dependencies.ComponentOf(c.Id)) == _partition).ToList();

    private void Take()
    {
        if (!_stopping && _store is null) FenceTaking.Take(_node, _partition, Self, _log);
    }

    private void OnTaken(FenceTaking.Taken taken)
    {
        if (taken.Store is not { } store)
        {
            _log.Debug("partition {0} is still held by {1}; trying again", _partition, taken.Take.Holder);
            FenceTaking.RetryLater(Timers);
            return;
        }
        if (_failing) _log.Info("partition {0}: the state database answers again", _partition);
        _failing = false;
        _store = store;
        if (_stopping)
        {
            Release();
            return;
        }
        var settings = _node.Settings;
        var checks = Mine(settings.Checks);
        _aggregator = Context.ActorOf(StateAggregator.Props(store, Self), "state");
        _aggregator.Tell(new StateAggregator.Reconfigure(checks, settings.Maintenance, settings.BaseTick, settings.Dependencies));
        var placement = new ChecksSupervisor.Placement(taken.Take.Failover ? FailoverWindow : null, Partition: true);
        _checks = Context.ActorOf(ChecksSupervisor.Props(checks, _node.ProbeFactory, _aggregator, settings.BaseTick, _node.Load, placement),
            "checks");
        _aggregator.Tell(new StateAggregator.AttachChecks(_checks));
        _node.Agent.Tell(new NodeAgent.PartitionUp(_partition, Self));
        Timers.StartPeriodicTimer("heartbeat", Heartbeat.Instance, HeartbeatInterval);
        // A failover is news; a partition placed at start or moved by a rebalance is not.
        if (taken.Take.Failover) _log.Info("partition {0}: taken over from a node that left; its {1} checks run here now ({2})", _partition, checks.Count, store.Fence);
        else _log.Debug("partition {0}: {1} checks run on this node ({2})", _partition, checks.Count, store.Fence);
    }

    private void OnTakeFailed(FenceTaking.TakeFailed failed)
    {
        if (!_failing)
            _log.Warning("partition {0}: cannot take it: {1}; trying again every {2} s", _partition,
                PostgresDatabase.Describe(failed.Error.GetBaseException()), RetryInterval.TotalSeconds);
        _failing = true;
        FenceTaking.RetryLater(Timers);
    }

    private void OnHeartbeat()
    {
        if (_store is not { } store) return;
        var leases = _node.Leases;
        Task.Run(() =>
        {
            store.Retry();
            return new HeartbeatDone(leases.Heartbeat(store.Fence));
        }).PipeTo(Self, failure: _ => new HeartbeatDone(true));
    }

    /// <summary>Another node holds the partition now: nothing more may run or be written here.</summary>
    private void OnFenced()
    {
        if (_store is null) return;
        _log.Warning("partition {0} was taken over by another node: its checks stop here", _partition);
        StopChildren();
        if (_stopping) Context.Stop(Self);
        else FenceTaking.RetryLater(Timers);
    }

    private void StopChildren()
    {
        Timers.Cancel("heartbeat");
        if (_checks is not null) Context.Stop(_checks);
        if (_aggregator is not null) Context.Stop(_aggregator);
        (_checks, _aggregator, _store) = (null, null, null);
    }

    private void OnStop()
    {
        _stopping = true;
        Timers.Cancel(FenceTaking.RetryTimer);
        if (_checks is null) Release();
        // Running runs finish (bounded by their timeouts), then the aggregator has their results.
        else _checks.Tell(ChecksSupervisor.StopChecks.Instance);
    }

    private void Release()
    {
        if (_store is { } store) FenceTaking.Release(_node, store, _log, $"partition {_partition}");
        Context.Stop(Self);
    }

    private void OnGetRows()
    {
        if (_aggregator is null) Sender.Tell(new StateSnapshot(Context.System.Scheduler.Now, []));
        else _aggregator.Forward(StateAggregator.GetSnapshot.Instance);
    }
}
