using Akka.Actor;
using Npgsql;
using Picomon.Configuration;
using Picomon.Mail;
using Picomon.Metrics;
using Picomon.Probes;
using Picomon.Scheduling;
using Picomon.State.Postgres;

namespace Picomon.Cluster;

/// <summary>What every partition and the notifier of one node share: the database, this node's leases, how probes
/// are made, the notifier's proxy, the node's load statistics, and the configuration running now (replaced by a
/// reload; a partition that starts later reads the new one).</summary>
public sealed class NodeContext(
    NpgsqlDataSource database,
    PartitionLeases leases,
    string nodeName,
    Func<CheckDefinition, IProbe> probeFactory,
    MailComposer composer,
    NotificationCounters counters,
    LoadStats load,
    PicomonSettings settings)
{
    private volatile PicomonSettings _settings = settings;

    public NpgsqlDataSource Database => database;

    public PartitionLeases Leases => leases;

    /// <summary>This node as <c>picomon status</c> shows it: <c>host:port</c>.</summary>
    public string NodeName => nodeName;

    public Func<CheckDefinition, IProbe> ProbeFactory => probeFactory;

    public MailComposer Composer => composer;

    /// <summary>What the notifier's senders count, for this node's /metrics.</summary>
    public NotificationCounters Counters => counters;

    public LoadStats Load => load;

    public PicomonSettings Settings
    {
        get => _settings;
        set => _settings = value;
    }

    /// <summary>Where partitions tell that notifications were queued: the notifier singleton's proxy (set once it exists).</summary>
    public IActorRef Notifier { get; set; } = ActorRefs.Nobody;

    /// <summary>This node's <see cref="NodeAgent"/>, which partitions register with.</summary>
    public IActorRef Agent { get; set; } = ActorRefs.Nobody;

    /// <summary>Whether a lease holder is still a member of the cluster, as this node sees it (see <see cref="ClusterMembers"/>).</summary>
    public Func<string, bool> IsMember { get; set; } = _ => true;
}
