namespace Picomon.Checks;

/// <summary>One check's failure counting, free of time and actors: the (retry+1)-th consecutive failure
/// enters error, a single success resets the count, and only <c>ok-after</c> successes in a row leave error.
/// Each result is also recorded in the check's <see cref="FlapHistory"/>.</summary>
/// <remarks>One per check, and there may be 100,000: it is given its settings as values (the alert rules as the
/// group's one shared record) and the check's id with each result, and keeps the error's start without a nullable
/// wrapper (it only means something while in error); with the flap history and the success count it is 96 bytes.</remarks>
/// <param name="interval">Until the next run after a success: every × base-tick.</param>
/// <param name="errorInterval">Until the next run after a failure: error-every × base-tick.</param>
/// <param name="retry">Failures tolerated before error.</param>
/// <param name="rules">ok-after and the flap detection's settings.</param>
public sealed class CheckStateMachine(TimeSpan interval, TimeSpan errorInterval, int retry, AlertRules rules)
{
    private DateTimeOffset _errorSince; // valid while Status is Error
    private string _lastFailure = "";
    private int _successes; // successes in a row while in error

    public CheckStatus Status { get; private set; } = CheckStatus.Ok;
    public int ConsecutiveFailures { get; private set; }

    /// <summary>The last runs' changes and whether the check is flapping.</summary>
    public FlapHistory Flap { get; private set; }

    /// <summary>Until the next run: every × base-tick after a success out of error, error-every × base-tick
    /// otherwise (a failure, or a success that has not yet ended an error).</summary>
    public TimeSpan Interval => Status == CheckStatus.Ok ? interval : errorInterval;

    /// <summary>Continues from a state the aggregator remembered (after a restart).</summary>
    public void Resume(CheckState state)
    {
        (Status, ConsecutiveFailures, _errorSince, Flap) = (state.Status, state.ConsecutiveFailures, state.ErrorSince ?? state.Since, state.Flap);
        _lastFailure = state.Status == CheckStatus.Ok ? "" : state.LastMessage;
        _successes = 0;
    }

    /// <summary>Counts one result of check <paramref name="checkId"/>, finished at <paramref name="at"/>;
    /// returns the transition it caused, if any.</summary>
    /// <param name="message">The failure message; ignored for a success.</param>
    public CheckTransition? Apply(string checkId, bool success, string message, DateTimeOffset at)
    {
        Flap = Flap.Record(!success, rules);
        var from = Status;
        if (success)
        {
            // In error, ok-after successes in a row are needed; until then the check stays in error.
            if (from == CheckStatus.Error && ++_successes < rules.OkAfter) return null;
            var (failures, lastFailure) = (ConsecutiveFailures, _lastFailure);
            (Status, ConsecutiveFailures, _lastFailure, _successes) = (CheckStatus.Ok, 0, "", 0);
            return from == CheckStatus.Ok ? null
                : Transition(checkId, from, at, lastFailure, failures, from == CheckStatus.Error ? _errorSince : null);
        }
        ConsecutiveFailures++;
        _lastFailure = message;
        _successes = 0;
        // Once in error, a check stays there until a success, even if its retry setting changed meanwhile.
        Status = from == CheckStatus.Error || ConsecutiveFailures > retry ? CheckStatus.Error : CheckStatus.Retrying;
        if (Status == CheckStatus.Error && from != CheckStatus.Error) _errorSince = at;
        return from == Status ? null
            : Transition(checkId, from, at, message, ConsecutiveFailures, Status == CheckStatus.Error ? _errorSince : null);
    }

    private CheckTransition Transition(
        string checkId, CheckStatus from, DateTimeOffset at, string message, int failures, DateTimeOffset? errorSince) =>
        new(checkId, from, Status, at, message, failures, errorSince, errorInterval, Flap);
}
