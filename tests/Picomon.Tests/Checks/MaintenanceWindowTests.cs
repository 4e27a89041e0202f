using Cronos;
using Picomon.Checks;

namespace Picomon.Tests.Checks;

public class MaintenanceWindowTests
{
    private static readonly CheckPatterns All = CheckPatterns.Parse(["*"], out _)!;
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    private static MaintenanceWindow Cron(string cron, TimeZoneInfo zone, TimeSpan duration) =>
        new("w", All, CronExpression.Parse(cron), zone, null, duration);

    private static DateTimeOffset Utc(string time) => DateTimeOffset.Parse(time + "Z");

    [Fact]
    public void A_fixed_window_is_active_from_its_start_for_its_duration_then_never_again()
    {
        var start = DateTimeOffset.Parse("2026-12-01T22:00:00+01:00");
        var window = new MaintenanceWindow("move", All, null, TimeZoneInfo.Utc, start, TimeSpan.FromHours(3));
        Assert.Equal((false, start), window.At(start.AddSeconds(-1)));
        Assert.Equal((true, start.AddHours(3)), window.At(start));
        Assert.Equal((true, start.AddHours(3)), window.At(start.AddHours(3).AddTicks(-1)));
        Assert.Equal((false, (DateTimeOffset?)null), window.At(start.AddHours(3)));
    }

    [Fact]
    public void A_cron_window_starts_at_each_occurrence_in_its_zone()
    {
        // Sundays at 02:00 in Paris: 01:00 UTC in winter.
        var window = Cron("0 2 * * SUN", Paris, TimeSpan.FromHours(1));
        Assert.Equal((false, Utc("2026-11-29T01:00:00")), window.At(Utc("2026-11-28T12:00:00")));
        Assert.Equal((true, Utc("2026-11-29T02:00:00")), window.At(Utc("2026-11-29T01:00:00")));
        Assert.Equal((false, Utc("2026-12-06T01:00:00")), window.At(Utc("2026-11-29T02:00:00")));
    }

    [Fact]
    public void Daylight_saving_changes_are_followed_a_skipped_start_happening_at_the_end_of_the_gap()
    {
        var window = Cron("30 2 * * *", Paris, TimeSpan.FromHours(1));
        // 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist and the window opens at 03:00 CEST (01:00 UTC).
        Assert.Equal((false, Utc("2026-03-29T01:00:00")), window.At(Utc("2026-03-29T00:30:00")));
        Assert.Equal((true, Utc("2026-03-29T02:00:00")), window.At(Utc("2026-03-29T01:10:00")));
        // The next day, summer time: 02:30 CEST is 00:30 UTC.
        Assert.Equal((false, Utc("2026-03-30T00:30:00")), window.At(Utc("2026-03-29T02:00:00")));
    }

    [Fact]
    public void Daylight_saving_changes_are_followed_a_repeated_hour_opening_the_window_once()
    {
        var window = Cron("30 2 * * *", Paris, TimeSpan.FromHours(1));
        // 2026-10-25: 03:00 CEST goes back to 02:00 CET; 02:30 happens twice, the window opens at the first (00:30 UTC).
        Assert.Equal((true, Utc("2026-10-25T01:30:00")), window.At(Utc("2026-10-25T00:45:00")));
        Assert.Equal((false, Utc("2026-10-26T01:30:00")), window.At(Utc("2026-10-25T01:45:00")));
    }
}
