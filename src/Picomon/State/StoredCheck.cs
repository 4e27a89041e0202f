using Picomon.Checks;

namespace Picomon.State;

/// <summary>What a restart must remember about one check. Timestamps keep their offset, so
/// <c>Since 2026-11-24T10:02:03+01:00</c> prints the same after a restart.</summary>
/// <param name="ErrorSince">When the current error began; null unless <see cref="Status"/> is Error.</param>
/// <param name="Incidents">How many incidents the check has had (the number of the open or last one).</param>
/// <param name="HeldProblem">In error with its Problem held (a silence, a maintenance window…), not sent yet.</param>
/// <param name="Flap">The flap history: the last runs' changes, the last result, whether the check is flapping.</param>
/// <param name="OkHeld">Its notified incident recovered while flapping: the OK is owed.</param>
public sealed record StoredCheck(
    string Id,
    CheckStatus Status,
    DateTimeOffset Since,
    int ConsecutiveFailures,
    string LastMessage,
    DateTimeOffset? ErrorSince,
    int Incidents,
    bool HeldProblem = false,
    FlapHistory Flap = default,
    bool OkHeld = false)
{
    /// <summary>The durable part of a state-table row.</summary>
    public static StoredCheck From(CheckState state) =>
        new(state.Id, state.Status, state.Since, state.ConsecutiveFailures, state.LastMessage, state.ErrorSince, state.Incidents, state.HeldProblem,
            state.Flap, state.OkHeld);

    /// <summary>Whether two rows have the same durable part: <see cref="From"/> of each would be equal (compared field by
    /// field, without building them: the aggregator asks this of every run).</summary>
    public static bool SameDurable(CheckState a, CheckState b) =>
        a.Id == b.Id && a.Status == b.Status && a.Since.Equals(b.Since) && a.ConsecutiveFailures == b.ConsecutiveFailures
        && a.LastMessage == b.LastMessage && Nullable.Equals(a.ErrorSince, b.ErrorSince) && a.Incidents == b.Incidents
        && a.HeldProblem == b.HeldProblem && a.Flap == b.Flap && a.OkHeld == b.OkHeld;

    /// <summary>A state-table row to resume from; the last run and its duration are not stored.</summary>
    public CheckState ToCheckState() =>
        new(Id, Status, Since, ConsecutiveFailures, LastMessage, ErrorSince, LastRun: null, LastDuration: null, Incidents,
            Flap: Flap, HeldProblem: HeldProblem, OkHeld: OkHeld);
}
