namespace Picomon.Checks;

/// <summary>A check changed status: what the state machine decided, free of actors and of mail. The
/// aggregator applies it to the check's row (<see cref="CheckState.After"/>) and turns it into
/// notifications.</summary>
/// <param name="At">When the run that caused it finished; for a recovery, when the error ended.</param>
/// <param name="Message">The failure message; for a transition to Ok, the last failure message
/// (what the check recovered from).</param>
/// <param name="ConsecutiveFailures">Failures in a row at the transition (for a transition to Ok,
/// the count that the success ended).</param>
/// <param name="ErrorSince">When the error began: equals <paramref name="At"/> on entering error, the
/// error's start on a recovery, null for transitions between Ok and Retrying.</param>
/// <param name="ErrorInterval">The check's error-every × base-tick (the "N retries" of a recovery).</param>
/// <param name="Flap">The check's flap history with the run that caused the transition recorded: the aggregator learns
/// here, before the run's own report, that flapping starts or ends with this run.</param>
public sealed record CheckTransition(
    string CheckId,
    CheckStatus From,
    CheckStatus To,
    DateTimeOffset At,
    string Message,
    int ConsecutiveFailures,
    DateTimeOffset? ErrorSince,
    TimeSpan ErrorInterval,
    FlapHistory Flap = default)
{
    /// <summary>Entering error: opens an incident.</summary>
    public bool IsProblem => To == CheckStatus.Error;

    /// <summary>Leaving error: closes the open incident.</summary>
    public bool IsRecovery => From == CheckStatus.Error && To == CheckStatus.Ok;

    /// <summary>How long the error lasted, for a recovery.</summary>
    public TimeSpan? ErrorDuration => IsRecovery && ErrorSince is { } since ? At - since : null;
}
