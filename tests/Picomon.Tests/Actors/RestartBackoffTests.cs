using Picomon.Actors;

namespace Picomon.Tests.Actors;

public sealed class RestartBackoffTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly RestartBackoff _backoff = new();

    /// <summary>Crashes at once after each restart: returns the delays, in seconds.</summary>
    private List<double> CrashRightAfterEachRestart(string id, int crashes, DateTimeOffset from)
    {
        var (now, delays) = (from, new List<double>());
        for (var n = 0; n < crashes; n++)
        {
            var (delay, _) = _backoff.Crashed(id, now);
            delays.Add(delay.TotalSeconds);
            now += delay;
        }
        return delays;
    }

    [Fact]
    public void Doubles_from_one_second_up_to_a_minute_for_crashes_in_a_row()
    {
        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], CrashRightAfterEachRestart("a", 9, T));
    }

    [Fact]
    public void Counts_the_crashes_in_a_row()
    {
        Assert.Equal(1, _backoff.Crashed("a", T).Crashes);
        Assert.Equal(2, _backoff.Crashed("a", T + TimeSpan.FromSeconds(1)).Crashes);
    }

    [Fact]
    public void Starts_over_once_the_check_ran_long_enough_since_its_restart()
    {
        CrashRightAfterEachRestart("a", 3, T); // restarted at T + 7 s
        var restartedAt = T + TimeSpan.FromSeconds(7);

        Assert.Equal(TimeSpan.FromSeconds(8), _backoff.Crashed("a", restartedAt + RestartBackoff.Reset - TimeSpan.FromSeconds(1)).Delay);
        Assert.Equal(RestartBackoff.Min, _backoff.Crashed("a", restartedAt + TimeSpan.FromHours(1)).Delay);
    }

    [Fact]
    public void Checks_are_counted_apart_and_a_forgotten_one_starts_over()
    {
        CrashRightAfterEachRestart("a", 4, T);

        Assert.Equal(RestartBackoff.Min, _backoff.Crashed("b", T).Delay);
        _backoff.Forget("a");
        Assert.Equal(RestartBackoff.Min, _backoff.Crashed("a", T + TimeSpan.FromSeconds(20)).Delay);
    }
}
