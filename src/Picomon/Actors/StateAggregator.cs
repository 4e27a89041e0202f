using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Event;
using Picomon.Checks;
using Picomon.Configuration;
using Picomon.Metrics;
using Picomon.Notifications;
using Picomon.State;

namespace Picomon.Actors;

/// <summary>The single source of truth about checks: the state table (one <see cref="CheckState"/> per
/// check that has reported), fed by every <see cref="CheckRan"/> and <see cref="CheckChanged"/>, and kept
/// in the <see cref="IStateStore"/>. Logs transitions; turns each one into notifications
/// (<see cref="TransitionNotifications"/>, the only place that decides them) and commits them, pending, with the
/// check's new row in one write, then hands them to the <see cref="Notifier"/>. The rows and notifications of
/// what its mailbox holds are committed together (a storm of transitions is one write, not one each). Answers a
/// restarting check with its last known state, and gives immutable snapshots. Keeps the holds (maintenance
/// windows, silences, flapping) on each check's row and applies them to its notifications (<see cref="HeldNotifications"/>),
/// re-reading them whenever they change (<see cref="HoldCalendar.NextChange"/>, a silence command, a reload, a run that
/// starts or ends flapping). Applies the dependencies (<see cref="DependencyHolds"/>): a check entering error behind a
/// parent in error is unreachable and listed by the parent's incident (<see cref="AffectedNotifications"/>); one whose
/// parents have not run since waits for their verdict, and they are asked to run now (through the checks supervisor,
/// <see cref="AttachChecks"/>); a parent's recovery releases its unreachable checks to the reconcile rule and runs them
/// now.</summary>
public sealed partial class StateAggregator : ReceiveActor, IWithTimers
{
    /// <summary>One probe run of a check, with the status and flap history it left the check in.</summary>
    public sealed record CheckRan(
        string Id,
        bool Success,
        string Message,
        DateTimeOffset StartedAt,
        TimeSpan Duration,
        CheckStatus Status,
        int ConsecutiveFailures,
        FlapHistory Flap = default) : INoSerializationVerificationNeeded;

    /// <summary>A check changed status: the state machine's <paramref name="Transition"/>, and the definition
    /// its notifications name (type, target).</summary>
    public sealed record CheckChanged(CheckDefinition Check, CheckTransition Transition) : INoSerializationVerificationNeeded;

    /// <summary>Asks for one check's last known state; the answer is a <see cref="CheckStatusReply"/>.</summary>
    public sealed record GetCheckStatus(string Id) : INoSerializationVerificationNeeded;

    /// <summary><see cref="State"/> is null when the check is unknown.</summary>
    public sealed record CheckStatusReply(string Id, CheckState? State) : INoSerializationVerificationNeeded;

    /// <summary>Asks for the whole table; the answer is a <see cref="StateSnapshot"/>.</summary>
    public sealed class GetSnapshot : INoSerializationVerificationNeeded
    {
        public static readonly GetSnapshot Instance = new();
        private GetSnapshot() { }
    }

    /// <summary>The running configuration (at start and at each reload): its checks (the others are forgotten),
    /// maintenance windows and dependencies (among these checks: a parent elsewhere is not followed);
    /// <paramref name="BaseTick"/> turns a check's error-every into its error interval.</summary>
    public sealed record Reconfigure(IReadOnlyList<CheckDefinition> Checks, IReadOnlyList<MaintenanceWindow> Maintenance,
        TimeSpan BaseTick, DependencyGraph Dependencies) : INoSerializationVerificationNeeded
    {
        public static Reconfigure From(PicomonSettings settings) =>
            new(settings.Checks, settings.Maintenance, settings.BaseTick, settings.Dependencies);
    }

    /// <summary>The checks supervisor, once it exists: told <see cref="ChecksSupervisor.RunChecksNow"/> for a parent whose
    /// verdict a check waits for, and for checks whose parent recovered.</summary>
    public sealed record AttachChecks(IActorRef Checks) : INoSerializationVerificationNeeded;

    /// <summary>Silence <paramref name="Patterns"/> from now for <paramref name="For"/>; the answer is the new <see cref="Silence"/>.</summary>
    public sealed record AddSilence(IReadOnlyList<string> Patterns, TimeSpan For, string Comment) : INoSerializationVerificationNeeded;

    /// <summary>Asks for the active silences; the answer is a <see cref="SilenceList"/>.</summary>
    public sealed class ListSilences : INoSerializationVerificationNeeded
    {
        public static readonly ListSilences Instance = new();
        private ListSilences() { }
    }

    public sealed record SilenceList(IReadOnlyList<Silence> Silences) : INoSerializationVerificationNeeded;

