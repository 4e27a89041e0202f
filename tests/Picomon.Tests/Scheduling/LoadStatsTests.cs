using Picomon.Scheduling;

namespace Picomon.Tests.Scheduling;

public sealed class LoadStatsTests
{
    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void A_window_counts_runs_late_runs_and_skips_since_the_earlier_sample()
    {
        var stats = new LoadStats();
        stats.RecordStart(Ms(5));
        stats.RecordSkipped(2);
        var before = stats.Snapshot();
        stats.RecordStart(Ms(1));
        stats.RecordStart(Ms(1500));
        stats.RecordSkipped(3);

        var window = stats.Snapshot().Since(before);

        Assert.Equal(new LoadWindow(2, 1, 3, Ms(1.1), Ms(1510), Ms(1510)), window);
    }

    [Fact]
    public void Percentiles_are_rounded_up_to_their_bucket()
    {
        var stats = new LoadStats();
        for (var i = 1; i <= 100; i++) stats.RecordStart(Ms(i));

        var window = stats.Snapshot().Since(LoadSample.Zero);

        Assert.Equal((Ms(50.1), Ms(99.1), Ms(110)), (window.P50, window.P99, window.Max));
        Assert.Equal(0, window.Late);
    }

    [Fact]
    public void Negative_lateness_counts_as_on_time_and_huge_lateness_lands_in_the_last_bucket()
    {
        var stats = new LoadStats();
        stats.RecordStart(Ms(-3));
        stats.RecordStart(TimeSpan.FromHours(2));

        var window = stats.Snapshot().Since(LoadSample.Zero);

        Assert.Equal((Ms(0.1), TimeSpan.FromMinutes(10), 1L), (window.P50, window.Max, window.Late));
    }

    [Fact]
    public void An_empty_window_reports_zeros() =>
        Assert.Equal(new LoadWindow(0, 0, 0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero),
            new LoadStats().Snapshot().Since(LoadSample.Zero));

    [Fact]
    public async Task Concurrent_recording_loses_no_run()
    {
        var stats = new LoadStats();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++) stats.RecordStart(Ms(i % 200));
        })));

        Assert.Equal(40_000, stats.Snapshot().Since(LoadSample.Zero).Runs);
    }
}
