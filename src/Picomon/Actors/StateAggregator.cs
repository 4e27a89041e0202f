using Akka.Actor;
using Akka.Event;
using Picomon.Configuration;
using Picomon.Mail;

namespace Picomon.Actors;

/// <summary>The single source of truth about checks: the state table (one <see cref="CheckState"/> per
/// check that has reported), fed by every <see cref="CheckRan"/> and <see cref="CheckStateChanged"/>.
/// Logs transitions, turns each Problem and recovery into one mail for the Mailer (remembering the
/// Problem mail's Message-ID so that the OK mail threads to it), answers a restarting check with its
/// last known state, and gives immutable snapshots.</summary>
public sealed class StateAggregator : ReceiveActor
{
    /// <summary>One probe run of a check, with the status it left the check in.</summary>
    public sealed record CheckRan(
        string Id,
        bool Success,
        string Message,
        DateTimeOffset StartedAt,
        TimeSpan Duration,
        CheckStatus Status,
        int ConsecutiveFailures);

    /// <summary>A check changed status. Carries everything a Problem or OK mail needs.</summary>
    /// <param name="At">When the run that caused it finished; for a recovery, when the error ended.</param>
    /// <param name="Message">The failure message; for a transition to Ok, the last failure message
    /// (what the check recovered from).</param>
    /// <param name="ConsecutiveFailures">Failures in a row at the transition (for a transition to Ok,
    /// the count that the success ended).</param>
    /// <param name="ErrorSince">When the error began: equals <paramref name="At"/> on entering error, the
    /// error's start on a recovery, null for transitions between Ok and Retrying.</param>
    /// <param name="ErrorInterval">The check's error-every × base-tick (the "N retries" of a recovery mail).</param>
    public sealed record CheckStateChanged(
        CheckDefinition Check,
        CheckStatus From,
        CheckStatus To,
        DateTimeOffset At,
        string Message,
        int ConsecutiveFailures,
        DateTimeOffset? ErrorSince,
        TimeSpan ErrorInterval)
    {
        public string Id => Check.Id;
        /// <summary>Entering error: a Problem mail.</summary>
        public bool IsProblem => To == CheckStatus.Error;
        /// <summary>Leaving error: an OK mail.</summary>
        public bool IsRecovery => From == CheckStatus.Error && To == CheckStatus.Ok;
        /// <summary>How long the error lasted, for a recovery.</summary>
        public TimeSpan? ErrorDuration => IsRecovery && ErrorSince is { } since ? At - since : null;
    }

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

    /// <summary>What alert mails need besides the transition: the composer, the mail settings and the base tick.</summary>
    public sealed record Alerting(MailComposer Composer, EmailSettings Emails, TimeSpan BaseTick);

    /// <summary>New mail settings (a reload): they apply to the next mail.</summary>
    public sealed record UpdateAlerting(Alerting Alerting);

    /// <summary>A reload: forget the checks that left the configuration.</summary>
    public sealed record Retain(IReadOnlyCollection<string> Ids);

    private readonly Dictionary<string, CheckState> _table = new(StringComparer.Ordinal);
    private readonly Persistence? _persistence;
    // A check whose transition produced a mail is saved only once the Mailer confirms that mail queued:
    // saving first could lose the mail in a crash (the restarted check would believe it sent). So a crash
    // in between resends at most that one mail, and never loses it.
    private readonly Dictionary<string, string> _mailsInFlight = new(StringComparer.Ordinal); // Message-ID → check
    private readonly Dictionary<string, int> _awaitingMail = new(StringComparer.Ordinal);      // check → mails in flight
    private readonly IActorRef? _mailer;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Alerting? _alerting;

    /// <summary>Where the durable part of the table goes (SPEC §8): the rows restored at start, a save for
    /// every row whose durable part changed, and the checks to keep after a reload.</summary>
    public sealed record Persistence(
        IReadOnlyList<CheckState> Restored, Action<CheckState> Save, Action<IReadOnlyCollection<string>> Retain);

    public StateAggregator(IActorRef? mailer, Alerting? alerting, Persistence? persistence)
    {
        _mailer = mailer;
        _alerting = alerting;
        _persistence = persistence;
        foreach (var row in persistence?.Restored ?? []) _table[row.Id] = row;
        Receive<UpdateAlerting>(u => _alerting = u.Alerting);
        Receive<Retain>(OnRetain);
        Receive<Mailer.Queued>(OnQueued);
        Receive<CheckStateChanged>(OnStateChanged);
        Receive<CheckRan>(OnRan);
        Receive<GetCheckStatus>(q => Sender.Tell(new CheckStatusReply(q.Id, _table.GetValueOrDefault(q.Id))));
        Receive<GetSnapshot>(_ => Sender.Tell(TakeSnapshot()));
    }

