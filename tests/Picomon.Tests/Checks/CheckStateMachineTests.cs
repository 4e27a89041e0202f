using Picomon.Checks;

namespace Picomon.Tests.Checks;

public class CheckStateMachineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private static CheckStateMachine Machine(int retry, int okAfter, int flapWindow = 0) =>
        new(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), retry, new AlertRules(okAfter, flapWindow, 0.30, 0.25));

    [Fact]
    public void With_ok_after_three_a_check_in_error_recovers_on_the_third_success_in_a_row()
    {
        var machine = Machine(retry: 0, okAfter: 3);
        Assert.True(machine.Apply("c", false, "down", T0)!.IsProblem);
        Assert.Null(machine.Apply("c", true, "", T0.AddMinutes(2)));
        Assert.Null(machine.Apply("c", true, "", T0.AddMinutes(4)));
        Assert.Equal(CheckStatus.Error, machine.Status);
        Assert.Equal(TimeSpan.FromMinutes(2), machine.Interval); // still in error: error-every
        var recovery = machine.Apply("c", true, "", T0.AddMinutes(6));
        Assert.True(recovery!.IsRecovery);
        Assert.Equal(T0, recovery.ErrorSince);
        Assert.Equal("down", recovery.Message);
    }

    [Fact]
    public void A_failure_between_successes_starts_the_ok_after_count_again()
    {
        var machine = Machine(retry: 0, okAfter: 2);
        machine.Apply("c", false, "down", T0);
        Assert.Null(machine.Apply("c", true, "", T0.AddMinutes(1)));
        Assert.Null(machine.Apply("c", false, "down again", T0.AddMinutes(2)));
        Assert.Null(machine.Apply("c", true, "", T0.AddMinutes(3)));
        Assert.Equal(CheckStatus.Error, machine.Status);
        Assert.True(machine.Apply("c", true, "", T0.AddMinutes(4))!.IsRecovery);
    }

    [Fact]
    public void Ok_after_does_not_apply_to_a_check_still_retrying()
    {
        var machine = Machine(retry: 2, okAfter: 3);
        Assert.Equal(CheckStatus.Retrying, machine.Apply("c", false, "down", T0)!.To);
        Assert.Equal(CheckStatus.Ok, machine.Apply("c", true, "", T0.AddMinutes(1))!.To);
    }

    [Fact]
    public void Every_result_is_recorded_in_the_flap_history_and_a_resumed_machine_keeps_it()
    {
        var machine = Machine(retry: 0, okAfter: 2, flapWindow: 10);
        foreach (var (failed, i) in new[] { true, false, true }.Select((f, i) => (f, i)))
            machine.Apply("c", !failed, "x", T0.AddMinutes(i));
        Assert.True(machine.Flap.Flapping);
        var resumed = Machine(retry: 0, okAfter: 2, flapWindow: 10);
        resumed.Resume(new CheckState("c", machine.Status, T0, machine.ConsecutiveFailures, "x", T0, null, null, Incidents: 1, Flap: machine.Flap));
        Assert.Equal(machine.Flap, resumed.Flap);
    }

    [Fact]
    public void A_transition_carries_the_flap_history_with_its_own_run_recorded()
    {
        var machine = Machine(retry: 0, okAfter: 1, flapWindow: 10);
        machine.Apply("c", false, "down", T0);
        machine.Apply("c", true, "", T0.AddMinutes(1));
        var problem = machine.Apply("c", false, "down", T0.AddMinutes(2))!;
        Assert.Equal((true, true), (problem.IsProblem, problem.Flap.Flapping)); // the run that enters error starts flapping
        Assert.Equal(machine.Flap, problem.Flap);
    }
}
