using Akka.Actor;
using Akka.Event;
using Picomon.State.Postgres;

namespace Picomon.Cluster;

/// <summary>What the actors that hold a fence in PostgreSQL — a <see cref="PartitionActor"/>, the
/// <see cref="NotifierActor"/> — share to take it and give it back: the take, off the actor's thread, the messages it
/// answers with, the retry timer, and the release.</summary>
internal static class FenceTaking
{
    /// <summary>The timer that asks the actor to try again (<see cref="TryTake"/>).</summary>
    public const string RetryTimer = "take";

    /// <summary>The retry timer fired: take the fence, unless the actor holds it or stops.</summary>
    public sealed class TryTake : INoSerializationVerificationNeeded { public static readonly TryTake Instance = new(); }

    /// <summary>The store found the fence no longer this node's (a write, or a claim): nothing more may run under it.</summary>
    public sealed class Fenced : INoSerializationVerificationNeeded { public static readonly Fenced Instance = new(); }

    /// <summary>The take's answer: the store opened under the fence, or null while another node (<c>Take.Holder</c>) holds it.</summary>
    public sealed record Taken(PartitionLeases.Take Take, PostgresStateStore? Store) : INoSerializationVerificationNeeded;

    /// <summary>The database could not be asked.</summary>
    public sealed record TakeFailed(Exception Error) : INoSerializationVerificationNeeded;

    /// <summary>Takes <paramref name="partition"/>'s fence on a pool thread and, when this node gets it, opens the store
    /// under it; pipes <see cref="Taken"/> or <see cref="TakeFailed"/> to <paramref name="self"/>, which its store tells
    /// <see cref="Fenced"/> when it finds the fence lost.</summary>
    public static void Take(NodeContext node, int partition, IActorRef self, ILoggingAdapter log) =>
        Task.Run(() =>
        {
            var take = node.Leases.TryTake(partition, node.IsMember);
            // A partition's rows are read after the take, so every write of the previous holder is in them.
            var store = take.Fence is { } fence
                ? PostgresStateStore.Open(node.Database, fence, e => log.Error("{0}", e), i => log.Info("{0}", i),
                    () => self.Tell(Fenced.Instance))
                : null;
            return new Taken(take, store);
        }).PipeTo(self, failure: e => new TakeFailed(e));

    /// <summary>Asks the actor to try again after <see cref="PartitionActor.RetryInterval"/>.</summary>
    public static void RetryLater(ITimerScheduler timers) => timers.StartSingleTimer(RetryTimer, TryTake.Instance, PartitionActor.RetryInterval);

    /// <summary>Gives <paramref name="store"/>'s fence back; when the database cannot be asked, the next node takes it
    /// when its lease ends, as <paramref name="who"/> warns.</summary>
    public static void Release(NodeContext node, PostgresStateStore store, ILoggingAdapter log, string who)
    {
        try
        {
            node.Leases.Release(store.Fence);
        }
        catch (Exception e) when (PostgresDatabase.IsDatabaseError(e))
        {
            log.Warning("{0}: cannot give it back ({1}); the next node takes it when its lease ends", who, PostgresDatabase.Describe(e));
        }
    }
}
