using Akka.Actor;
using Picomon.Actors;
using Picomon.Checks;
using Picomon.Cluster;

namespace Picomon.Status;

/// <summary>Reads the running daemon's <see cref="StatusReport"/>: the checks of the running configuration
/// (from the reloader, which owns it) and the aggregator's snapshot — in a cluster, the <see cref="ClusterView"/>'s rows
/// of every node, with the node running each check. Read-only; safe from any thread.</summary>
public sealed class StatusReader
{
    /// <summary>How long each actor may take to answer.</summary>
    public static readonly TimeSpan AnswerTime = TimeSpan.FromSeconds(10);

    private readonly IActorRef _reloader, _rows;
    private readonly bool _cluster;

    /// <param name="aggregator">The single node's aggregator.</param>
    public StatusReader(IActorRef reloader, IActorRef aggregator) : this(reloader, aggregator, false) { }

    private StatusReader(IActorRef reloader, IActorRef rows, bool cluster) => (_reloader, _rows, _cluster) = (reloader, rows, cluster);

    /// <summary>A cluster node's reader: the rows of the whole cluster from this node's <see cref="ClusterView"/>.</summary>
    public static StatusReader OfCluster(IActorRef reloader, IActorRef view) => new(reloader, view, true);

    public async Task<StatusReport> ReadAsync(CheckPatterns patterns, CancellationToken cancel)
    {
        var running = await _reloader.Ask<ConfigReloader.RunningChecks>(ConfigReloader.GetChecks.Instance, AnswerTime, cancel);
        if (!_cluster)
            return StatusViews.Build(await _rows.Ask<StateSnapshot>(StateAggregator.GetSnapshot.Instance, AnswerTime, cancel), running.Checks, patterns);
        var rows = await _rows.Ask<ClusterView.ClusterRows>(ClusterView.GetClusterRows.Instance, AnswerTime, cancel);
        return StatusViews.Build(rows.Snapshot, running.Checks, patterns, rows.NodeOf);
    }
}
