using Picomon.Checks;
using Picomon.Configuration;
using Picomon.Notifications;
using Picomon.Tests.Support;

namespace Picomon.Tests.Notifications;

/// <summary>Flapping as a hold, pure: what a transition or a run sends while a check starts, goes on and stops
/// flapping, with the notified incident's OK owed and its thread kept.</summary>
public class HeldNotificationsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tick = TimeSpan.FromMinutes(1);
    private static readonly AlertRules Rules = new(2, 10, 0.30, 0.25);
    private static readonly CheckDefinition Check = ActorTestChecks.Check("test/a", retry: 0, rules: Rules);
    private static readonly FlapHistory Steady = new(0, false, false);
    // Three changes in a row over a window of ten: 0.336, flapping.
    private static readonly FlapHistory Flapping = new(0b111, true, true);

    /// <summary>A check in error since <see cref="T0"/>, its Problem (incident 1) sent.</summary>
    private static CheckState Notified(FlapHistory flap) =>
        new("test/a", CheckStatus.Error, T0, 1, "down", T0, T0, TimeSpan.FromSeconds(1), Incidents: 1, Flap: flap);

    private static CheckTransition Recovery(DateTimeOffset at, FlapHistory flap) =>
        new("test/a", CheckStatus.Error, CheckStatus.Ok, at, "down", 1, T0, Tick, flap);

    private static CheckTransition Failure(DateTimeOffset at, FlapHistory flap) =>
        new("test/a", CheckStatus.Ok, CheckStatus.Error, at, "down again", 1, at, Tick, flap);

    [Fact]
    public void Flapping_starting_on_a_notified_incident_sends_one_Flapping_notification_in_its_incident()
    {
        var before = Notified(Steady with { Bits = 0b11, LastFailed = false });
        var (row, send) = HeldNotifications.OnRun(Check, before.Flap, before with { Flap = Flapping }, HoldReasons.None,
            T0 + Tick, T0 + Tick * 2, Tick);
        var flapping = Assert.Single(send);
        Assert.Equal((NotificationKind.Flapping, "test/a#1", T0, CheckStatus.Error), (flapping.Kind, flapping.Incident, flapping.Since, flapping.State));
        Assert.Equal("the state changed in 34% of the last 10 runs (weighted); notifications are held until it settles.", flapping.Message);
        Assert.Equal(HoldReasons.Flapping, row.Held);

        var (_, again) = HeldNotifications.OnRun(Check, row.Flap, row, HoldReasons.None, T0 + Tick * 2, T0 + Tick * 3, Tick);
        Assert.Empty(again); // once
    }

    [Fact]
    public void A_recovery_while_flapping_owes_its_OK_and_a_new_failure_continues_the_same_incident()
    {
        var at = T0 + Tick * 5;
        var (recovered, send, heldBy) = HeldNotifications.OnTransition(Check, Recovery(at, Flapping), Notified(Flapping), HoldReasons.None);
        Assert.Empty(send);
        Assert.Equal(HoldReasons.Flapping, heldBy);
        Assert.Equal((CheckStatus.Ok, true, T0, true), (recovered.Status, recovered.OkHeld, recovered.ErrorSince, recovered.Notified));

        var (failing, again, _) = HeldNotifications.OnTransition(Check, Failure(at + Tick, Flapping), recovered, HoldReasons.None);
        Assert.Empty(again);
        Assert.Equal((CheckStatus.Error, 1, false, T0, true), (failing.Status, failing.Incidents, failing.OkHeld, failing.ErrorSince, failing.Notified));
    }

    [Fact]
    public void Flapping_starting_with_the_recovery_of_a_notified_incident_sends_Flapping_and_holds_the_OK()
    {
        var before = Notified(new FlapHistory(0b11, false, false));
        var (row, send, _) = HeldNotifications.OnTransition(Check, Recovery(T0 + Tick, Flapping with { LastFailed = false }), before,
            HoldReasons.None);
        Assert.Equal([NotificationKind.Flapping], send.Select(n => n.Kind));
        Assert.True(row.OkHeld);
    }

    [Fact]
    public void A_Problem_of_a_check_not_notified_is_held_while_it_flaps()
    {
        var ok = CheckState.New("test/a", CheckStatus.Ok, T0);
        var (row, send, heldBy) = HeldNotifications.OnTransition(Check, Failure(T0 + Tick, Flapping), ok, HoldReasons.None);
        Assert.Empty(send);
        Assert.Equal((true, 1, HoldReasons.Flapping), (row.HeldProblem, row.Incidents, heldBy));
    }

    [Fact]
    public void When_flapping_ends_the_owed_OK_goes_out_dated_at_the_recovery_and_counting_from_the_incident_s_start()
    {
        var recoveredAt = T0 + Tick * 5;
        var (owed, _, _) = HeldNotifications.OnTransition(Check, Recovery(recoveredAt, Flapping), Notified(Flapping), HoldReasons.None);
        var still = owed with { Flap = Flapping with { Bits = 0b1110 } };
        Assert.Empty(HeldNotifications.OnRun(Check, owed.Flap, still, HoldReasons.None, recoveredAt, recoveredAt + Tick, Tick).Send);

        var settled = owed with { Flap = new FlapHistory(0b1000000, false, false) };
        var (row, send) = HeldNotifications.OnRun(Check, still.Flap, settled, HoldReasons.None, recoveredAt + Tick * 5, recoveredAt + Tick * 6, Tick);
        var ok = Assert.Single(send);
        Assert.Equal((NotificationKind.Ok, "test/a#1", recoveredAt, T0), (ok.Kind, ok.Incident, ok.At, ok.Since));
        Assert.Equal("recovered after 0:05:00 (5 retries).", NotificationText.Message(ok));
        Assert.Equal((false, null, HoldReasons.None), (row.OkHeld, row.ErrorSince, row.Held));
    }

    [Fact]
    public void An_owed_OK_waits_for_the_last_hold_even_when_flapping_ends_first()
    {
        var (owed, _, _) = HeldNotifications.OnTransition(Check, Recovery(T0 + Tick, Flapping), Notified(Flapping), HoldReasons.Silence);
        var settled = owed with { Flap = Steady };
        var (silenced, send) = HeldNotifications.OnRun(Check, Flapping, settled, HoldReasons.Silence, T0 + Tick * 9, T0 + Tick * 10, Tick);
        Assert.Empty(send);
        Assert.Equal((HoldReasons.Silence, true), (silenced.Held, silenced.OkHeld));

        var ended = HeldNotifications.Holds(silenced, HoldReasons.None, T0 + Tick * 11);
        Assert.Null(ended.ConfirmAfter);
        var (_, ok) = HeldNotifications.OnRun(Check, Steady, ended, HoldReasons.None, T0 + Tick * 11, T0 + Tick * 12, Tick);
        Assert.Equal([NotificationKind.Ok], ok.Select(n => n.Kind));
    }

    [Fact]
    public void Flapping_ending_in_error_with_a_held_Problem_sends_it_after_a_run_that_started_after_the_end()
    {
        var ok = CheckState.New("test/a", CheckStatus.Ok, T0);
        var (held, _, _) = HeldNotifications.OnTransition(Check, Failure(T0 + Tick, Flapping), ok, HoldReasons.None);
        var end = T0 + Tick * 9;
        var (ended, none) = HeldNotifications.OnRun(Check, Flapping, held with { Flap = Steady with { LastFailed = true } },
            HoldReasons.None, end - TimeSpan.FromSeconds(1), end, Tick);
        Assert.Empty(none);
        Assert.Equal(end, ended.ConfirmAfter);

        var (row, send) = HeldNotifications.OnRun(Check, ended.Flap, ended, HoldReasons.None, end + Tick, end + Tick * 2, Tick);
        var problem = Assert.Single(send);
        Assert.Equal((NotificationKind.Problem, "test/a#1"), (problem.Kind, problem.Incident));
        Assert.False(row.HeldProblem);
    }

    [Fact]
    public void Flapping_ending_while_notified_and_still_in_error_sends_nothing()
    {
        var (row, send) = HeldNotifications.OnRun(Check, Flapping, Notified(Steady with { LastFailed = true }) with { Held = HoldReasons.Flapping },
            HoldReasons.None, T0 + Tick, T0 + Tick * 2, Tick);
        Assert.Empty(send);
        Assert.Equal((HoldReasons.None, null), (row.Held, row.ConfirmAfter));
    }
}