    /// <summary>End silence <paramref name="Id"/> now; the answer is a <see cref="SilenceExpired"/>.</summary>
    public sealed record ExpireSilence(string Id) : INoSerializationVerificationNeeded;

    /// <summary><paramref name="Found"/> is false when no active silence had that id.</summary>
    public sealed record SilenceExpired(string Id, bool Found) : INoSerializationVerificationNeeded;

    /// <summary>In a cluster: a silence was added or expired elsewhere (in the shared store); look at them again, then
    /// answer the same message.</summary>
    public sealed class SilencesChanged : INoSerializationVerificationNeeded
    {
        public static readonly SilencesChanged Instance = new();
        private SilencesChanged() { }
    }

    /// <summary>Acknowledge the open incident of check <paramref name="CheckId"/>; the answer is an <see cref="Acknowledged"/>.</summary>
    public sealed record Acknowledge(string CheckId, string Comment) : INoSerializationVerificationNeeded;

    /// <summary>The acknowledgement, or why there is none (<paramref name="Refusal"/>).</summary>
    public sealed record Acknowledged(Acknowledgement? Ack, string? Refusal) : INoSerializationVerificationNeeded;

    /// <summary>Self-message: what the mailbox held before it is in the table; write it.</summary>
    private sealed class CommitDue
    {
        public static readonly CommitDue Instance = new();
        private CommitDue() { }
    }

    /// <summary>Self-message: a maintenance window opens or closes, or a silence ends, now.</summary>
    private sealed class HoldsDue
    {
        public static readonly HoldsDue Instance = new();
        private HoldsDue() { }
    }

    private readonly Dictionary<string, CheckState> _table = new(StringComparer.Ordinal);
    // Each check's last run, kept apart from its row (whose LastRun and LastDuration stay unset in the table) and
    // overwritten in place: a steady run then replaces nothing that lives until the next one. At 100,000 checks the
    // row each run replaced, kept a minute, fragmented gen2 until the runtime compacted it in one long pause (README,
    // Performance). Rows are shown with it (Viewed).
    private readonly Dictionary<string, LastRun> _lastRuns = new(StringComparer.Ordinal);
    private readonly IStateStore _store;
    private readonly IActorRef? _notifier;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HoldBook _holds;
    private readonly HoldCalendar _calendar = new();
    private readonly NotificationCounters? _counters;
    // What a held Problem, sent later, names: each check's definition and error interval.
    private readonly Dictionary<string, (CheckDefinition Check, TimeSpan ErrorInterval)> _checks = new(StringComparer.Ordinal);
    private IReadOnlyList<MaintenanceWindow> _windows = [];
    // Rows and notifications waiting for the CommitDue posted when the first of them came.
    private readonly Dictionary<string, StoredCheck> _unsaved = new(StringComparer.Ordinal);
    private readonly List<Notification> _unsent = [];
    private bool _commitDue;

    /// <param name="store">Where rows and pending notifications are kept; the table starts from the rows it remembers.</param>
    /// <param name="notifier">Told <see cref="Notifier.Queued"/> once notifications are committed; without it,
    /// transitions are only logged and saved.</param>
    /// <param name="counters">Counts the notifications the holds suppress.</param>
    public StateAggregator(IStateStore store, IActorRef? notifier, NotificationCounters? counters)
    {
        _store = store;
        _notifier = notifier;
        _counters = counters;
        _holds = new HoldBook(store.Holds);
        foreach (var row in store.LoadChecks()) _table[row.Id] = row.ToCheckState();
        Receive<CommitDue>(_ => Commit());
        Receive<HoldsDue>(_ => RefreshHolds());
        Receive<Reconfigure>(OnReconfigure);
        Receive<AttachChecks>(a => _checksSupervisor = a.Checks);
        Receive<CheckChanged>(OnChanged);
        Receive<CheckRan>(OnRan);
        Receive<GetCheckStatus>(q => Sender.Tell(new CheckStatusReply(q.Id, Viewed(_table.GetValueOrDefault(q.Id)))));
        Receive<GetSnapshot>(_ => Sender.Tell(TakeSnapshot()));
        Receive<AddSilence>(a =>
        {
            Sender.Tell(_holds.AddSilence(a.Patterns, a.For, a.Comment, Now));
            RefreshHolds();
        });
        Receive<ListSilences>(_ => Sender.Tell(new SilenceList(_holds.ActiveSilences(Now))));
        Receive<ExpireSilence>(e =>
        {
            Sender.Tell(new SilenceExpired(e.Id, _holds.ExpireSilence(e.Id, Now)));
            RefreshHolds();
        });
        Receive<Acknowledge>(OnAcknowledge);
        Receive<SilencesChanged>(m =>
        {
            RefreshHolds();
            Sender.Tell(m);
        });
    }

