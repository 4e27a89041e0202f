using Akka.Actor;
using Akka.TestKit;
using Picomon.Actors;
using Picomon.Checks;
using Picomon.Metrics;
using Picomon.Notifications;
using Picomon.State;
using static Picomon.Actors.StateAggregator;

namespace Picomon.Tests.Support;

/// <summary>The aggregator specs' set-up: a <see cref="StateAggregator"/> in a spec's actor system over a store that
/// outlives it (a spec stops it and starts another on what it wrote, as a restart does), telling a notifier probe and
/// counting what the holds suppress; and the round trips the specs wait for it with.</summary>
public sealed class AggregatorHarness
{
    /// <summary>How long an ask waits, in real time: generous, so that only a failing spec waits it out.</summary>
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private readonly TestKitBase _kit;

    /// <param name="store">The store; a new <see cref="MemoryStateStore"/> by default.</param>
    public AggregatorHarness(TestKitBase kit, IStateStore? store = null)
    {
        _kit = kit;
        Store = store ?? new MemoryStateStore();
        Notifier = kit.CreateTestProbe("notifier");
    }

    public IStateStore Store { get; }

    /// <summary>Stands for the notifier: it is told of every commit that queues notifications.</summary>
    public TestProbe Notifier { get; }

    public NotificationCounters Counters { get; } = new();

    /// <summary>The aggregator last started (nobody before the first start).</summary>
    public IActorRef Aggregator { get; private set; } = ActorRefs.Nobody;

    /// <summary>Starts an aggregator on the store, told <paramref name="reconfigure"/> first when given.</summary>
    /// <param name="notified">False: an aggregator without a notifier, which only saves its transitions.</param>
    public IActorRef Start(Reconfigure? reconfigure = null, bool notified = true)
    {
        Aggregator = _kit.Sys.ActorOf(StateAggregator.Props(Store, notified ? Notifier : null, Counters));
        if (reconfigure is not null) Aggregator.Tell(reconfigure);
        return Aggregator;
    }

    /// <summary>Stops the aggregator and waits until it has stopped (it has written what it held).</summary>
    public Task StopAsync() => Aggregator.GracefulStop(Wait);

    /// <summary>Asks the aggregator <paramref name="message"/> and returns its answer.</summary>
    public Task<T> AskAsync<T>(object message) => Aggregator.Ask<T>(message, Wait);

    public Task<StateSnapshot> SnapshotAsync() => AskAsync<StateSnapshot>(GetSnapshot.Instance);

    public async Task<CheckState> RowAsync(string id) => (await SnapshotAsync()).Checks.Single(c => c.Id == id);

    /// <summary>Two round trips: the first may overtake the commit that the messages before it posted, the second
    /// comes after it.</summary>
    public async Task SettleAsync()
    {
        await SnapshotAsync();
        await SnapshotAsync();
    }

    /// <summary>Nothing was sent: once settled, the notifier was told nothing.</summary>
    public async Task NothingSentAsync()
    {
        await SettleAsync();
        await Notifier.ExpectNoMsgAsync(TimeSpan.Zero);
    }

    /// <summary>The notifications of the next commit the notifier is told of.</summary>
    public async Task<IReadOnlyList<Notification>> NotifiedAsync() =>
        [.. (await Notifier.ExpectMsgAsync<Picomon.Actors.Notifier.Queued>()).Notifications.Select(p => p.Notification)];
}
