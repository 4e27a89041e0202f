using System.Text.Json;
using Picomon.Actors;
using Picomon.Checks;
using Picomon.Status;
using Picomon.Tests.Support;

namespace Picomon.Tests.Status;

public class StatusViewsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 2, 3, TimeSpan.Zero);

    private static CheckState Row(string id, CheckStatus status, string message = "", DateTimeOffset? errorSince = null) =>
        new(id, status, T0.AddMinutes(5), status == CheckStatus.Ok ? 0 : 2, message, errorSince, T0.AddMinutes(9), TimeSpan.FromMilliseconds(12.5));

    private static StatusReport Report(CheckPatterns patterns, params CheckState[] rows) =>
        StatusViews.Build(new StateSnapshot(T0.AddMinutes(10), rows),
            new[] { "b/ok", "a/ok", "z/error", "c/retrying", "a/error", "n/new" }.Select(id => ActorTestChecks.Check(id)), patterns);

    private static readonly CheckState[] Rows =
    [
        Row("a/ok", CheckStatus.Ok), Row("b/ok", CheckStatus.Ok), Row("c/retrying", CheckStatus.Retrying, "refused"),
        Row("z/error", CheckStatus.Error, "down", T0), Row("a/error", CheckStatus.Error, "down", T0),
        Row("gone/check", CheckStatus.Error, "no longer configured", T0),
    ];

    [Fact]
    public void Lists_every_configured_check_errors_first_then_retrying_then_ok_each_by_id()
    {
        var report = Report(CheckPatterns.All, Rows);

        Assert.Equal(["a/error", "z/error", "c/retrying", "a/ok", "b/ok", "n/new"], report.Checks.Select(c => c.Id));
        Assert.Equal(T0.AddMinutes(10), report.TakenAt);
        Assert.True(report.AnyInError);
    }

    [Fact]
    public void An_error_is_dated_from_its_start_and_a_check_not_reported_yet_is_ok_with_nothing_known()
    {
        var report = Report(CheckPatterns.All, Rows);

        var error = report.Checks[0];
        Assert.Equal(new CheckView("a/error", CheckViewState.Error, "test", "host", T0, "down", 2, T0.AddMinutes(9), 0.0125), error);
        Assert.Equal(T0.AddMinutes(5), report.Checks[2].Since);
        Assert.Equal(new CheckView("n/new", CheckViewState.Ok, "test", "host", null, "", 0, null, null), report.Checks[^1]);
    }

    [Fact]
    public void Only_the_matching_checks_are_listed()
    {
        var report = Report(CheckPatterns.Parse(["a/*", "c/retrying"], out _)!, Rows);

        Assert.Equal(["a/error", "c/retrying", "a/ok"], report.Checks.Select(c => c.Id));
        Assert.False(Report(CheckPatterns.Parse(["b/*"], out _)!, Rows).AnyInError);
    }

    [Fact]
    public void A_check_in_error_whose_problem_is_held_shows_held_with_its_holds_after_the_errors()
    {
        var held = Row("z/error", CheckStatus.Error, "down", T0) with { HeldProblem = true, Held = HoldReasons.Maintenance | HoldReasons.Silence };
        var windowed = Row("b/ok", CheckStatus.Ok) with { Held = HoldReasons.Maintenance };
        var report = Report(CheckPatterns.All, Row("a/error", CheckStatus.Error, "down", T0), held, windowed);

        Assert.Equal([("a/error", CheckViewState.Error, ""), ("z/error", CheckViewState.Held, "maintenance, silence")],
            report.Checks.Take(2).Select(c => (c.Id, c.State, c.Hold)));
        Assert.Equal((CheckViewState.Ok, "maintenance"), report.Checks.Where(c => c.Id == "b/ok").Select(c => (c.State, c.Hold)).Single());
        var line = StatusText.Render(report, TimeZoneInfo.Utc).Split('\n').Single(l => l.Contains("z/error"));
        Assert.Matches(@"^held +z/error +host +2026-11-24T10:02:03\+00:00 +\[maintenance, silence\] down$", line);
        Assert.Contains("\"state\":\"held\"", JsonSerializer.Serialize(report, StatusJson.Default.StatusReport));
    }

    [Fact]
    public void A_flapping_check_shows_flapping_after_the_errors_and_before_the_held_ones_in_error_or_not()
    {
        var flapping = new FlapHistory(0b111, false, true);
        var report = Report(CheckPatterns.All, Row("a/error", CheckStatus.Error, "down", T0),
            Row("b/ok", CheckStatus.Ok) with { Flap = flapping, Held = HoldReasons.Flapping, OkHeld = true },
            Row("z/error", CheckStatus.Error, "down", T0) with { HeldProblem = true, Held = HoldReasons.Silence });

        Assert.Equal([("a/error", CheckViewState.Error, ""), ("b/ok", CheckViewState.Flapping, "flapping"), ("z/error", CheckViewState.Held, "silence")],
            report.Checks.Take(3).Select(c => (c.Id, c.State, c.Hold)));
        var line = StatusText.Render(report, TimeZoneInfo.Utc).Split('\n').Single(l => l.Contains("b/ok"));
        Assert.Matches(@"^flapping +b/ok +host +2026-11-24T10:07:03\+00:00 +\[flapping\] $", line + " ");
        Assert.Contains("\"state\":\"flapping\",", JsonSerializer.Serialize(report, StatusJson.Default.StatusReport));
        Assert.True(Report(CheckPatterns.Parse(["b/*"], out _)!, Row("b/ok", CheckStatus.Ok) with { Flap = flapping }).AnyInError);
    }

    [Fact]
    public void A_check_whose_problem_its_parents_hold_shows_unreachable_between_the_errors_and_the_held_ones()
    {
        var unreachable = Row("c/retrying", CheckStatus.Error, "down", T0) with { HeldProblem = true, Held = HoldReasons.Dependency | HoldReasons.Silence };
        var held = Row("z/error", CheckStatus.Error, "down", T0) with { HeldProblem = true, Held = HoldReasons.Silence };
        var report = Report(CheckPatterns.All, Row("a/error", CheckStatus.Error, "down", T0), unreachable, held);

        Assert.Equal([("a/error", CheckViewState.Error), ("c/retrying", CheckViewState.Unreachable), ("z/error", CheckViewState.Held)],
            report.Checks.Take(3).Select(c => (c.Id, c.State)));
        Assert.Equal("dependency, silence", report.Checks[1].Hold);
        var line = StatusText.Render(report, TimeZoneInfo.Utc).Split('\n').Single(l => l.Contains("c/retrying"));
        Assert.Matches(@"^unreachable +c/retrying +host +2026-11-24T10:02:03\+00:00 +\[dependency, silence\] down$", line);
        Assert.Contains("\"state\":\"unreachable\"", JsonSerializer.Serialize(report, StatusJson.Default.StatusReport));
        Assert.True(Report(CheckPatterns.Parse(["c/*"], out _)!, unreachable).AnyInError);
    }

    [Fact]
    public void The_json_has_stable_camel_case_fields_iso_times_and_explicit_nulls()
    {
        var report = Report(CheckPatterns.Parse(["a/error", "n/new"], out _)!, Rows);

        Assert.Equal(
            """{"takenAt":"2026-11-24T10:12:03+00:00","checks":[""" +
            """{"id":"a/error","state":"error","type":"test","target":"host","since":"2026-11-24T10:02:03+00:00","message":"down","consecutiveFailures":2,"lastRun":"2026-11-24T10:11:03+00:00","lastDurationSeconds":0.0125,"hold":""},""" +
            """{"id":"n/new","state":"ok","type":"test","target":"host","since":null,"message":"","consecutiveFailures":0,"lastRun":null,"lastDurationSeconds":null,"hold":""}]}""",
            JsonSerializer.Serialize(report, StatusJson.Default.StatusReport));
    }

    [Fact]
    public void The_json_reads_back_as_the_same_report()
    {
        var report = Report(CheckPatterns.All, Rows);

        var read = JsonSerializer.Deserialize(JsonSerializer.Serialize(report, StatusJson.Default.StatusReport), StatusJson.Default.StatusReport)!;

        Assert.Equal(report.TakenAt, read.TakenAt);
        Assert.Equal(report.Checks, read.Checks);
    }

    [Fact]
    public void In_a_cluster_each_check_names_its_node_in_the_json_and_one_no_node_runs_has_an_empty_one()
    {
        var report = StatusViews.Build(new StateSnapshot(T0, Rows), [ActorTestChecks.Check("a/error"), ActorTestChecks.Check("n/new")],
            CheckPatterns.All, new Dictionary<string, string> { ["a/error"] = "10.0.0.2:4053" });

        Assert.Equal(["10.0.0.2:4053", ""], report.Checks.Select(c => c.Node));
        var json = JsonSerializer.Serialize(report, StatusJson.Default.StatusReport);
        Assert.Contains("""lastDurationSeconds":0.0125,"hold":"","node":"10.0.0.2:4053"}""", json);
        Assert.Contains("""lastDurationSeconds":null,"hold":"","node":""}""", json);
    }
}
