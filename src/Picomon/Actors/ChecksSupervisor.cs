using Akka.Actor;
using Akka.Event;
using Picomon.Configuration;
using Picomon.Probes;
using Picomon.Scheduling;

namespace Picomon.Actors;

/// <summary>Parent of the check actors: creates one per check, its first run spread evenly over the first
/// base tick, restarts a crashed check alone, fans out "run all now" (SIGUSR1) and the graceful stop
/// (SPEC §7: start no new runs, let running ones finish or time out). Its <see cref="LoadMonitor"/> child
/// reports, once a minute, runs that started late or were skipped.</summary>
public sealed class ChecksSupervisor : ReceiveActor
{
    /// <summary>Every check runs now and restarts its schedule from now.</summary>
    public sealed class RunAllNow
    {
        public static readonly RunAllNow Instance = new();
        private RunAllNow() { }
    }

    /// <summary>Stop scheduling runs; the sender gets <see cref="ChecksStopped"/> once no run is in flight.</summary>
    public sealed class StopChecks
    {
        public static readonly StopChecks Instance = new();
        private StopChecks() { }
    }

    public sealed class ChecksStopped
    {
        public static readonly ChecksStopped Instance = new();
        private ChecksStopped() { }
    }

    private readonly HashSet<IActorRef> _running = [];
    private readonly List<IActorRef> _stopRequesters = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _stopping;

    /// <param name="load">The checks' schedule statistics; a fresh one when null (the caller may read it).</param>
    public ChecksSupervisor(IReadOnlyList<CheckDefinition> checks, Func<CheckDefinition, IProbe> probeFactory,
        IActorRef aggregator, TimeSpan baseTick, LoadStats? load = null)
    {
        load ??= new LoadStats();
        Context.ActorOf(LoadMonitor.Props(load), "load-monitor");
        for (var i = 0; i < checks.Count; i++)
        {
            // Check i of N first runs at baseTick × i / N, so a thousand checks do not start in the same millisecond.
            var firstRunDelay = TimeSpan.FromTicks(baseTick.Ticks * i / checks.Count);
            var check = checks[i];
            var child = Context.ActorOf(
                CheckActor.Props(check, probeFactory(check), aggregator, baseTick, firstRunDelay, load),
                CheckActor.ActorName(check.Id));
            Context.Watch(child);
            _running.Add(child);
        }
        _log.Info("Started {0} checks", checks.Count);

        Receive<RunAllNow>(_ =>
        {
            if (!_stopping) foreach (var child in _running) child.Tell(CheckActor.RunNow.Instance);
        });
        Receive<StopChecks>(_ => OnStopChecks());
        Receive<Terminated>(t =>
        {
            _running.Remove(t.ActorRef);
            ReplyIfStopped();
        });
    }

    public static Props Props(IReadOnlyList<CheckDefinition> checks, Func<CheckDefinition, IProbe> probeFactory,
        IActorRef aggregator, TimeSpan baseTick, LoadStats? load = null) =>
        Akka.Actor.Props.Create(() => new ChecksSupervisor(checks, probeFactory, aggregator, baseTick, load));

    // The rule: a check that throws is restarted, alone, every time (no retry limit; the failure is logged).
    // Nothing one check does may stop another check or the daemon, and a restarted check resumes its state
    // from the aggregator. While stopping, a crashed check is stopped instead: it would only resume running.
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: -1, withinTimeMilliseconds: -1,
            _ => _stopping ? Directive.Stop : Directive.Restart, loggingEnabled: true);

    private void OnStopChecks()
    {
        _stopping = true;
        _stopRequesters.Add(Sender);
        foreach (var child in _running) child.Tell(CheckActor.StopScheduling.Instance);
        ReplyIfStopped();
    }

    // Every check actor stops itself once its in-flight run (bounded by its timeout) has finished.
    private void ReplyIfStopped()
    {
        if (!_stopping || _running.Count > 0) return;
        foreach (var requester in _stopRequesters) requester.Tell(ChecksStopped.Instance);
        _stopRequesters.Clear();
    }
}
