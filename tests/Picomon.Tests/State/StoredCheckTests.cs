using Picomon.Checks;
using Picomon.State;

namespace Picomon.Tests.State;

/// <summary><see cref="StoredCheck.SameDurable"/> is the aggregator's allocation-free stand-in for comparing
/// <see cref="StoredCheck.From"/> of two rows: it must agree with that comparison for a change of every field of a row.</summary>
public sealed class StoredCheckTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 24, 10, 2, 3, TimeSpan.FromHours(1));

    private static readonly CheckState Row = new("http4/web", CheckStatus.Error, T, 3, "Connection refused", T, T,
        TimeSpan.FromMilliseconds(12), Incidents: 2, Flap: new FlapHistory(5, true, false));

    // One variant per field of a row, in the order of its constructor.
    private static readonly CheckState[] Variants =
    [
        Row with { Id = "http4/other" },
        Row with { Status = CheckStatus.Ok },
        Row with { Since = T.AddSeconds(1) },
        Row with { ConsecutiveFailures = 4 },
        Row with { LastMessage = "Operation timed out" },
        Row with { ErrorSince = null },
        Row with { LastRun = T.AddSeconds(2) },
        Row with { LastDuration = TimeSpan.FromMilliseconds(13) },
        Row with { Incidents = 3 },
        Row with { Flap = new FlapHistory(7, true, true) },
        Row with { HeldProblem = true },
        Row with { Held = HoldReasons.Silence },
        Row with { ConfirmAfter = T },
        Row with { OkHeld = true },
    ];

    [Fact]
    public void Every_field_of_a_row_has_a_variant() =>
        Assert.Equal(typeof(CheckState).GetConstructors().Max(c => c.GetParameters().Length), Variants.Length);

    [Fact]
    public void Agrees_with_comparing_the_stored_records()
    {
        Assert.True(StoredCheck.SameDurable(Row, Row with { }));
        foreach (var variant in Variants)
            Assert.Equal(StoredCheck.From(Row) == StoredCheck.From(variant), StoredCheck.SameDurable(Row, variant));
    }

    [Fact]
    public void Ignores_only_what_is_not_stored()
    {
        var ignored = Variants.Where(v => StoredCheck.SameDurable(Row, v)).ToList();
        Assert.Equal([Variants[6], Variants[7], Variants[11], Variants[12]], ignored);
    }
}
