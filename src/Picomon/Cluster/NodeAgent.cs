using Akka.Actor;
using Akka.Event;
using Picomon.Actors;
using Picomon.Checks;
using Picomon.Configuration;

namespace Picomon.Cluster;

/// <summary>This node's side of the cluster, at <see cref="Path"/>: knows the partitions running here (they register
/// with <see cref="PartitionUp"/>), answers the other nodes (<see cref="NodeProtocol"/>: rows, run-now, the two steps
/// of a reload, the configuration's digest), and stands for the checks, the aggregator, the mailer and the reporter
/// in this node's <see cref="ConfigReloader"/>: a reload here is handed to every local partition, and to the notifier
/// (through the event stream) if it runs here.</summary>
public sealed class NodeAgent : ReceiveActor
{
    public const string Name = "node";

    /// <summary>The path of every node's agent.</summary>
    public static readonly string Path = $"/user/{Name}";

    /// <summary>How long a node waits for its own partitions.</summary>
    public static readonly TimeSpan LocalAnswerTime = TimeSpan.FromSeconds(5);

    /// <summary>A partition now runs here.</summary>
    public sealed record PartitionUp(int Partition, IActorRef Actor) : INoSerializationVerificationNeeded;

    /// <summary>A reload's new configuration, for the notifier if it runs on this node (event stream).</summary>
    public sealed record NotifierSettings(PicomonSettings Settings) : INoSerializationVerificationNeeded;

    private readonly Dictionary<int, IActorRef> _partitions = [];
    private readonly NodeContext _node;
    private readonly ReloadSlot _slot;
    private readonly Func<PicomonSettings> _loadFile;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef _reloader = ActorRefs.Nobody;
    private IReadOnlyList<CheckDefinition> _checks;
    private TimeSpan _baseTick;

    public NodeAgent(NodeContext node, ReloadSlot slot, Func<PicomonSettings> loadFile)
    {
        (_node, _slot, _loadFile) = (node, slot, loadFile);
        (_checks, _baseTick) = (node.Settings.Checks, node.Settings.BaseTick);
        Receive<PartitionUp>(up =>
        {
            _partitions[up.Partition] = up.Actor;
            Context.Watch(up.Actor);
        });
        Receive<Terminated>(t =>
        {
            foreach (var (partition, _) in _partitions.Where(p => p.Value.Equals(t.ActorRef)).ToList()) _partitions.Remove(partition);
        });
        Receive<IActorRef>(reloader => _reloader = reloader);
        Receive<NodeProtocol.GetRows>(_ => OnGetRows());
        Receive<NodeProtocol.RunNow>(OnRunNow);
        Receive<NodeProtocol.PrepareReload>(_ => Sender.Tell(Prepare()));
        Receive<NodeProtocol.ApplyReload>(OnApply);
        Receive<NodeProtocol.GetDigest>(_ => Sender.Tell(new NodeProtocol.Digest(_node.NodeName, _node.Settings.Digest)));
        Receive<ChecksSupervisor.Reconfigure>(OnReconfigure);
        Receive<StateAggregator.Reconfigure>(ToPartitions);
        Receive<NodeProtocol.SilencesChanged>(_ => OnSilencesChanged());
        Receive<Notifier.Reconfigure>(r => Context.System.EventStream.Publish(new NotifierSettings(r.Settings)));
        // The notifier singleton reconfigures its mailer and reporter from the whole configuration, above.
        Receive<Mailer.UpdateSettings>(_ => { });
        Receive<Reporter.UpdateSettings>(_ => { });
    }

    /// <param name="loadFile">Reads and validates this node's own file (throws <see cref="ConfigException"/>).</param>
    public static Props Props(NodeContext node, ReloadSlot slot, Func<PicomonSettings> loadFile) =>
        Akka.Actor.Props.Create(() => new NodeAgent(node, slot, loadFile));

    private void ToPartitions(object message)
    {
        foreach (var partition in _partitions.Values) partition.Tell(message);
    }

