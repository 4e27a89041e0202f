using Akka.Actor;
using Picomon.Actors;
using Picomon.Checks;

namespace Picomon.Cluster;

/// <summary>The whole cluster seen from one node, standing where a single node has its aggregator and its checks
/// supervisor for the SIGUSR1 dump, <c>picomon status</c>, <c>picomon run-now</c> and the report: it asks every member's
/// <see cref="NodeAgent"/> and merges the answers. A node that does not answer within <see cref="AnswerTime"/> is left
/// out (its checks are shown as not run yet).</summary>
public sealed class ClusterView : ReceiveActor
{
    public static readonly TimeSpan AnswerTime = TimeSpan.FromSeconds(5);

    /// <summary>Asks for the rows with the node running each check; the answer is a <see cref="ClusterRows"/>.</summary>
    public sealed class GetClusterRows : INoSerializationVerificationNeeded
    {
        public static readonly GetClusterRows Instance = new();
        private GetClusterRows() { }
    }

    /// <param name="NodeOf">The node running each check, by check id.</param>
    public sealed record ClusterRows(StateSnapshot Snapshot, IReadOnlyDictionary<string, string> NodeOf) : INoSerializationVerificationNeeded;

    public ClusterView()
    {
        Receive<StateAggregator.GetSnapshot>(_ => Rows().ContinueWith(t => t.Result.Snapshot, TaskScheduler.Default).PipeTo(Sender));
        Receive<GetClusterRows>(_ => Rows().PipeTo(Sender));
        Receive<NodeProtocol.SilencesChanged>(changed =>
            ClusterMembers.AskAll<NodeProtocol.SilencesApplied>(ClusterMembers.Agents(Context.System), changed, AnswerTime)
                .ContinueWith(t => new NodeProtocol.SilencesApplied(string.Join(", ", t.Result.Select(a => a.Node))), TaskScheduler.Default)
                .PipeTo(Sender));
        Receive<ChecksSupervisor.RunAllNow>(_ =>
        {
            foreach (var agent in ClusterMembers.Agents(Context.System)) agent.Tell(new NodeProtocol.RunNow(null));
        });
        Receive<ChecksSupervisor.RunMatchingNow>(run =>
            ClusterMembers.AskAll<NodeProtocol.RunStarted>(ClusterMembers.Agents(Context.System),
                    new NodeProtocol.RunNow(run.Patterns.Patterns), AnswerTime)
                .ContinueWith(t => new ChecksSupervisor.RunMatchingStarted(t.Result.Sum(r => r.Matched)), TaskScheduler.Default)
                .PipeTo(Sender));
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new ClusterView());

    private Task<ClusterRows> Rows()
    {
        var scheduler = Context.System.Scheduler;
        return ClusterMembers.AskAll<NodeProtocol.Rows>(ClusterMembers.Agents(Context.System), new NodeProtocol.GetRows(), AnswerTime)
            .ContinueWith(t =>
            {
                var nodeOf = new Dictionary<string, string>(StringComparer.Ordinal);
                var rows = new Dictionary<string, CheckState>(StringComparer.Ordinal);
                foreach (var answer in t.Result)
                    foreach (var row in answer.Checks)
                    {
                        rows[row.Id] = row;
                        nodeOf[row.Id] = answer.Node;
                    }
                var snapshot = new StateSnapshot(scheduler.Now, rows.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToList());
                return new ClusterRows(snapshot, nodeOf);
            }, TaskScheduler.Default);
    }
}
