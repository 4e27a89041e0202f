using Akka.Actor;
using Akka.Event;
using Picomon.Checks;
using Picomon.Configuration;
using Picomon.Net;
using Picomon.Probes;
using Picomon.Scheduling;
using static Picomon.Actors.StateAggregator;

namespace Picomon.Actors;

/// <summary>One check (README "Behaviour worth knowing", Checks): owns its schedule — one timer re-armed at each due time, due times
/// laid on a grid of scheduled starts so nothing drifts —, its consecutive-failure count and its state
/// machine OK → Retrying → Error → OK. Runs its probe off the mailbox, never two at once, and tells the
/// aggregator about every run and every transition. Its state survives a restart: it first asks the
/// aggregator where it stood, and runs nothing until the answer comes.</summary>
/// <remarks>Kept lean, as there may be 100,000 (measured): an UntypedActor (a ReceiveActor builds handler
/// lists per instance), no stash, a logger only once something is logged, Props without an expression tree,
/// the <see cref="LeanMailbox"/>, and its timer told straight to the scheduler rather than through
/// <c>IWithTimers</c> (whose dictionary, timer record, cancelable and token source cost ~480 bytes a check).</remarks>
public sealed class CheckActor : UntypedActor
{
    /// <summary>Run now (unless a run is in flight) and restart the schedule from now (SIGUSR1).</summary>
    public sealed class RunNow : INoSerializationVerificationNeeded { public static readonly RunNow Instance = new(); private RunNow() { } }

    /// <summary>Start no more runs; the actor stops itself once its in-flight run, if any, has finished.</summary>
    public sealed class StopScheduling : INoSerializationVerificationNeeded { public static readonly StopScheduling Instance = new(); private StopScheduling() { } }

    /// <summary>The timer's message. A new one each time the timer is armed: only the one in
    /// <see cref="_armed"/> counts, so re-arming or stopping cancels by forgetting (the stale one is
    /// dropped on arrival, or dead-lettered silently once the actor is gone).</summary>
    private sealed class Due : IDeadLetterSuppression, INoSerializationVerificationNeeded;

    /// <summary><see cref="Incarnation"/> tells a result of this actor instance from one of a run
    /// started before a restart. <see cref="FinishedAt"/> is when the probe ended, which may be a little before the
    /// actor hears of it (<see cref="SocketLoop.TryHold"/>).</summary>
    private sealed record RunCompleted(object Incarnation, ProbeResult Result, DateTimeOffset StartedAt, DateTimeOffset FinishedAt)
        : INoSerializationVerificationNeeded;

    private readonly CheckDefinition _check;
    private readonly IProbe _probe;
    private readonly IActorRef _aggregator;
    private readonly DateTimeOffset _firstRunAt;
    private readonly LoadStats? _load;
    private readonly CheckStateMachine _machine;
    private readonly object _incarnation = new();
    private ILoggingAdapter? _log;
    private Due? _armed; // the pending timer's message, if a timer is pending
    private ProbeRun? _run;

    private DateTimeOffset _scheduled; // scheduled start of the current (or last) run: the grid's origin
    private DateTimeOffset _due;       // next grid point; the timer is armed for it
    private bool _restored;            // the aggregator has answered; until then nothing runs
    private bool _runNowPending, _stopPending; // asked before restored: applied once restored
    private bool _inFlight, _stopping;

    /// <param name="firstRunAt">When the first run is due, on the scheduler's clock: its place in the supervisor's spread.
    /// The runs after it keep to that phase (see <see cref="StartSchedule"/>).</param>
    /// <param name="load">Where each run's lateness and each skipped run are counted, if anywhere.</param>
    public CheckActor(CheckDefinition check, IProbe probe, IActorRef aggregator, TimeSpan baseTick, DateTimeOffset firstRunAt,
        LoadStats? load)
    {
        (_check, _probe, _aggregator, _firstRunAt, _load) = (check, probe, aggregator, firstRunAt, load);
        _machine = new CheckStateMachine(check.Interval(baseTick), check.ErrorInterval(baseTick), check.Retry, check.Rules);
    }

    // By reflection: the lambda form compiles an expression per actor (~1 KB of native memory, ~1 ms of CPU each).
    public static Props Props(CheckDefinition check, IProbe probe, IActorRef aggregator, TimeSpan baseTick, DateTimeOffset firstRunAt,
        LoadStats? load = null) =>
        Akka.Actor.Props.Create(typeof(CheckActor), check, probe, aggregator, baseTick, firstRunAt, load)
            .WithMailbox(LeanMailbox.ConfigPath);

