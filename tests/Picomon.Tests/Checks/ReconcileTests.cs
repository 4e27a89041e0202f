using Picomon.Checks;

namespace Picomon.Tests.Checks;

public class ReconcileTests
{
    [Theory]
    [InlineData(CheckStatus.Error, false, ReconcileVerdict.ProblemAfterConfirmingRun)]
    [InlineData(CheckStatus.Ok, true, ReconcileVerdict.Ok)]
    [InlineData(CheckStatus.Retrying, true, ReconcileVerdict.Ok)]
    [InlineData(CheckStatus.Error, true, ReconcileVerdict.Nothing)]
    [InlineData(CheckStatus.Ok, false, ReconcileVerdict.Nothing)]
    [InlineData(CheckStatus.Retrying, false, ReconcileVerdict.Nothing)]
    public void When_the_last_hold_ends_the_check_is_compared_with_what_was_notified(
        CheckStatus status, bool notified, ReconcileVerdict verdict) =>
        Assert.Equal(verdict, Reconcile.Decide(status, notified));

    [Fact]
    public void A_notified_incident_recovering_during_a_hold_gets_its_ok_at_once_unless_the_check_is_flapping()
    {
        Assert.True(Reconcile.OkAtOnce(HoldReasons.Maintenance | HoldReasons.Silence | HoldReasons.Dependency));
        Assert.False(Reconcile.OkAtOnce(HoldReasons.Flapping | HoldReasons.Silence));
    }
}
