using Picomon.Checks;

namespace Picomon.Tests.Checks;

public sealed class CheckStateTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static CheckTransition Transition(CheckStatus from, CheckStatus to, DateTimeOffset at, int failures, DateTimeOffset? errorSince) =>
        new("a", from, to, at, "refused", failures, errorSince, Minute);

    [Fact]
    public void Entering_error_opens_the_next_incident_and_keeps_the_failure()
    {
        var row = new CheckState("a", CheckStatus.Retrying, T, 1, "refused", null, T, Minute, 4);

        var after = row.After(Transition(CheckStatus.Retrying, CheckStatus.Error, T + Minute, 2, T + Minute));

        Assert.Equal(row with { Status = CheckStatus.Error, Since = T + Minute, ConsecutiveFailures = 2, ErrorSince = T + Minute, Incidents = 5 },
            after);
    }

    [Fact]
    public void A_recovery_resets_the_failures_and_keeps_the_incident_count()
    {
        var row = new CheckState("a", CheckStatus.Error, T, 5, "refused", T, T + 4 * Minute, Minute, 2);

        var after = row.After(Transition(CheckStatus.Error, CheckStatus.Ok, T + 5 * Minute, 5, T));

        Assert.Equal(row with { Status = CheckStatus.Ok, Since = T + 5 * Minute, ConsecutiveFailures = 0, LastMessage = "", ErrorSince = null },
            after);
    }

    [Fact]
    public void Retrying_opens_no_incident()
    {
        var after = CheckState.New("a", CheckStatus.Ok, T).After(Transition(CheckStatus.Ok, CheckStatus.Retrying, T, 1, null));

        Assert.Equal((CheckStatus.Retrying, 1, "refused", 0, (DateTimeOffset?)null),
            (after.Status, after.ConsecutiveFailures, after.LastMessage, after.Incidents, after.ErrorSince));
    }
}