    /// <summary>A valid actor name for a check id, distinct for distinct ids (ids hold '/', ':', spaces…).</summary>
    public static string ActorName(string checkId) => Uri.EscapeDataString(checkId);

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    private ILoggingAdapter Log => _log ??= Context.GetLogger();

    // Also runs after a restart (PostRestart calls PreStart): the aggregator holds the state to resume.
    protected override void PreStart() => _aggregator.Tell(new GetCheckStatus(_check.Id));

    protected override void OnReceive(object message)
    {
        if (_restored) Running(message);
        else Restoring(message);
    }

    // A flag instead of a stash for what may come before the answer: many run-nows have the effect of one,
    // and a run-now after a stop is ignored anyway. A result now is of a run started before a restart.
    private void Restoring(object message)
    {
        switch (message)
        {
            case CheckStatusReply reply when reply.Id == _check.Id: Restore(reply); break;
            case RunNow: _runNowPending |= !_stopPending; break;
            case StopScheduling: _stopPending = true; break;
            case RunCompleted stale: OnCompleted(stale); break;
            case Due: break; // armed before a restart
            default: Unhandled(message); break;
        }
    }

    private void Restore(CheckStatusReply reply)
    {
        if (reply.State is { } state)
        {
            _machine.Resume(state);
            Log.Debug("{0}: resuming as {1} ({2} failures in a row)", _check.Id, state.Status, state.ConsecutiveFailures);
        }
        _restored = true;
        StartSchedule(Now);
        if (_runNowPending) OnRunNow();
        if (_stopPending) OnStop();
    }

    private void Running(object message)
    {
        switch (message)
        {
            case Due due when ReferenceEquals(due, _armed): _armed = null; OnDue(); break;
            case Due: break; // re-armed or stopped since
            case RunCompleted completed: OnCompleted(completed); break;
            case RunNow: OnRunNow(); break;
            case StopScheduling: OnStop(); break;
            default: Unhandled(message); break;
        }
    }

    private void ScheduleNext()
    {
        var now = Now;
        _armed = null;
        if (_due <= now)
        {
            OnDue();
            return;
        }
        _armed = new Due();
        // AK1004 warns of timers outliving the actor: this one is at most one interval away, and a Due that
        // arrives after a re-arm, a restart or a stop is dropped (see Due), never acted on.
#pragma warning disable AK1004
        Context.System.Scheduler.ScheduleTellOnce(_due - now, Self, _armed, ActorRefs.NoSender);
#pragma warning restore AK1004
    }

    private void OnDue()
    {
        if (!_inFlight)
        {
            StartRun(_due);
            return;
        }
        // Single flight: every grid point passed while the run is going is skipped, not queued.
        var interval = _machine.Interval;
        var skipped = PointsUpTo(_due, Now, interval);
        Log.Debug("{0}: previous run still in flight, skipping {1} run(s)", _check.Id, skipped);
        _load?.RecordSkipped(skipped);
        _due += interval * skipped;
        ScheduleNext();
    }

    /// <summary>The first run at the check's place in the supervisor's spread (<see cref="_firstRunAt"/>), and every run
    /// after it on the grid that place lays, one interval apart. A check the aggregator answers after its place (at the
    /// start of a large configuration the answers come over a second or more, in bursts) still keeps to that grid: it
    /// runs at once if it is late by at most a quarter of its interval, else at its next grid point.</summary>
    /// <remarks>Measured at 10,000 HTTP checks every 2 s (README "Performance", round 5): with the grid laid from the
    /// answer, the starts in each 50 ms of the cycle went from none to 2.2 times the even share, for good, and the crowded
    /// phases reached nginx tens of milliseconds late; with the place's grid they are even. Running every late check at
    /// once made most of them run twice in their first interval, a second burst at the start.</remarks>
    private void StartSchedule(DateTimeOffset now)
    {
        var interval = _machine.Interval;
        if (_firstRunAt <= now && now - _firstRunAt <= interval / 4)
        {
            StartRun(now, _firstRunAt + interval);
            return;
        }
        _due = _firstRunAt > now ? _firstRunAt : _firstRunAt + interval * PointsUpTo(_firstRunAt, now, interval);
        ScheduleNext();
    }

    /// <summary>How many points of the grid through <paramref name="point"/> (at or before <paramref name="now"/>) fall
    /// from it up to <paramref name="now"/>, both included: the next point after now is that many intervals on.</summary>
    private static long PointsUpTo(DateTimeOffset point, DateTimeOffset now, TimeSpan interval) =>
        (now - point).Ticks / interval.Ticks + 1;