    private void OnGetRows()
    {
        var asks = _partitions.Values.Select(p => p.Ask<StateSnapshot>(PartitionActor.GetRows.Instance, LocalAnswerTime)).ToList();
        var node = _node.NodeName;
        Task.WhenAll(asks.Select(a => a.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result.Checks : [], TaskScheduler.Default)))
            .ContinueWith(t => new NodeProtocol.Rows(node, t.Result.SelectMany(rows => rows).ToList()), TaskScheduler.Default)
            .PipeTo(Sender);
    }

    private void OnSilencesChanged()
    {
        var asks = _partitions.Values.Select(p => p.Ask<StateAggregator.SilencesChanged>(StateAggregator.SilencesChanged.Instance, LocalAnswerTime));
        var node = _node.NodeName;
        Task.WhenAll(asks).ContinueWith(_ => new NodeProtocol.SilencesApplied(node), TaskScheduler.Default).PipeTo(Sender);
    }

    private void OnRunNow(NodeProtocol.RunNow run)
    {
        if (run.Patterns is null)
        {
            ToPartitions(ChecksSupervisor.RunAllNow.Instance);
            return;
        }
        var patterns = CheckPatterns.Parse(run.Patterns, out _) ?? CheckPatterns.All;
        var asks = _partitions.Values.Select(p =>
            p.Ask<ChecksSupervisor.RunMatchingStarted>(new ChecksSupervisor.RunMatchingNow(patterns), LocalAnswerTime)).ToList();
        Task.WhenAll(asks.Select(a => a.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result.Matched : 0, TaskScheduler.Default)))
            .ContinueWith(t => new NodeProtocol.RunStarted(t.Result.Sum()), TaskScheduler.Default)
            .PipeTo(Sender);
    }

    private NodeProtocol.ReloadPrepared Prepare()
    {
        try
        {
            var settings = _loadFile();
            _slot.Put(settings);
            return new NodeProtocol.ReloadPrepared(_node.NodeName, settings.Digest, []);
        }
        catch (ConfigException e)
        {
            _slot.Put(null);
            return new NodeProtocol.ReloadPrepared(_node.NodeName, null, e.Errors.Select(error => error.ToString()).ToList());
        }
    }

    /// <summary>Applies what <see cref="Prepare"/> read, through this node's reloader (which takes it from the slot).</summary>
    private void OnApply(NodeProtocol.ApplyReload apply)
    {
        if (_slot.Peek()?.Digest != apply.Digest)
        {
            _log.Warning("reload asked by another node for a configuration this node did not read; ignored");
            Sender.Tell(new NodeProtocol.ReloadApplied(_node.NodeName, false));
            return;
        }
        var node = _node.NodeName;
        _reloader.Ask<ConfigReloader.ReloadOutcome>(ConfigReloader.ReloadRequested.Cluster, ClusterReloader.AnswerTime)
            .ContinueWith(t => new NodeProtocol.ReloadApplied(node, t.IsCompletedSuccessfully && t.Result.Applied is not null),
                TaskScheduler.Default)
            .PipeTo(Sender);
    }

    /// <summary>Hands the new checks to every local partition (each keeps its own) and answers with the counts of the
    /// whole configuration, which every node shares.</summary>
    private void OnReconfigure(ChecksSupervisor.Reconfigure update)
    {
        ToPartitions(update);
        var tickChanged = update.BaseTick != _baseTick;
        var before = _checks.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var after = update.Checks.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var unchanged = update.Checks.Count(c => before.TryGetValue(c.Id, out var old) && old == c && !tickChanged);
        var added = update.Checks.Count(c => !before.ContainsKey(c.Id));
        var removed = before.Keys.Count(id => !after.Contains(id));
        (_checks, _baseTick) = (update.Checks, update.BaseTick);
        Sender.Tell(new ChecksSupervisor.Reconfigured(unchanged, update.Checks.Count - unchanged - added, added, removed));
    }
}

/// <summary>The configuration a node read for a reload, between the two steps: the agent puts it, the node's reloader
/// takes it (and makes it the node's running configuration).</summary>
public sealed class ReloadSlot
{
    private readonly Lock _gate = new();
    private PicomonSettings? _settings;

    public void Put(PicomonSettings? settings)
    {
        lock (_gate) _settings = settings;
    }

    public PicomonSettings? Peek()
    {
        lock (_gate) return _settings;
    }

    public PicomonSettings? Take()
    {
        lock (_gate)
        {
            var settings = _settings;
            _settings = null;
            return settings;
        }
    }
}