    public static Props Props(IStateStore store, IActorRef? notifier, NotificationCounters? counters = null) =>
        Akka.Actor.Props.Create(() => new StateAggregator(store, notifier, counters));

    public ITimerScheduler Timers { get; set; } = null!;

    // A restart: the silences in the store hold again, and a held Problem whose holds ended meanwhile waits for its run.
    protected override void PreStart() => RefreshHolds();

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    /// <summary>An elapsed time as H:MM:SS, whole seconds (hours are not wrapped at 24).</summary>
    public static string FormatElapsed(TimeSpan elapsed)
    {
        var seconds = (long)elapsed.TotalSeconds;
        return $"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}";
    }

    private void OnReconfigure(Reconfigure next)
    {
        var keep = next.Checks.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in _table.Keys.Where(id => !keep.Contains(id)).ToList())
        {
            _table.Remove(id);
            _lastRuns.Remove(id);
        }
        foreach (var id in _unsaved.Keys.Where(id => !keep.Contains(id)).ToList()) _unsaved.Remove(id);
        _store.ForgetChecksExcept(keep);
        _checks.Clear();
        foreach (var check in next.Checks) _checks[check.Id] = (check, check.ErrorInterval(next.BaseTick));
        _windows = next.Maintenance;
        var released = _dependencies.Reconfigure(next.Dependencies, keep, RowOf, Now);
        RefreshHolds();
        RunNow(released);
    }

    /// <summary>The holds changed (or may have): each row gets its holds now, and the reconcile rule where the last
    /// one ended; the next change is timed.</summary>
    private void RefreshHolds()
    {
        _calendar.Update(_windows, _holds.ActiveSilences(Now), Now);
        foreach (var row in _table.Values.ToList())
        {
            var next = HeldNotifications.Holds(row, HoldsOn(row), Now);
            if (next != row) _table[row.Id] = next;
            if (row.Held != HoldReasons.None && next.Held == HoldReasons.None && next.HeldProblem)
                _log.Info("{0}: holds ended; its Problem goes out if the next run confirms it", row.Id);
        }
        if (_calendar.NextChange is { } change) Timers.StartSingleTimer(nameof(HoldsDue), HoldsDue.Instance, change - Now);
        else Timers.Cancel(nameof(HoldsDue));
    }

    private void OnAcknowledge(Acknowledge ack)
    {
        var (made, refusal) = _holds.Acknowledge(ack.CheckId, _table.GetValueOrDefault(ack.CheckId), ack.Comment, Now);
        if (made is not null) _log.Info("{0}: acknowledged{1}", made.Incident, made.Comment.Length == 0 ? "" : $": {made.Comment}");
        Sender.Tell(new Acknowledged(made, refusal));
    }

    private void OnChanged(CheckChanged changed)
    {
        var (check, transition) = changed;
        Log(transition);
        var known = _table.TryGetValue(transition.CheckId, out var before);
        before ??= CheckState.New(transition.CheckId, transition.From, transition.At);
        _checks[check.Id] = (check, transition.ErrorInterval);
        var (verdict, runNow) = transition.IsProblem ? _dependencies.OnProblem(check.Id, RowOf, Now) : (DependencyHolds.Verdict.Own, []);
        var holds = _calendar.Of(check.Id) | (verdict == DependencyHolds.Verdict.Own ? HoldReasons.None : HoldReasons.Dependency);
        var (row, notifications, heldBy) = HeldNotifications.OnTransition(check, transition, before, holds);
        if (transition.IsRecovery && !row.OkHeld) _holds.Closed(Incident.Id(row.Id, row.Incidents));
        if (heldBy != HoldReasons.None) Suppressed(row, transition.IsProblem ? "Problem" : "OK", heldBy);
        LogFlapping(before, row);
        _table[row.Id] = row;
        if (_notifier is not null) _unsent.AddRange(notifications);
        if (!known || !StoredCheck.SameDurable(before, row) || notifications.Count > 0) Save(row);
        AfterTransition(row.Id, transition, verdict, runNow);
    }

    private void Suppressed(CheckState row, string what, HoldReasons heldBy)
    {
        foreach (var reason in Reconcile.Each(heldBy)) _counters?.Suppressed(Reconcile.Label(reason));
        _log.Info("{0}: {1} held ({2})", row.Id, what, Reconcile.Labels(heldBy));
    }

    private void LogFlapping(CheckState before, CheckState row)
    {
        if (!before.Flap.Flapping && row.Flap.Flapping)
            _log.Info("{0}: flapping; its notifications are held until it settles", row.Id);
        else if (before.Flap.Flapping && !row.Flap.Flapping)
            _log.Info("{0}: no longer flapping", row.Id);
    }

    private void Save(CheckState row)
    {
        CommitSoon();
        _unsaved[row.Id] = StoredCheck.From(row);
    }

    private void CommitSoon()
    {
        if (!_commitDue) Self.Tell(CommitDue.Instance);
        _commitDue = true;
    }

    /// <summary>One write: after a crash, a check is in error with its Problem pending, or neither is.</summary>
    private void Commit()
    {
        _commitDue = false;
        var pending = _store.CommitTransitions(_unsaved.Values.ToList(), _unsent);
        _unsaved.Clear();
        _unsent.Clear();
        if (pending.Count > 0) _notifier!.Tell(new Notifier.Queued(pending));
    }

    private void Log(CheckTransition transition)
    {
        if (transition.IsProblem)
            _log.Warning("{0}: entered error: {1}", transition.CheckId, transition.Message);
        else if (transition.IsRecovery)
            _log.Info("{0}: recovered after {1}", transition.CheckId, FormatElapsed(transition.ErrorDuration ?? TimeSpan.Zero));
        else
            _log.Debug("{0}: {1} -> {2}", transition.CheckId, transition.From, transition.To);
    }

    private void OnRan(CheckRan run)
    {
        var finished = run.StartedAt + run.Duration;
        // A row normally exists (the transition, if any, comes first); if the table lost it, the run
        // itself says where the check stands.
        var known = _table.TryGetValue(run.Id, out var before);
        before ??= CheckState.New(run.Id, run.Status, finished);
        CollectionsMarshal.GetValueRefOrAddDefault(_lastRuns, run.Id, out _) = new LastRun(run.StartedAt, run.Duration);
        var row = before.ConsecutiveFailures == run.ConsecutiveFailures && before.LastMessage == run.Message && before.Flap == run.Flap
            ? before
            : before with { ConsecutiveFailures = run.ConsecutiveFailures, LastMessage = run.Message, Flap = run.Flap };
        IReadOnlyList<Notification> sent = [];
        if (_checks.TryGetValue(run.Id, out var check))
            (row, sent) = HeldNotifications.OnRun(check.Check, before.Flap, row, NonFlappingHolds(row), run.StartedAt, finished,
                check.ErrorInterval);
        LogFlapping(before, row);
        // A Problem sent late lists the checks unreachable behind it now.
        if (sent.Count > 0)
            sent = [.. sent.Select(n => n.Kind == NotificationKind.Problem ? n with { Affected = UnreachableChildrenOf(run.Id) } : n)];
        foreach (var notification in sent) Released(notification);
        if (_notifier is not null) _unsent.AddRange(sent);
        _table[row.Id] = row;
        // A run that leaves an OK check OK, with no change in its flap window, costs no write: the last run and the holds
        // in force are not stored (the holds are recomputed at start).
        if (!known || !StoredCheck.SameDurable(before, row) || sent.Count > 0) Save(row);
        if (_dependencies.AwaitsVerdictOf(run.Id)) OnParentRan(run.Id, run.StartedAt);

        if (run.Success)
            _log.Debug("{0}: OK in {1:0} ms", run.Id, run.Duration.TotalMilliseconds);
        else
            _log.Debug("{0}: failed ({1}, {2} in a row) in {3:0} ms: {4}",
                run.Id, run.Status, run.ConsecutiveFailures, run.Duration.TotalMilliseconds, run.Message);
    }

    /// <summary>A run sent what the holds kept back, or the start of flapping.</summary>
    private void Released(Notification notification)
    {
        switch (notification.Kind)
        {
            case NotificationKind.Problem:
                _log.Warning("{0}: holds ended and the check is still in error: Problem", notification.CheckId);
                break;
            case NotificationKind.Ok:
                _log.Info("{0}: holds ended and the check is not in error: the OK of {1}", notification.CheckId, notification.Incident);
                _holds.Closed(notification.Incident);
                break;
            default:
                _log.Info("{0}: Flapping notification for {1}", notification.CheckId, notification.Incident);
                break;
        }
    }

    private StateSnapshot TakeSnapshot() =>
        new(Now, _table.Values.OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => Viewed(r)!).ToList());

    /// <summary>A row as the world sees it: with its last run.</summary>
    private CheckState? Viewed(CheckState? row) =>
        row is not null && _lastRuns.TryGetValue(row.Id, out var last) ? row with { LastRun = last.StartedAt, LastDuration = last.Duration } : row;

    private readonly record struct LastRun(DateTimeOffset StartedAt, TimeSpan Duration);
}
