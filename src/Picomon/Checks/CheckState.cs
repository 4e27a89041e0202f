namespace Picomon.Checks;

/// <summary>One row of the state table: what Picomon knows about one check. Immutable.</summary>
/// <param name="Since">When the check entered <see cref="Status"/>.</param>
/// <param name="LastMessage">The message of the last run (a failure message, or empty after a success).</param>
/// <param name="ErrorSince">When the current error began; null unless <see cref="Status"/> is Error.</param>
/// <param name="Incidents">How many incidents the check has had: the number of the open one while in
/// error, of the last one otherwise (0: none yet).</param>
/// <param name="Flap">The check's flap detection: its last runs' changes and whether it is flapping.</param>
public sealed record CheckState(
    string Id,
    CheckStatus Status,
    DateTimeOffset Since,
    int ConsecutiveFailures,
    string LastMessage,
    DateTimeOffset? ErrorSince,
    DateTimeOffset? LastRun,
    TimeSpan? LastDuration,
    int Incidents = 0,
    FlapHistory Flap = default)
{
    /// <summary>A check not seen before, first reported in <paramref name="status"/> at <paramref name="since"/>.</summary>
    public static CheckState New(string id, CheckStatus status, DateTimeOffset since) =>
        new(id, status, since, 0, "", status == CheckStatus.Error ? since : null, null, null);

    /// <summary>The row once <paramref name="transition"/> happened: its new status since the transition, and
    /// a new incident when it enters error.</summary>
    public CheckState After(CheckTransition transition) => this with
    {
        Status = transition.To,
        Since = transition.At,
        ConsecutiveFailures = transition.To == CheckStatus.Ok ? 0 : transition.ConsecutiveFailures,
        LastMessage = transition.To == CheckStatus.Ok ? "" : transition.Message,
        ErrorSince = transition.To == CheckStatus.Error ? transition.ErrorSince : null,
        Incidents = transition.IsProblem ? Incidents + 1 : Incidents,
    };
}
