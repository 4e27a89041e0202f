using Akka.Actor;
using Akka.Event;
using Picomon.Checks;
using Picomon.Configuration;
using Picomon.Probes;
using Picomon.Scheduling;

namespace Picomon.Actors;

/// <summary>Parent of the check actors: creates one per check, its first run spread evenly over the first
/// base tick, restarts a crashed check alone after a growing delay, fans out "run all now" (SIGUSR1), "run these now"
/// (<c>picomon run-now</c>) and the graceful stop (start no new runs, let running ones finish or time out). Its
/// <see cref="LoadMonitor"/> child reports, once a minute, runs that started late or were skipped.</summary>
/// <remarks>The backoff is kept here rather than by Akka's <c>BackoffSupervisor</c>, which puts an actor of its
/// own between the parent and each child. Measured (Akka 1.5.74, 20,000 idle children, managed heap): 1.95 KB
/// a child alone, 4.9 KB behind a <c>BackoffSupervisor</c> — ~290 MB more at 100,000 checks, for what only a
/// broken check needs. Here the strategy stops a crashed check, and this actor re-creates it on its own timer:
/// only a check that crashed has an entry in the <see cref="RestartBackoff"/>, and only one waiting for its
/// restart has a timer.</remarks>
public sealed class ChecksSupervisor : ReceiveActor, IWithTimers
{
    /// <summary>Every check runs now and restarts its schedule from now.</summary>
    public sealed class RunAllNow : INoSerializationVerificationNeeded
    {
        public static readonly RunAllNow Instance = new();
        private RunAllNow() { }
    }

    /// <summary>The checks whose id matches run now and restart their schedule from now (<c>picomon run-now</c>);
    /// the sender gets <see cref="RunMatchingStarted"/> with how many matched.</summary>
    public sealed record RunMatchingNow(CheckPatterns Patterns) : INoSerializationVerificationNeeded;

    public sealed record RunMatchingStarted(int Matched) : INoSerializationVerificationNeeded;

    /// <summary>The checks of these ids run now (the aggregator's dependencies: a parent whose verdict a check waits for,
    /// checks whose parent recovered); no answer, and an id not running is passed over.</summary>
    public sealed record RunChecksNow(IReadOnlyList<string> Ids) : INoSerializationVerificationNeeded;

    /// <summary>Stop scheduling runs; the sender gets <see cref="ChecksStopped"/> once no run is in flight.</summary>
    public sealed class StopChecks : INoSerializationVerificationNeeded
    {
        public static readonly StopChecks Instance = new();
        private StopChecks() { }
    }

    public sealed class ChecksStopped : INoSerializationVerificationNeeded
    {
        public static readonly ChecksStopped Instance = new();
        private ChecksStopped() { }
    }

    /// <summary>A reload (SIGHUP): unchanged checks keep running untouched; changed ones are restarted (and
    /// resume their state from the aggregator); new ones start; removed ones stop. Replies <see cref="Reconfigured"/>.</summary>
    public sealed record Reconfigure(IReadOnlyList<CheckDefinition> Checks, TimeSpan BaseTick) : INoSerializationVerificationNeeded;

    public sealed record Reconfigured(int Unchanged, int Changed, int Added, int Removed) : INoSerializationVerificationNeeded;

    /// <summary>How the supervisor's first checks start: their first runs spread over <see cref="FirstRunWindow"/> (at
    /// most the base tick); and whether it is one partition of a cluster node, which runs one supervisor per partition:
    /// then the node reports their load once for all, and the partition logs its start.</summary>
    public sealed record Placement(TimeSpan? FirstRunWindow, bool Partition)
    {
        /// <summary>A daemon's start: over the first base tick, with the load report.</summary>
        public static readonly Placement Start = new(null, false);
    }

    /// <summary>The timer's message (and key) for the restart of a crashed check.</summary>
    private sealed record RestartDue(string Id) : INoSerializationVerificationNeeded;

