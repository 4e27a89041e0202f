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
public sealed record CheckState(
    string Id,
    CheckStatus Status,
    DateTimeOffset Since,
    int ConsecutiveFailures,
    string LastMessage,
    DateTimeOffset? ErrorSince,
    DateTimeOffset? LastRun,
    TimeSpan? LastDuration);

/// <summary>The whole state table at one moment, rows ordered by check id (ordinal). Immutable:
/// the SIGUSR1 dump, the reporter and status output read it without touching the aggregator.</summary>
public sealed record StateSnapshot(DateTimeOffset TakenAt, IReadOnlyList<CheckState> Checks)
{
    /// <summary>Checks in error now, in id order.</summary>
    public IEnumerable<CheckState> InError => Checks.Where(c => c.Status == CheckStatus.Error);

    /// <summary>Checks that have been in error for strictly longer than <paramref name="duration"/> at
    /// <paramref name="now"/> (the global report's "failed for more than Ns").</summary>
    public IReadOnlyList<CheckState> InErrorLongerThan(TimeSpan duration, DateTimeOffset now) =>
        InError.Where(c => c.ErrorSince is { } since && now - since > duration).ToList();
}
