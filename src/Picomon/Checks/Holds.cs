namespace Picomon.Checks;

/// <summary>Why a check's notifications are held: each suppression is a reason attached to the check, not a branch
/// of its own, and <see cref="Reconcile"/> decides what to send when the last one goes.</summary>
[Flags]
public enum HoldReasons
{
    None = 0,
    /// <summary>A parent is in error (the check is <c>unreachable</c>), or its verdict is awaited.</summary>
    Dependency = 1,
    /// <summary>A maintenance window matching the check is active.</summary>
    Maintenance = 2,
    /// <summary>A silence matching the check is active.</summary>
    Silence = 4,
    /// <summary>The check is flapping.</summary>
    Flapping = 8,
}

/// <summary>What the reconcile rule sends when the last hold of a check ends.</summary>
public enum ReconcileVerdict
{
    /// <summary>Nothing: what was last notified still holds (no second Problem after a window).</summary>
    Nothing,
    /// <summary>In error and not notified: a Problem, once a run that started after the hold ended confirms it.</summary>
    ProblemAfterConfirmingRun,
    /// <summary>Notified and now OK: the OK of the notified incident.</summary>
    Ok,
}

/// <summary>The reconcile rule: when any hold ends (window, silence, parent, flapping), compare the check with what
/// was last notified. Pure.</summary>
public static class Reconcile
{
    /// <param name="status">Where the check stands now.</param>
    /// <param name="notified">A Problem of the check went out and its OK has not.</param>
    public static ReconcileVerdict Decide(CheckStatus status, bool notified) => (status, notified) switch
    {
        (CheckStatus.Error, false) => ReconcileVerdict.ProblemAfterConfirmingRun,
        (not CheckStatus.Error, true) => ReconcileVerdict.Ok,
        _ => ReconcileVerdict.Nothing,
    };

    /// <summary>Whether a recovery of a notified incident during holds <paramref name="holds"/> sends its OK at once
    /// (a Problem is never left without its OK): yes, except while flapping, whose OK waits for the flapping to end.</summary>
    public static bool OkAtOnce(HoldReasons holds) => (holds & HoldReasons.Flapping) == 0;

    /// <summary>Each reason of <paramref name="holds"/>, in declaration order.</summary>
    public static IEnumerable<HoldReasons> Each(HoldReasons holds) =>
        Enum.GetValues<HoldReasons>().Where(r => r != HoldReasons.None && holds.HasFlag(r));

    /// <summary>The labels of <paramref name="holds"/>, comma-separated, as status, the dump and the JSON show them.</summary>
    public static string Labels(HoldReasons holds) => string.Join(", ", Each(holds).Select(Label));

    /// <summary>The label of a reason in metrics and status (<c>maintenance</c>).</summary>
    public static string Label(HoldReasons reason) => reason switch
    {
        HoldReasons.Dependency => "dependency",
        HoldReasons.Maintenance => "maintenance",
        HoldReasons.Silence => "silence",
        HoldReasons.Flapping => "flapping",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "one reason at a time"),
    };
}
