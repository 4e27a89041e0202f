using Picomon.Cli;
using Picomon.Control;

namespace Picomon.Tests.Cli;

public class HoldCommandsTests
{
    [Theory]
    [InlineData("90", 90)]
    [InlineData("30m", 1800)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    public void For_takes_a_hocon_duration_or_seconds(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), HoldCommands.Duration(text));

    [Theory]
    [InlineData("0")]
    [InlineData("-5m")]
    [InlineData("soon")]
    [InlineData("")]
    public void For_refuses_what_is_not_a_positive_duration(string text) => Assert.Null(HoldCommands.Duration(text));

    [Fact]
    public void The_silence_list_is_an_aligned_table_in_local_time_and_says_when_it_is_empty()
    {
        var created = DateTimeOffset.Parse("2026-11-24T10:00:00Z");
        var table = HoldCommands.Table(
        [
            new SilenceView("0a1b2c3d", ["http4/*"], created, created.AddHours(1), "rack move"),
            new SilenceView("ffff0000", ["*/db", "tcp4/x"], created, created.AddDays(2), ""),
        ], TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));
        Assert.Equal(
            "ID        ENDS                       PATTERNS     COMMENT\n" +
            "0a1b2c3d  2026-11-24T12:00:00+01:00  http4/*      rack move\n" +
            "ffff0000  2026-11-26T11:00:00+01:00  */db tcp4/x\n", table);
        Assert.Equal("picomon: no active silence\n", HoldCommands.Table([], TimeZoneInfo.Utc));
    }
}
