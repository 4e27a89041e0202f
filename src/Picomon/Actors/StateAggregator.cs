using Akka.Actor;
using Akka.Event;
using Picomon.Checks;
using Picomon.Configuration;
using Picomon.Notifications;
using Picomon.State;

namespace Picomon.Actors;

/// <summary>The single source of truth about checks: the state table (one <see cref="CheckState"/> per
/// check that has reported), fed by every <see cref="CheckRan"/> and <see cref="CheckChanged"/>, and kept
/// in the <see cref="IStateStore"/>. Logs transitions; turns each one into notifications
/// (<see cref="TransitionNotifications"/>, the only place that decides them) and commits them, pending, with the
/// check's new row in one write, then hands them to the <see cref="Notifier"/>. The rows and notifications of
/// what its mailbox holds are committed together (a storm of transitions is one write, not one each). Answers a
/// restarting check with its last known state, and gives immutable snapshots.</summary>
public sealed class StateAggregator : ReceiveActor
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
        FlapHistory Flap = default);

    /// <summary>A check changed status: the state machine's <paramref name="Transition"/>, and the definition
    /// its notifications name (type, target).</summary>
    public sealed record CheckChanged(CheckDefinition Check, CheckTransition Transition);

    /// <summary>Asks for one check's last known state; the answer is a <see cref="CheckStatusReply"/>.</summary>
    public sealed record GetCheckStatus(string Id);

    /// <summary><see cref="State"/> is null when the check is unknown.</summary>
    public sealed record CheckStatusReply(string Id, CheckState? State);

    /// <summary>Asks for the whole table; the answer is a <see cref="StateSnapshot"/>.</summary>
    public sealed class GetSnapshot
    {
        public static readonly GetSnapshot Instance = new();
        private GetSnapshot() { }
    }

    /// <summary>A reload: forget the checks that left the configuration.</summary>
    public sealed record Retain(IReadOnlyCollection<string> Ids);

    /// <summary>Silence <paramref name="Patterns"/> from now for <paramref name="For"/>; the answer is the new <see cref="Silence"/>.</summary>
    public sealed record AddSilence(IReadOnlyList<string> Patterns, TimeSpan For, string Comment);

    /// <summary>Asks for the active silences; the answer is a <see cref="SilenceList"/>.</summary>
    public sealed class ListSilences
    {
        public static readonly ListSilences Instance = new();
        private ListSilences() { }
    }

    public sealed record SilenceList(IReadOnlyList<Silence> Silences);

    /// <summary>End silence <paramref name="Id"/> now; the answer is a <see cref="SilenceExpired"/>.</summary>
    public sealed record ExpireSilence(string Id);

    /// <summary><paramref name="Found"/> is false when no active silence had that id.</summary>
    public sealed record SilenceExpired(string Id, bool Found);

    /// <summary>Acknowledge the open incident of check <paramref name="CheckId"/>; the answer is an <see cref="Acknowledged"/>.</summary>
    public sealed record Acknowledge(string CheckId, string Comment);

    /// <summary>The acknowledgement, or why there is none (<paramref name="Refusal"/>).</summary>
    public sealed record Acknowledged(Acknowledgement? Ack, string? Refusal);

    /// <summary>Self-message: what the mailbox held before it is in the table; write it.</summary>
    private sealed class CommitDue
    {
        public static readonly CommitDue Instance = new();
        private CommitDue() { }
    }

    private readonly Dictionary<string, CheckState> _table = new(StringComparer.Ordinal);
    private readonly IStateStore _store;
    private readonly IActorRef? _notifier;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HoldBook _holds;
    // Rows and notifications waiting for the CommitDue posted when the first of them came.
    private readonly Dictionary<string, StoredCheck> _unsaved = new(StringComparer.Ordinal);
    private readonly List<Notification> _unsent = [];
    private bool _commitDue;

    /// <param name="store">Where rows and pending notifications are kept; the table starts from the rows it remembers.</param>
    /// <param name="notifier">Told <see cref="Notifier.Queued"/> once notifications are committed; without it,
    /// transitions are only logged and saved.</param>
    public StateAggregator(IStateStore store, IActorRef? notifier)
    {
        _store = store;
        _notifier = notifier;
        _holds = new HoldBook(store.Holds);
        foreach (var row in store.LoadChecks()) _table[row.Id] = row.ToCheckState();
        Receive<CommitDue>(_ => Commit());
        Receive<Retain>(OnRetain);
        Receive<CheckChanged>(OnChanged);
        Receive<CheckRan>(OnRan);
        Receive<GetCheckStatus>(q => Sender.Tell(new CheckStatusReply(q.Id, _table.GetValueOrDefault(q.Id))));
        Receive<GetSnapshot>(_ => Sender.Tell(TakeSnapshot()));
        Receive<AddSilence>(a => Sender.Tell(_holds.AddSilence(a.Patterns, a.For, a.Comment, Now)));
        Receive<ListSilences>(_ => Sender.Tell(new SilenceList(_holds.ActiveSilences(Now))));
        Receive<ExpireSilence>(e => Sender.Tell(new SilenceExpired(e.Id, _holds.ExpireSilence(e.Id, Now))));
        Receive<Acknowledge>(OnAcknowledge);
    }

    public static Props Props(IStateStore store, IActorRef? notifier) =>
        Akka.Actor.Props.Create(() => new StateAggregator(store, notifier));

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    /// <summary>An elapsed time as H:MM:SS, whole seconds (hours are not wrapped at 24).</summary>
    public static string FormatElapsed(TimeSpan elapsed)
    {
        var seconds = (long)elapsed.TotalSeconds;
        return $"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}";
    }

    private void OnRetain(Retain retain)
    {
        var keep = retain.Ids.ToHashSet(StringComparer.Ordinal);
        foreach (var id in _table.Keys.Where(id => !keep.Contains(id)).ToList()) _table.Remove(id);
        foreach (var id in _unsaved.Keys.Where(id => !keep.Contains(id)).ToList()) _unsaved.Remove(id);
        _store.ForgetChecksExcept(retain.Ids);
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
        var row = before.After(transition);
        if (transition.IsRecovery) _holds.Closed(Incident.Id(row.Id, row.Incidents));
        _table[row.Id] = row;
        var notifications = TransitionNotifications.For(check, transition, row);
        if (_notifier is not null) _unsent.AddRange(notifications);
        if (!known || Durable(before) != Durable(row) || notifications.Count > 0) Save(row);
    }

    private void Save(CheckState row)
    {
        if (!_commitDue) Self.Tell(CommitDue.Instance);
        _commitDue = true;
        _unsaved[row.Id] = StoredCheck.From(row);
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
        var row = before with
        {
            ConsecutiveFailures = run.ConsecutiveFailures,
            LastMessage = run.Message,
            LastRun = run.StartedAt,
            LastDuration = run.Duration,
            Flap = run.Flap,
        };
        _table[row.Id] = row;
        // A run that leaves an OK check OK costs no write.
        if (!known || Durable(before) != Durable(row)) Save(row);

        if (run.Success)
            _log.Debug("{0}: OK in {1:0} ms", run.Id, run.Duration.TotalMilliseconds);
        else
            _log.Debug("{0}: failed ({1}, {2} in a row) in {3:0} ms: {4}",
                run.Id, run.Status, run.ConsecutiveFailures, run.Duration.TotalMilliseconds, run.Message);
    }

    // The flap history is kept in memory only: a change of it alone costs no write.
    private static CheckState Durable(CheckState row) => row with { LastRun = null, LastDuration = null, Flap = default };

    private StateSnapshot TakeSnapshot() =>
        new(Now, _table.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToList());
}
