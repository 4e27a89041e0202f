using Picomon.Checks;

namespace Picomon.Tests.Checks;

public class FlapHistoryTests
{
    private static readonly AlertRules Window10 = new(1, 10, 0.30, 0.25);

    private static FlapHistory Run(FlapHistory history, params bool[] failures) =>
        failures.Aggregate(history, (h, failed) => h.Record(failed, Window10));

    [Fact]
    public void Newer_changes_weigh_more_and_icinga_s_twenty_run_weights_are_kept()
    {
        // Window 20: a change at i (0 oldest … 19 newest) weighs 0.8 + 0.02·i, as in Icinga 2.
        Assert.Equal((0.8 + 0.02 * 19) / 20, FlapHistory.Share(0b1, 20), 10);
        Assert.Equal(0.8 / 20, FlapHistory.Share(1UL << 19, 20), 10);
        Assert.Equal(Enumerable.Range(0, 20).Sum(i => 0.8 + 0.02 * i) / 20, FlapHistory.Share((1UL << 20) - 1, 20), 10);
        Assert.Equal(0.0, FlapHistory.Share(0, 10));
    }

    [Fact]
    public void A_result_toggling_on_every_run_flaps_at_the_third_change_over_a_window_of_ten()
    {
        var history = Run(default, false, false, false);
        history = Run(history, true);         // 1 change: 0.116
        Assert.False(history.Flapping);
        history = Run(history, false);        // 2 changes: 0.228
        Assert.False(history.Flapping);
        history = Run(history, true);         // 3 changes: 0.336 >= 0.30
        Assert.True(history.Flapping);
    }

    [Fact]
    public void Flapping_ends_only_once_the_share_falls_to_flap_low()
    {
        var history = Run(default, true, false, true, false, true, false, true, false, true, false);
        Assert.True(history.Flapping);
        var stableRuns = 0;
        while (history.Flapping)
        {
            var share = FlapHistory.Share(history.Bits, 10);
            history = Run(history, false);
            stableRuns++;
            // Between the two thresholds it stays flapping (hysteresis).
            if (history.Flapping) Assert.True(FlapHistory.Share(history.Bits, 10) > 0.25, $"share {share}");
        }
        Assert.True(FlapHistory.Share(history.Bits, 10) <= 0.25);
        Assert.Equal(8, stableRuns); // the three oldest changes left weigh 0.252, two weigh 0.164
    }

    [Fact]
    public void With_the_window_at_zero_nothing_is_detected_and_only_the_last_result_is_kept()
    {
        var off = new AlertRules(1, 0, 0.30, 0.25);
        var history = new[] { true, false, true, false, true, false }.Aggregate(default(FlapHistory), (h, f) => h.Record(f, off));
        Assert.Equal(new FlapHistory(0, false, false), history);
    }

    [Fact]
    public void A_check_flapping_when_its_window_is_turned_off_stops_flapping_at_its_next_run()
    {
        var flapping = Run(default, true, false, true);
        Assert.True(flapping.Flapping);
        Assert.Equal(new FlapHistory(0, true, false), flapping.Record(true, new AlertRules(1, 0, 0.30, 0.25)));
    }

    [Fact]
    public void Only_the_window_s_runs_are_kept_in_the_bit_field()
    {
        var history = Run(default, true, false, true, false, true, false, true, false, true, false, true, false);
        Assert.Equal((1UL << 10) - 1, history.Bits);
        var wide = new AlertRules(1, 64, 0.30, 0.25);
        var full = Enumerable.Range(0, 100).Aggregate(default(FlapHistory), (h, i) => h.Record(i % 2 == 0, wide));
        Assert.Equal(ulong.MaxValue, full.Bits);
    }
}