    private readonly HashSet<IActorRef> _running = [];
    private readonly Dictionary<string, (CheckDefinition Check, IActorRef Child)> _children = new(StringComparer.Ordinal);
    // Replacements waiting for the old actor of the same id (and name) to be gone.
    private readonly Dictionary<IActorRef, CheckDefinition> _replacing = [];
    private readonly List<IActorRef> _stopRequesters = [];
    // Crashed checks waiting for their restart, a timer each.
    private readonly Dictionary<string, CheckDefinition> _waiting = new(StringComparer.Ordinal);
    private readonly RestartBackoff _backoff = new();
    private readonly Func<CheckDefinition, IProbe> _probeFactory;
    private readonly IActorRef _aggregator;
    private readonly LoadStats _load;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private TimeSpan _baseTick;
    private bool _stopping;

    /// <param name="load">The checks' schedule statistics; a fresh one when null (the caller may read it).</param>
    /// <param name="placement">Where the checks come from; <see cref="Placement.Start"/> when null.</param>
    public ChecksSupervisor(IReadOnlyList<CheckDefinition> checks, Func<CheckDefinition, IProbe> probeFactory,
        IActorRef aggregator, TimeSpan baseTick, LoadStats? load = null, Placement? placement = null)
    {
        _probeFactory = probeFactory;
        _aggregator = aggregator;
        _baseTick = baseTick;
        _load = load ?? new LoadStats();
        placement ??= Placement.Start;
        if (!placement.Partition) Context.ActorOf(LoadMonitor.Props(_load), LoadMonitor.ActorName);
        var window = placement.FirstRunWindow is { } w && w < baseTick ? w : baseTick;
        var origin = Context.System.Scheduler.Now;
        for (var i = 0; i < checks.Count; i++)
            Start(checks[i], i, checks.Count, window, origin);
        if (!placement.Partition) _log.Info("Started {0} checks", checks.Count);

        Receive<RunAllNow>(_ =>
        {
            if (!_stopping) foreach (var child in _running) child.Tell(CheckActor.RunNow.Instance);
        });
        Receive<RunMatchingNow>(OnRunMatchingNow);
        Receive<RunChecksNow>(run =>
        {
            if (_stopping) return;
            foreach (var id in run.Ids)
                if (_children.TryGetValue(id, out var child)) child.Child.Tell(CheckActor.RunNow.Instance);
        });
        Receive<StopChecks>(_ => OnStopChecks());
        Receive<Reconfigure>(OnReconfigure);
        Receive<Terminated>(OnTerminated);
        Receive<RestartDue>(due =>
        {
            if (_stopping || !_waiting.Remove(due.Id, out var check)) return;
            _log.Info("{0}: restarting the check", due.Id);
            Start(check, 0, 1);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private void OnTerminated(Terminated t)
    {
        _running.Remove(t.ActorRef);
        if (_replacing.Remove(t.ActorRef, out var replacement))
        {
            if (!_stopping) Start(replacement, 0, 1);
        }
        // A check still current was not asked to stop: the strategy stopped it after a crash.
        else if (!_stopping && CurrentCheck(t.ActorRef) is { } crashed) RestartLater(crashed);
        ReplyIfStopped();
    }

    private CheckDefinition? CurrentCheck(IActorRef child) =>
        _children.TryGetValue(Uri.UnescapeDataString(child.Path.Name), out var current) && current.Child.Equals(child)
            ? current.Check : null;

    private void RestartLater(CheckDefinition check)
    {
        var (delay, crashes) = _backoff.Crashed(check.Id, Context.System.Scheduler.Now);
        _children.Remove(check.Id);
        _waiting[check.Id] = check;
        Timers.StartSingleTimer(new RestartDue(check.Id), new RestartDue(check.Id), delay);
        _log.Warning("{0}: the check crashed ({1} in a row); restarting it in {2:0.###} s", check.Id, crashes, delay.TotalSeconds);
    }

    private void Forget(string id)
    {
        _backoff.Forget(id);
        if (_waiting.Remove(id)) Timers.Cancel(new RestartDue(id));
    }

    /// <summary>Check i of N first runs at window × i / N (the base tick unless the placement says otherwise) after
    /// <paramref name="origin"/> (now unless given: one instant for a whole batch), so a thousand checks do not start in
    /// the same millisecond, and their runs after it stay as evenly spread.</summary>
    private void Start(CheckDefinition check, int index, int count, TimeSpan? window = null, DateTimeOffset? origin = null)
    {
        var firstRunAt = (origin ?? Context.System.Scheduler.Now) + TimeSpan.FromTicks((window ?? _baseTick).Ticks * index / count);
        var child = Context.ActorOf(
            CheckActor.Props(check, _probeFactory(check), _aggregator, _baseTick, firstRunAt, _load),
            CheckActor.ActorName(check.Id));
        Context.Watch(child);
        _running.Add(child);
        _children[check.Id] = (check, child);
    }

    // A check being replaced by a reload is not counted: its replacement runs first when it starts.
    private void OnRunMatchingNow(RunMatchingNow request)
    {
        var matched = _stopping ? [] : _children.Where(c => request.Patterns.Matches(c.Key)).ToList();
        foreach (var (_, child) in matched) child.Child.Tell(CheckActor.RunNow.Instance);
        Sender.Tell(new RunMatchingStarted(matched.Count));
    }

    private void OnReconfigure(Reconfigure update)
    {
        if (_stopping) return;
        var tickChanged = update.BaseTick != _baseTick;
        _baseTick = update.BaseTick;
        var wanted = update.Checks.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var removed = _children.Keys.Concat(_waiting.Keys).Where(id => !wanted.ContainsKey(id)).ToList();
        foreach (var id in removed)
        {
            if (_children.Remove(id, out var gone)) Context.Stop(gone.Child);
            Forget(id);
        }
        var (unchanged, changed, added) = (0, 0, new List<CheckDefinition>());
        foreach (var check in update.Checks)
        {
            if (_waiting.TryGetValue(check.Id, out var waiting))
            {
                // Still waiting for its restart: it restarts with the new definition.
                if (!tickChanged && waiting == check) unchanged++;
                else (changed, _waiting[check.Id]) = (changed + 1, check);
            }
            else if (!_children.TryGetValue(check.Id, out var current)) added.Add(check);
            else if (!tickChanged && current.Check == check) unchanged++;
            else
            {
                changed++;
                Context.Stop(current.Child);
                _children.Remove(check.Id);
                _backoff.Forget(check.Id);
                _replacing[current.Child] = check;
            }
        }
        var now = Context.System.Scheduler.Now;
        for (var i = 0; i < added.Count; i++)
        {
            // A check removed by an earlier reload may still be stopping under the same name.
            var leaving = Context.Child(CheckActor.ActorName(added[i].Id));
            if (leaving.IsNobody()) Start(added[i], i, added.Count, origin: now);
            else _replacing[leaving] = added[i];
        }
        Sender.Tell(new Reconfigured(unchanged, changed, added.Count, removed.Count));
    }

    public static Props Props(IReadOnlyList<CheckDefinition> checks, Func<CheckDefinition, IProbe> probeFactory,
        IActorRef aggregator, TimeSpan baseTick, LoadStats? load = null, Placement? placement = null) =>
        Akka.Actor.Props.Create(() => new ChecksSupervisor(checks, probeFactory, aggregator, baseTick, load, placement));

    // The rule: a check that throws is stopped (the failure is logged) and re-created alone after a backoff
    // (RestartLater), every time, with no retry limit. Nothing one check does may stop another check or the
    // daemon, a crashing check never restarts in a tight loop, and a restarted check resumes its state from
    // the aggregator. While stopping, a crashed check stays stopped: it would only resume running.
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: -1, withinTimeMilliseconds: -1, _ => Directive.Stop, loggingEnabled: true);

    private void OnStopChecks()
    {
        _stopping = true;
        foreach (var id in _waiting.Keys.ToList()) Forget(id);
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
