using Akka.Actor;
using Akka.Event;
using Picomon.Actors;

namespace Picomon.Cluster;

/// <summary>A reload in a cluster (SIGHUP or <c>picomon reload</c> on any node) applies to every node, and only if every
/// node read the same configuration: first every member's agent reads and validates its own file and answers with the
/// digest of what it read; when every file is valid and the digests are equal, every node applies what it read (this
/// node through its own reloader, whose outcome answers the request). Otherwise nothing changes anywhere and the
/// request is answered with why.</summary>
public sealed class ClusterReloader : ReceiveActor
{
    public static readonly TimeSpan AnswerTime = TimeSpan.FromSeconds(30);

    private sealed record Prepared(ConfigReloader.ReloadRequested Request, IActorRef Requester, int Members,
        IReadOnlyList<NodeProtocol.ReloadPrepared> Answers) : INoSerializationVerificationNeeded;

    private readonly IActorRef _reloader;
    private readonly string _source;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    /// <param name="reloader">This node's <see cref="ConfigReloader"/>.</param>
    /// <param name="source">The file this node runs, for the outcome of a refused reload.</param>
    public ClusterReloader(IActorRef reloader, string source)
    {
        (_reloader, _source) = (reloader, source);
        Receive<ConfigReloader.ReloadRequested>(OnRequested);
        Receive<Prepared>(OnPrepared);
    }

    public static Props Props(IActorRef reloader, string source) => Akka.Actor.Props.Create(() => new ClusterReloader(reloader, source));

    private void OnRequested(ConfigReloader.ReloadRequested request)
    {
        var agents = ClusterMembers.Agents(Context.System);
        var requester = Sender;
        ClusterMembers.AskAll<NodeProtocol.ReloadPrepared>(agents, new NodeProtocol.PrepareReload(), AnswerTime)
            .ContinueWith(t => new Prepared(request, requester, agents.Count, t.Result), TaskScheduler.Default)
            .PipeTo(Self);
    }

    private void OnPrepared(Prepared prepared)
    {
        var errors = Refusals(prepared).ToList();
        if (errors.Count > 0)
        {
            _log.Error("{0}: the configuration cannot be reloaded on every node; still running the previous one", prepared.Request.Origin);
            foreach (var error in errors) _log.Error("{0}", error);
            if (!prepared.Requester.IsNobody())
                prepared.Requester.Tell(new ConfigReloader.ReloadOutcome(_source, null, [], errors));
            return;
        }
        var digest = prepared.Answers[0].Digest!;
        foreach (var agent in ClusterMembers.Agents(Context.System, othersOnly: true)) agent.Tell(new NodeProtocol.ApplyReload(digest));
        _reloader.Tell(prepared.Request, prepared.Requester);
    }

    private static IEnumerable<string> Refusals(Prepared prepared)
    {
        if (prepared.Answers.Count < prepared.Members)
            yield return $"picomon: cluster: {prepared.Members - prepared.Answers.Count} node(s) did not answer; reload refused";
        foreach (var answer in prepared.Answers)
            foreach (var error in answer.Errors)
                yield return prepared.Answers.Count == 1 ? error : $"{error} (on node {answer.Node})";
        var digests = prepared.Answers.Where(a => a.Digest is not null).GroupBy(a => a.Digest).ToList();
        if (digests.Count > 1)
            yield return "picomon: cluster: the nodes' configurations differ (" + string.Join("; ", digests.Select(d =>
                string.Join(", ", d.Select(a => a.Node).Order(StringComparer.Ordinal)))) + "); make every file the same, then reload";
    }
}
