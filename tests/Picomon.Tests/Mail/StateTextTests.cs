using Picomon.Checks;
using Picomon.Mail;

namespace Picomon.Tests.Mail;

public sealed class StateTextTests
{
    private const string Line = "-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+";

    private static readonly CheckInError[] Errors =
    [
        new("http4/web", "www.example.org", new DateTimeOffset(2026, 11, 24, 10, 2, 3, 500, TimeSpan.FromHours(1)),
            "HTTP 503 Service Unavailable (expected 2xx/3xx)"),
        new("plugin/disk", "disk", new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero), "DISK CRITICAL\r\n/ is 99% full\n"),
    ];

    private static readonly CheckNotInError[] Others = [new("ping4/localhost", false), new("smtp4/mx", true)];

    [Fact]
    public void Separator_is_80_characters_of_dash_plus()
    {
        Assert.Equal(80, StateText.Separator.Length);
        Assert.Equal(Line, StateText.Separator);
    }

    [Fact]
    public void Dump_matches_the_spec_character_for_character()
    {
        var expected =
            "Signal SIGUSR1 caught, printing state of checks.\n" +
            "\n" +
            "    Checks in error:\n" +
            Line + "\n" +
            "www.example.org: http4/web\n" +
            "Since 2026-11-24T10:02:03+01:00\n" +
            "\tHTTP 503 Service Unavailable (expected 2xx/3xx)\n" +
            Line + "\n" +
            "disk: plugin/disk\n" +
            "Since 2026-11-24T09:00:00+00:00\n" +
            "\tDISK CRITICAL\n" +
            "\t/ is 99% full\n" +
            Line + "\n" +
            "\n" +
            "    Other checks (usually OK but may be in retry mode):\n" +
            "Check ping4/localhost is OK\n" +
            "Check smtp4/mx is retrying\n";
        Assert.Equal(expected, StateText.Dump(Errors, Others));
    }

    [Fact]
    public void A_held_check_has_its_holds_after_its_since_line_and_the_other_blocks_are_unchanged()
    {
        var held = new CheckInError("ping4/db", "db", new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero), "timeout",
            "maintenance, silence");
        Assert.Equal(
            Line + "\ndb: ping4/db\nSince 2026-11-24T09:00:00+00:00\nHeld (maintenance, silence)\n\ttimeout\n" +
            Line + "\nwww.example.org: http4/web\nSince 2026-11-24T10:02:03+01:00\n\tHTTP 503 Service Unavailable (expected 2xx/3xx)\n" + Line + "\n",
            StateText.ErrorBlock([held, Errors[0]]));
    }

    [Fact]
    public void Dump_with_nothing_in_error_keeps_the_closing_separator()
    {
        var expected =
            "Signal SIGUSR1 caught, printing state of checks.\n\n    Checks in error:\n" + Line + "\n\n" +
            "    Other checks (usually OK but may be in retry mode):\nCheck ping4/localhost is OK\n";
        Assert.Equal(expected, StateText.Dump([], [Others[0]]));
    }

    [Fact]
    public void Error_block_is_a_separator_per_check_and_one_closing_separator()
    {
        var block = StateText.ErrorBlock([Errors[0]]);
        Assert.Equal(
            Line + "\nwww.example.org: http4/web\nSince 2026-11-24T10:02:03+01:00\n\tHTTP 503 Service Unavailable (expected 2xx/3xx)\n" + Line + "\n",
            block);
    }
}