    private void StartRun(DateTimeOffset scheduled) => StartRun(scheduled, scheduled + _machine.Interval);

    private void StartRun(DateTimeOffset scheduled, DateTimeOffset next)
    {
        _scheduled = scheduled;
        _inFlight = true;
        _run ??= new ProbeRun(Self, _probe, _check.Target, _check.Timeout, _incarnation, _load, Context.System.Scheduler);
        // On the thread pool: a probe doing synchronous work before its first await must not hold the mailbox.
        _run.Start(scheduled, Now);
        _due = next;
        ScheduleNext();
    }

    /// <summary>The actor's probe runs on the thread pool, one at a time: one work item for the actor's life, queued
    /// at each run, rather than a closure, two tasks and a continuation to pipe the result each run (at thousands of
    /// runs a second, what a run leaves for the garbage collector sets its pauses, README "Performance"). A probe that ends
    /// on the socket loop's thread has its result held there with the others of the moment, and told with them
    /// (<see cref="SocketLoop.TryHold"/>).</summary>
    private sealed class ProbeRun(IActorRef self, IProbe probe, ProbeTarget target, TimeSpan timeout, object incarnation,
        LoadStats? load, ITimeProvider clock) : IThreadPoolWorkItem, SocketLoop.IHandOff
    {
        private DateTimeOffset _scheduled, _started;
        private RunCompleted? _completed; // the result not yet told: one run at a time, so one result at most

        public void Start(DateTimeOffset scheduled, DateTimeOffset started)
        {
            (_scheduled, _started) = (scheduled, started);
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        public void Execute() => _ = RunAsync(_scheduled, _started);

        private async Task RunAsync(DateTimeOffset scheduled, DateTimeOffset started)
        {
            // Lateness is taken as the probe really starts, thread-pool queueing included.
            load?.RecordStart(clock.Now - scheduled);
            // Never throws (ProbeRunner turns a probe's exception into a failure).
            var result = await ProbeRunner.RunAsync(probe, target, timeout);
            _completed = new RunCompleted(incarnation, result, started, clock.Now);
            if (!SocketLoop.TryHold(this)) HandOff();
        }

        public void HandOff()
        {
            var completed = _completed!;
            _completed = null;
            self.Tell(completed);
        }
    }

    private void OnCompleted(RunCompleted completed)
    {
        if (!ReferenceEquals(completed.Incarnation, _incarnation))
        {
            Log.Debug("{0}: ignoring the result of a run started before a restart", _check.Id);
            return;
        }
        _inFlight = false;
        var now = Now;
        var intervalBefore = _machine.Interval;
        var result = completed.Result;
        var transition = _machine.Apply(_check.Id, result.Success, result.Message, now);
        if (_stopping) Context.Stop(Self);
        else if (_machine.Interval != intervalBefore) Regrid(now);

        // Told last, once the schedule is settled; the transition before the run, so the aggregator's row
        // has its new status before the run's details arrive.
        if (transition is not null) _aggregator.Tell(new CheckChanged(_check, transition));
        _aggregator.Tell(new CheckRan(_check.Id, result.Success, result.Message,
            completed.StartedAt, completed.FinishedAt - completed.StartedAt, _machine.Status, _machine.ConsecutiveFailures, _machine.Flap));
    }

    /// <summary>The result switched between every and error-every: the next run is one new interval after
    /// the scheduled start of the run that just ended; grid points already passed during it are skipped.</summary>
    private void Regrid(DateTimeOffset now)
    {
        var interval = _machine.Interval;
        _due = _scheduled + interval;
        if (_due < now)
        {
            var skipped = ((now - _due).Ticks + interval.Ticks - 1) / interval.Ticks;
            Log.Debug("{0}: run outlasted its next due time, skipping {1} run(s)", _check.Id, skipped);
            _load?.RecordSkipped(skipped);
            _due += interval * skipped;
        }
        ScheduleNext();
    }

    private void OnRunNow()
    {
        if (_stopping) return;
        if (!_inFlight)
        {
            StartRun(Now);
            return;
        }
        Log.Debug("{0}: run requested while one is in flight; schedule restarted from now", _check.Id);
        _scheduled = Now;
        _due = _scheduled + _machine.Interval;
        ScheduleNext();
    }

    private void OnStop()
    {
        _stopping = true;
        _armed = null;
        if (!_inFlight) Context.Stop(Self);
    }
}
