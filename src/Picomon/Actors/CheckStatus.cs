using Picomon.Configuration;
using Picomon.Mail;
using Picomon.Probes;

namespace Picomon.Actors;

/// <summary>Where a check stands in its state machine: OK → Retrying → Error → OK.
/// A check is Ok exactly when its last run succeeded (or it has not failed yet).</summary>
public enum CheckStatus
{
    Ok,
    /// <summary>Failing, but fewer than <c>retry</c>+1 consecutive failures so far.</summary>
    Retrying,
    /// <summary>In error: <c>retry</c>+1 or more consecutive failures.</summary>
    Error,
}

/// <summary>One row of the state table: what Picomon knows about one check. Immutable.</summary>
/// <param name="Since">When the check entered <see cref="Status"/>.</param>
/// <param name="LastMessage">The message of the last run (a failure message, or empty after a success).</param>
/// <param name="ErrorSince">When the current error began; null unless <see cref="Status"/> is Error.</param>
/// <param name="ProblemMessageId">The Message-ID of the Problem mail of the current error, which the
/// recovery mail answers; null when no mail was sent for it.</param>
public sealed record CheckState(
    string Id,
    CheckStatus Status,
    DateTimeOffset Since,
    int ConsecutiveFailures,
    string LastMessage,
    DateTimeOffset? ErrorSince,
    DateTimeOffset? LastRun,
    TimeSpan? LastDuration,
    string? ProblemMessageId = null);

/// <summary>The whole state table at one moment, rows ordered by check id (ordinal). Immutable:
/// the SIGUSR1 dump, the reporter and status output read it without touching the aggregator.</summary>
public sealed record StateSnapshot(DateTimeOffset TakenAt, IReadOnlyList<CheckState> Checks)
{
    /// <summary>Checks in error now, in id order.</summary>
    public IEnumerable<CheckState> InError => Checks.Where(c => c.Status == CheckStatus.Error);

    /// <summary>Checks that have been in error for strictly longer than <paramref name="duration"/> at
    /// <paramref name="now"/> (the global report's "failed for more than Ns").</summary>
    /// <summary>The configured checks not in error (OK or retrying), in id order, as the dump and the report
    /// list them; a check that has not reported yet counts as OK.</summary>
    public IEnumerable<CheckNotInError> NotInError(IEnumerable<string> configured)
    {
        var rows = Checks.ToDictionary(c => c.Id);
        foreach (var id in configured.Order(StringComparer.Ordinal))
        {
            var status = rows.TryGetValue(id, out var row) ? row.Status : CheckStatus.Ok;
            if (status != CheckStatus.Error) yield return new CheckNotInError(id, status == CheckStatus.Retrying);
        }
    }

    /// <summary>Rows in error as the dump and report print them: since when the error began (local time), its message.</summary>
    public static IEnumerable<CheckInError> ToErrors(IEnumerable<CheckState> rows, Func<string, string> targetName) =>
        rows.Select(c => new CheckInError(c.Id, targetName(c.Id), (c.ErrorSince ?? c.Since).ToLocalTime(), c.LastMessage));

    public IReadOnlyList<CheckState> InErrorLongerThan(TimeSpan duration, DateTimeOffset now) =>
        InError.Where(c => c.ErrorSince is { } since && now - since > duration).ToList();
}

/// <summary>One check's failure counting (SPEC §4), free of time and actors: the (retry+1)-th consecutive
/// failure enters error, a single success resets the count, and only a success leaves error.</summary>
public sealed class CheckStateMachine(CheckDefinition check, TimeSpan baseTick)
{
    private DateTimeOffset? _errorSince;
    private string _lastFailure = "";

    public CheckStatus Status { get; private set; } = CheckStatus.Ok;
    public int ConsecutiveFailures { get; private set; }

    /// <summary>Until the next run: every × base-tick after a success, error-every × base-tick after a failure.</summary>
    public TimeSpan Interval => Status == CheckStatus.Ok ? check.Interval(baseTick) : check.ErrorInterval(baseTick);

    /// <summary>Continues from a state the aggregator remembered (after a restart).</summary>
    public void Resume(CheckState state)
    {
        (Status, ConsecutiveFailures, _errorSince) = (state.Status, state.ConsecutiveFailures, state.ErrorSince);
        _lastFailure = state.Status == CheckStatus.Ok ? "" : state.LastMessage;
    }

    /// <summary>Counts one result, finished at <paramref name="at"/>; returns the transition it caused, if any.</summary>
    public StateAggregator.CheckStateChanged? Apply(ProbeResult result, DateTimeOffset at)
    {
        var from = Status;
        if (result.Success)
        {
            var (failures, errorSince, lastFailure) = (ConsecutiveFailures, _errorSince, _lastFailure);
            (Status, ConsecutiveFailures, _errorSince, _lastFailure) = (CheckStatus.Ok, 0, null, "");
            return from == CheckStatus.Ok ? null : Transition(from, at, lastFailure, failures, errorSince);
        }
        ConsecutiveFailures++;
        _lastFailure = result.Message;
        // Once in error, a check stays there until a success, even if its retry setting changed meanwhile.
        Status = from == CheckStatus.Error || ConsecutiveFailures > check.Retry ? CheckStatus.Error : CheckStatus.Retrying;
        if (Status == CheckStatus.Error && from != CheckStatus.Error) _errorSince = at;
        return from == Status ? null : Transition(from, at, result.Message, ConsecutiveFailures, _errorSince);
    }

    private StateAggregator.CheckStateChanged Transition(
        CheckStatus from, DateTimeOffset at, string message, int failures, DateTimeOffset? errorSince) =>
        new(check, from, Status, at, message, failures, errorSince, check.ErrorInterval(baseTick));
}
