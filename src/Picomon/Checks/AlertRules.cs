namespace Picomon.Checks;

/// <summary>A check's alert-quality options, shared by every check of its group (one instance, not one per
/// check): <c>ok-after</c> and the flap detection's <c>flap-window</c>, <c>flap-high</c>, <c>flap-low</c>.</summary>
/// <param name="OkAfter">Successes in a row that end an error (≥ 1).</param>
/// <param name="FlapWindow">Runs the flap detection looks back over; 0 turns it off.</param>
/// <param name="FlapHigh">The weighted share of state changes at which a check starts flapping.</param>
/// <param name="FlapLow">The share at or below which it stops (below <paramref name="FlapHigh"/>).</param>
public sealed record AlertRules(int OkAfter, int FlapWindow, double FlapHigh, double FlapLow)
{
    /// <summary>The largest <c>flap-window</c>: the history is one 64-bit field.</summary>
    public const int MaxFlapWindow = 64;
}
