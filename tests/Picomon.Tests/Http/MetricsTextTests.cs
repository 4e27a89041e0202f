using Picomon.Http;
using Picomon.Metrics;
using Picomon.Probes;
using Picomon.Scheduling;
using Picomon.Status;
using Picomon.Tests.Support;
using Picomon.TestSupport;

namespace Picomon.Tests.Http;

public class MetricsTextTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 2, 3, TimeSpan.Zero);

    private static CheckView View(string id, CheckViewState state, string type = "http4", string target = "web",
        int failures = 0, DateTimeOffset? lastRun = null, double? duration = null) =>
        new(id, state, type, target, T0, failures > 0 ? "down" : "", failures, lastRun, duration);

    private static Task<string> RenderAsync(StatusReport report, MetricsSources sources) =>
        HttpTestText.RenderAsync(output => MetricsText.WriteAsync(output, report, sources, CancellationToken.None));

    private static MetricsSources Sources(ProbeCounters? probes = null, LoadStats? load = null, NotificationCounters? notifications = null) =>
        new(probes ?? new ProbeCounters(), load ?? new LoadStats(), notifications ?? new NotificationCounters(), "1.2.3");

    [Fact]
    public async Task Every_check_has_one_up_sample_and_one_state_sample_per_state_that_the_real_parser_reads()
    {
        var report = new StatusReport(T0, [
            View("http4/down", CheckViewState.Error, failures: 3, lastRun: T0.AddSeconds(1.5), duration: 0.25),
            View("http4/flaky", CheckViewState.Retrying, failures: 1, lastRun: T0, duration: 2),
            View("http4/new", CheckViewState.Ok),
        ]);

        var samples = await PrometheusParser.ParseAsync(await RenderAsync(report, Sources()));

        Assert.Equal([
            "gauge picomon_check_up{check='http4/down',target='web',type='http4'} 0.0",
            "gauge picomon_check_up{check='http4/flaky',target='web',type='http4'} 0.0",
            "gauge picomon_check_up{check='http4/new',target='web',type='http4'} 1.0",
        ], samples.Where(s => s.Contains("picomon_check_up{")));
        Assert.Equal([
            "gauge picomon_check_state{check='http4/down',state='error'} 1.0",
            "gauge picomon_check_state{check='http4/down',state='unreachable'} 0.0",
            "gauge picomon_check_state{check='http4/down',state='flapping'} 0.0",
            "gauge picomon_check_state{check='http4/down',state='held'} 0.0",
            "gauge picomon_check_state{check='http4/down',state='retrying'} 0.0",
            "gauge picomon_check_state{check='http4/down',state='ok'} 0.0",
        ], samples.Where(s => s.Contains("check_state{check='http4/down'")));
        Assert.Contains("gauge picomon_check_state{check='http4/new',state='ok'} 1.0", samples);
        // Duration and last run only for checks that ran.
        Assert.Equal(["gauge picomon_check_duration_seconds{check='http4/down'} 0.25", "gauge picomon_check_duration_seconds{check='http4/flaky'} 2.0"],
            samples.Where(s => s.Contains("duration_seconds")));
        Assert.Contains($"gauge picomon_check_last_run_timestamp_seconds{{check='http4/down'}} {T0.ToUnixTimeSeconds() + 1.5:0.0}", samples);
        Assert.Contains("gauge picomon_build_info{version='1.2.3'} 1.0", samples);
    }

    [Fact]
    public async Task Label_values_are_escaped_so_any_check_id_reads_back_unchanged()
    {
        const string hostile = "exec/a\"b\\c\nd} x=\"1\" <é>";
        var report = new StatusReport(T0, [View(hostile, CheckViewState.Ok, type: "exec", target: "t\"\\")]);

        var text = await RenderAsync(report, Sources());
        var samples = await PrometheusParser.ParseAsync(text);

        Assert.Contains(@"picomon_check_up{check=""exec/a\""b\\c\nd} x=\""1\"" <é>"",type=""exec"",target=""t\""\\""} 1", text);
        Assert.Contains("gauge picomon_check_up{check='exec/a\"b\\\\c\\nd} x=\"1\" <é>',target='t\"\\\\',type='exec'} 1.0", samples);
    }

    [Fact]
    public async Task Every_family_has_help_and_type_and_counters_end_in_total()
    {
        var text = await RenderAsync(new StatusReport(T0, []), Sources());

        string[] families = ["build_info gauge", "check_up gauge", "check_state gauge", "check_duration_seconds gauge",
            "check_last_run_timestamp_seconds gauge", "check_cert_expiry_timestamp_seconds gauge", "probes_total counter",
            "runs_late_total counter", "runs_skipped_total counter", "notifications_total counter",
            "notifications_failed_total counter", "notifications_queued gauge", "notifications_suppressed_total counter"];
        Assert.Equal(families.Select(f => $"# TYPE picomon_{f}"), text.Split('\n').Where(l => l.StartsWith("# TYPE")));
        Assert.Equal(families.Length, text.Split('\n').Count(l => l.StartsWith("# HELP picomon_")));
        await PrometheusParser.ParseAsync(text);
    }

    [Fact]
    public async Task Probe_runs_late_and_skipped_runs_and_notifications_are_counted()
    {
        var probes = new ProbeCounters();
        var check = ActorTestChecks.Check("test/a");
        var probe = probes.Count(check, new FixedProbe(ProbeResult.Ok));
        await probe.RunAsync(check.Target, CancellationToken.None);
        await probes.Count(check, new FixedProbe(ProbeResult.Fail("down"))).RunAsync(check.Target, CancellationToken.None);
        var load = new LoadStats();
        load.RecordStart(TimeSpan.FromSeconds(3));
        load.RecordStart(TimeSpan.FromMilliseconds(3));
        load.RecordSkipped(2);
        var notifications = new NotificationCounters();
        notifications.Sent("email", "problem");
        notifications.Sent("email", "problem");
        notifications.Sent("chat", "ok");
        notifications.Failed("chat");
        var queued = 4;
        notifications.Track("chat", () => queued);
        queued = 3;
        notifications.Suppressed("silence");

        var samples = await PrometheusParser.ParseAsync(await RenderAsync(new StatusReport(T0, []), Sources(probes, load, notifications)));

        Assert.Equal([
            "counter picomon_probes_total{result='success',type='test'} 1.0",
            "counter picomon_probes_total{result='failure',type='test'} 1.0",
            "counter picomon_probes_total{result='timeout',type='test'} 0.0",
        ], samples.Where(s => s.Contains("probes_total")));
        Assert.Contains("counter picomon_runs_late_total{} 1.0", samples);
        Assert.Contains("counter picomon_runs_skipped_total{} 2.0", samples);
        Assert.Equal([
            "counter picomon_notifications_total{channel='chat',kind='ok'} 1.0",
            "counter picomon_notifications_total{channel='email',kind='problem'} 2.0",
        ], samples.Where(s => s.Contains("notifications_total{")));
        Assert.Contains("counter picomon_notifications_failed_total{channel='chat'} 1.0", samples);
        Assert.Contains("gauge picomon_notifications_queued{channel='chat'} 3.0", samples);
        Assert.Contains("counter picomon_notifications_suppressed_total{reason='silence'} 1.0", samples);
    }

    [Fact]
    public async Task The_certificate_expiry_of_an_https_check_is_its_last_handshakes_and_a_removed_check_is_forgotten()
    {
        var probes = new ProbeCounters();
        var expiry = new DateTimeOffset(2027, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var https = ActorTestChecks.Check("https4/web") with { Type = CheckTypes.Find("https4")! };
        var gone = https with { Id = "https4/gone" };
        foreach (var check in new[] { https, gone })
            await probes.Count(check, new FixedProbe(ProbeResult.Fail("HTTP 503") with { CertificateExpiry = expiry })).RunAsync(check.Target, CancellationToken.None);

        var report = new StatusReport(T0, [View("https4/web", CheckViewState.Error, type: "https4", failures: 1)]);
        var samples = await PrometheusParser.ParseAsync(await RenderAsync(report, Sources(probes)));

        Assert.Equal([$"gauge picomon_check_cert_expiry_timestamp_seconds{{check='https4/web'}} {expiry.ToUnixTimeSeconds()}.0"],
            samples.Where(s => s.Contains("cert_expiry")));
        Assert.Null(probes.CertificateExpiry("https4/gone"));
        Assert.Equal(expiry, probes.CertificateExpiry("https4/web"));
    }

    [Fact]
    public async Task A_run_cut_by_its_timeout_counts_as_a_timeout()
    {
        var probes = new ProbeCounters();
        var check = ActorTestChecks.Check("test/slow", timeout: TimeSpan.FromMilliseconds(50));

        var result = await ProbeRunner.RunAsync(probes.Count(check, new HangingProbe()), check.Target, check.Timeout);

        Assert.Equal(ProbeRunner.TimedOut, result.Message);
        Assert.Equal(1, probes.Runs("test", ProbeOutcome.Timeout));
        Assert.Equal(0, probes.Runs("test", ProbeOutcome.Failure));
    }

    private sealed class FixedProbe(ProbeResult result) : IProbe
    {
        public Task<ProbeResult> RunAsync(ProbeTarget target, CancellationToken cancellationToken) => Task.FromResult(result);
    }

    private sealed class HangingProbe : IProbe
    {
        public async Task<ProbeResult> RunAsync(ProbeTarget target, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return ProbeResult.Ok;
        }
    }
}