    /// <param name="mailer">Receives one <see cref="Mailer.Send"/> per Problem and recovery; with
    /// <paramref name="alerting"/> null, transitions are only logged (as with <c>--one</c>-less tests).</param>
    /// <param name="persistence">The durable store; null keeps the table in memory only.</param>
    public static Props Props(IActorRef? mailer, Alerting? alerting, Persistence? persistence = null) =>
        Akka.Actor.Props.Create(() => new StateAggregator(mailer, alerting, persistence));

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
        foreach (var id in _awaitingMail.Keys.Where(id => !keep.Contains(id)).ToList()) _awaitingMail.Remove(id);
        _persistence?.Retain(retain.Ids);
    }

    /// <summary>Every table write goes through here: the row is saved when its durable part changed
    /// (a run that leaves an OK check OK costs no write).</summary>
    private void Put(CheckState row)
    {
        var before = _table.GetValueOrDefault(row.Id);
        _table[row.Id] = row;
        if (_persistence is not null && !_awaitingMail.ContainsKey(row.Id) && (before is null || Durable(before) != Durable(row)))
            _persistence.Save(row);
    }

    private void OnQueued(Mailer.Queued queued)
    {
        if (!_mailsInFlight.Remove(queued.MessageId, out var id)) return;
        if (--_awaitingMail[id] > 0) return;
        _awaitingMail.Remove(id);
        if (_table.TryGetValue(id, out var row)) _persistence?.Save(row);
    }

    private static CheckState Durable(CheckState row) => row with { LastRun = null, LastDuration = null };

    private void OnStateChanged(CheckStateChanged change)
    {
        if ((change.IsProblem || change.IsRecovery) && _mailer is not null && _alerting is not null)
            _awaitingMail[change.Id] = _awaitingMail.GetValueOrDefault(change.Id) + 1;
        var row = _table.GetValueOrDefault(change.Id) ?? NewRow(change.Id, change.To, change.At);
        Put(row with
        {
            Status = change.To,
            Since = change.At,
            ConsecutiveFailures = change.ConsecutiveFailures,
            ErrorSince = change.To == CheckStatus.Error ? change.ErrorSince : null,
        });

        if (change.IsProblem)
            _log.Warning("{0}: entered error: {1}", change.Id, change.Message);
        else if (change.IsRecovery)
            _log.Info("{0}: recovered after {1}", change.Id, FormatElapsed(change.ErrorDuration ?? TimeSpan.Zero));
        else
            _log.Debug("{0}: {1} -> {2}", change.Id, change.From, change.To);

        if (change.IsProblem || change.IsRecovery) Alert(change);
    }

    private void Alert(CheckStateChanged change)
    {
        if (_mailer is null || _alerting is not { } a) return;
        var row = _table[change.Id];
        if (change.IsProblem)
        {
            var mail = a.Composer.Problem(a.Emails, change.Check, change.Message, change.At);
            Put(row with { ProblemMessageId = mail.MessageId });
            _mailsInFlight[mail.MessageId] = change.Id;
            _mailer.Tell(new Mailer.Send(mail, Acknowledge: true));
        }
        else
        {
            var mail = a.Composer.Recovery(a.Emails, change.Check, a.BaseTick, change.ErrorSince ?? change.At,
                change.At, row.ProblemMessageId);
            Put(row with { ProblemMessageId = null });
            _mailsInFlight[mail.MessageId] = change.Id;
            _mailer.Tell(new Mailer.Send(mail, Acknowledge: true));
        }
    }

    private void OnRan(CheckRan run)
    {
        var finished = run.StartedAt + run.Duration;
        // A row normally exists (the transition, if any, comes first); if the table lost it, the run
        // itself says where the check stands.
        var row = _table.GetValueOrDefault(run.Id) ?? NewRow(run.Id, run.Status, finished);
        Put(row with
        {
            ConsecutiveFailures = run.ConsecutiveFailures,
            LastMessage = run.Message,
            LastRun = run.StartedAt,
            LastDuration = run.Duration,
        });

        if (run.Success)
            _log.Debug("{0}: OK in {1:0} ms", run.Id, run.Duration.TotalMilliseconds);
        else
            _log.Debug("{0}: failed ({1}, {2} in a row) in {3:0} ms: {4}",
                run.Id, run.Status, run.ConsecutiveFailures, run.Duration.TotalMilliseconds, run.Message);
    }

    private static CheckState NewRow(string id, CheckStatus status, DateTimeOffset since) =>
        new(id, status, since, 0, "", status == CheckStatus.Error ? since : null, null, null, null);

    private StateSnapshot TakeSnapshot() =>
        new(Context.System.Scheduler.Now, _table.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToList());
}
