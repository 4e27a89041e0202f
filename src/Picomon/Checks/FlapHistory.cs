namespace Picomon.Checks;

/// <summary>One check's flap detection over its last <c>flap-window</c> runs, as Icinga 2 does it
/// (<c>Checkable::UpdateFlappingStatus</c>, lib/icinga/checkable-flapping.cpp): each run records whether its
/// result (success or failure) differs from the run before it; the share of changes is weighted so that newer
/// runs weigh more. With W the window and the runs numbered i = 0 (oldest) … W−1 (newest), a change at i weighs
/// 0.8 + 0.4·i/W, and <c>share = Σ weight of the changes / W</c> (for W = 20 the weights are Icinga's 0.8 + 0.02·i;
/// a result changing on every run gives 0.98). The check starts flapping when the share reaches <c>flap-high</c> and
/// stops when it falls to <c>flap-low</c> or below. Runs before the first count as no change.</summary>
/// <remarks>A value of 16 bytes inside the check's state machine, as there may be 100,000 checks: the changes are
/// one bit field (bit 0 the newest run), the last result and the flapping state two flags. It is also what the
/// aggregator stores, so a restart keeps it (<see cref="Bits"/>, <see cref="LastFailed"/>,
/// <see cref="Flapping"/>).</remarks>
public readonly record struct FlapHistory(ulong Bits, bool LastFailed, bool Flapping)
{
    /// <summary>The history once a run with result <paramref name="failed"/> is recorded under <paramref name="rules"/>;
    /// with a window of 0 (no detection) only the last result is kept: a check whose detection a reload turned off stops
    /// flapping at its next run, rather than staying held.</summary>
    public FlapHistory Record(bool failed, AlertRules rules)
    {
        if (rules.FlapWindow == 0) return new FlapHistory(0, failed, false);
        var bits = ((Bits << 1) | (failed != LastFailed ? 1UL : 0UL)) & Mask(rules.FlapWindow);
        var share = Share(bits, rules.FlapWindow);
        var flapping = Flapping ? share > rules.FlapLow : share >= rules.FlapHigh;
        return new FlapHistory(bits, failed, flapping);
    }

    /// <summary>The weighted share of state changes of <paramref name="bits"/> over a window of <paramref name="window"/> runs.</summary>
    public static double Share(ulong bits, int window)
    {
        var sum = 0.0;
        for (var age = 0; age < window; age++) // age 0 is the newest run, i = window − 1
            if ((bits >> age & 1) != 0) sum += 0.8 + 0.4 * (window - 1 - age) / window;
        return sum / window;
    }

    private static ulong Mask(int window) => window >= 64 ? ulong.MaxValue : (1UL << window) - 1;
}
