using Akka.Actor;
using Akka.Cluster;

namespace Picomon.Cluster;

/// <summary>The cluster's members as this node sees them now: the agents to ask, and whether a lease holder (named by
/// its unique address, incarnation included, so a restarted node on the same port is another holder) is still one.</summary>
public static class ClusterMembers
{
    /// <summary>A lease holder's name: the node's address and its incarnation's uid.</summary>
    public static string Owner(UniqueAddress address) => $"{address.Address}#{address.Uid}";

    /// <summary>The node as <c>picomon status</c> shows it: <c>host:port</c>.</summary>
    public static string NodeName(Address address) => Configuration.ClusterSettings.NodeName(address.Host ?? "", address.Port ?? 0);

    /// <summary>Whether <paramref name="owner"/> is still a member that may run checks: not removed, downed or leaving.
    /// An unreachable member still is one, until the split-brain resolver decides.</summary>
    public static bool IsMember(Akka.Cluster.Cluster cluster, string owner) =>
        cluster.State.Members.Any(m => Owner(m.UniqueAddress) == owner
                                       && m.Status is MemberStatus.Up or MemberStatus.Joining or MemberStatus.WeaklyUp);

    /// <summary>The agents of the members that are up, this node's included unless <paramref name="othersOnly"/>.</summary>
    public static IReadOnlyList<ActorSelection> Agents(ActorSystem system, bool othersOnly = false)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        return cluster.State.Members.Where(m => m.Status == MemberStatus.Up && !(othersOnly && m.Address.Equals(cluster.SelfAddress)))
            .Select(m => system.ActorSelection(new RootActorPath(m.Address) / "user" / NodeAgent.Name)).ToList();
    }

    /// <summary>Asks every agent; the answers that came within <paramref name="within"/>, in no particular order.</summary>
    public static async Task<IReadOnlyList<T>> AskAll<T>(IEnumerable<ActorSelection> agents, object message, TimeSpan within)
    {
        var asks = agents.Select(a => a.Ask<T>(message, within)).ToList();
        try
        {
            await Task.WhenAll(asks);
        }
        catch (Exception)
        {
            // A node that does not answer is left out; the others' answers count.
        }
        return asks.Where(a => a.IsCompletedSuccessfully).Select(a => a.Result).ToList();
    }
}
