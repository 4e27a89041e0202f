using Picomon.Checks;

namespace Picomon.Tests.Checks;

public class StateSnapshotTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private static CheckState InError(string id) => new(id, CheckStatus.Error, T0, 3, "down", T0, T0, TimeSpan.FromSeconds(1), Incidents: 1);

    [Fact]
    public void The_dump_names_the_holds_of_a_held_Problem_and_of_a_flapping_check_and_of_no_other()
    {
        var rows = new[]
        {
            InError("a/notified") with { Held = HoldReasons.Maintenance },
            InError("b/held") with { Held = HoldReasons.Silence, HeldProblem = true },
            InError("c/flapping") with { Held = HoldReasons.Flapping, Flap = new FlapHistory(0b111, true, true) },
        };

        Assert.Equal(["", "silence", "flapping"], StateSnapshot.ToErrors(rows, id => id).Select(e => e.Hold));
    }
}
