namespace Picomon.Checks;

/// <summary>One row of the state table: what Picomon knows about one check. Immutable.</summary>
/// <param name="Since">When the check entered <see cref="Status"/>.</param>
/// <param name="LastMessage">The message of the last run (a failure message, or empty after a success).</param>
/// <param name="ErrorSince">When the current error began; null unless <see cref="Status"/> is Error, or its incident's OK
/// is owed (<see cref="OkHeld"/>): then when that incident began.</param>
/// <param name="Incidents">How many incidents the check has had: the number of the open one while in
/// error, of the last one otherwise (0: none yet).</param>
/// <param name="Flap">The check's flap detection: its last runs' changes and whether it is flapping.</param>
/// <param name="HeldProblem">In error, and its Problem was held (not sent): the reconcile rule sends it when the
/// holds end, or nothing if the check recovers first.</param>
/// <param name="Held">The holds on the check's notifications now (not stored: recomputed from the windows and
/// silences).</param>
/// <param name="ConfirmAfter">The last hold ended at this time with the Problem still held: a run that started then
/// or later and leaves the check in error sends it (not stored: a restart sets it again).</param>
/// <param name="OkHeld">Its notified incident recovered while the check was flapping: the incident stays open and its OK
/// is owed, sent when the holds end (a new failure meanwhile continues the same incident).</param>
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
    FlapHistory Flap = default,
    bool HeldProblem = false,
    HoldReasons Held = HoldReasons.None,
    DateTimeOffset? ConfirmAfter = null,
    bool OkHeld = false)
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
        ErrorSince = transition.To == CheckStatus.Error ? transition.ErrorSince : OkHeld ? ErrorSince : null,
        Incidents = transition.IsProblem ? Incidents + 1 : Incidents,
        HeldProblem = transition.To == CheckStatus.Error && HeldProblem,
        ConfirmAfter = transition.To == CheckStatus.Error ? ConfirmAfter : null,
    };

    /// <summary>A Problem of this check went out and its OK has not (what the reconcile rule compares with): in error
    /// with its Problem sent, or out of error with its OK owed.</summary>
    public bool Notified => Status == CheckStatus.Error ? !HeldProblem : OkHeld;
}
