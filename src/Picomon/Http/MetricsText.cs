using Picomon.Metrics;
using Picomon.Scheduling;
using Picomon.Status;

namespace Picomon.Http;

/// <summary>Where the metrics come from besides the read model: counters kept as things happen.</summary>
public sealed record MetricsSources(ProbeCounters Probes, LoadStats Load, NotificationCounters Notifications, string Version);

/// <summary><c>/metrics</c>: Picomon's metrics in the Prometheus text exposition format 0.0.4, streamed from the
/// read model (one family at a time, as the format requires, each check's lines as it comes) and the
/// <see cref="MetricsSources"/>. Written here rather than through prometheus-net: measured at 100,000 checks, a
/// scrape took a third of the time and kept no memory (README, "HTTP: status page, API, metrics, health").</summary>
public static class MetricsText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly string[] Results = Enum.GetValues<ProbeOutcome>().Select(o => o.ToString().ToLowerInvariant()).ToArray();

    public static async Task WriteAsync(Utf8Output output, StatusReport report, MetricsSources sources, CancellationToken cancel)
    {
        Family(output, "build_info", "gauge", "Picomon's version, as a label; always 1.");
        Sample(output, "build_info", "version", sources.Version).Append(" 1\n");

        Family(output, "check_up", "gauge", "1 when the check's last run succeeded (or it has not run yet), 0 when it failed.");
        foreach (var check in report.Checks)
        {
            Sample(output, "check_up", "check", check.Id, "type", check.Type, "target", check.Target)
                .Append(check.ConsecutiveFailures == 0 ? " 1\n" : " 0\n");
            await output.FlushIfFullAsync(cancel);
        }
        Family(output, "check_state", "gauge", "1 for the state the check is in, 0 for the others.");
        foreach (var check in report.Checks)
        {
            foreach (var state in Enum.GetValues<CheckViewState>())
                Sample(output, "check_state", "check", check.Id, "state", StatusText.StateName(state)).Append(state == check.State ? " 1\n" : " 0\n");
            await output.FlushIfFullAsync(cancel);
        }
        await PerCheckAsync(output, report, "check_duration_seconds", "How long the check's last run took.", c => c.LastDurationSeconds, cancel);
        await PerCheckAsync(output, report, "check_last_run_timestamp_seconds", "When the check's last run started (Unix time).",
            c => Seconds(c.LastRun), cancel);
        await PerCheckAsync(output, report, "check_cert_expiry_timestamp_seconds",
            "When the certificate the https check's last TLS handshake got expires (Unix time).", c => Seconds(sources.Probes.CertificateExpiry(c.Id)), cancel);
        ForgetRemovedCertificates(report, sources.Probes);

        Family(output, "probes_total", "counter", "Probe runs since start, by check type and result (a timeout is the check's timeout firing).");
        foreach (var type in sources.Probes.Types.Order(StringComparer.Ordinal))
            foreach (var outcome in Enum.GetValues<ProbeOutcome>())
                Sample(output, "probes_total", "type", type, "result", Results[(int)outcome]).Append(' ').Append(sources.Probes.Runs(type, outcome)).Append('\n');
        var load = sources.Load.Snapshot().Since(LoadSample.Zero);
        Family(output, "runs_late_total", "counter", $"Runs that started more than {LoadStats.LateThreshold.TotalSeconds:0} s after their scheduled time.");
        output.Append("picomon_runs_late_total ").Append(load.Late).Append('\n');
        Family(output, "runs_skipped_total", "counter", "Scheduled runs skipped because the check's previous run was still going.");
        output.Append("picomon_runs_skipped_total ").Append(load.Skipped).Append('\n');
        WriteNotifications(output, sources.Notifications);
        await output.FlushAsync(cancel);
    }

    private static void WriteNotifications(Utf8Output output, NotificationCounters counters)
    {
        Family(output, "notifications_total", "counter", "Notifications delivered, by channel and kind.");
        foreach (var (channel, kind, count) in counters.SentCounts.OrderBy(c => (c.Channel, c.Kind)))
            Sample(output, "notifications_total", "channel", channel, "kind", kind).Append(' ').Append(count).Append('\n');
        Family(output, "notifications_failed_total", "counter", "Delivery attempts that failed, by channel.");
        foreach (var (channel, count) in counters.FailedCounts.OrderBy(c => c.Channel))
            Sample(output, "notifications_failed_total", "channel", channel).Append(' ').Append(count).Append('\n');
        Family(output, "notifications_queued", "gauge", "Notifications waiting in the channel's outbox.");
        foreach (var (channel, count) in counters.QueuedCounts.OrderBy(c => c.Channel))
            Sample(output, "notifications_queued", "channel", channel).Append(' ').Append(count).Append('\n');
        Family(output, "notifications_suppressed_total", "counter", "Notifications held back, by reason.");
        foreach (var (reason, count) in counters.SuppressedCounts.OrderBy(c => c.Reason))
            Sample(output, "notifications_suppressed_total", "reason", reason).Append(' ').Append(count).Append('\n');
    }

    private static async Task PerCheckAsync(Utf8Output output, StatusReport report, string name, string help,
        Func<CheckView, double?> value, CancellationToken cancel)
    {
        Family(output, name, "gauge", help);
        foreach (var check in report.Checks)
        {
            if (value(check) is not { } v) continue;
            Sample(output, name, "check", check.Id).Append(' ').Append(v).Append('\n');
            await output.FlushIfFullAsync(cancel);
        }
    }

    private static double? Seconds(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>A reload may have removed https checks: their last certificates are dropped once there are more
    /// of them than https checks (so a scrape of an unchanged configuration does no extra work).</summary>
    private static void ForgetRemovedCertificates(StatusReport report, ProbeCounters probes)
    {
        if (probes.Certificates <= report.Checks.Count(c => c.Type.StartsWith("https", StringComparison.Ordinal))) return;
        probes.RetainCertificates(report.Checks.Select(c => c.Id).ToHashSet(StringComparer.Ordinal));
    }

    private static void Family(Utf8Output output, string name, string type, string help) =>
        output.Append("# HELP picomon_").Append(name).Append(' ').Append(help).Append("\n# TYPE picomon_").Append(name)
            .Append(' ').Append(type).Append('\n');

    /// <summary>The metric's name and labels, <c>picomon_NAME{label="value",…}</c>; the caller appends the value.</summary>
    private static Utf8Output Sample(Utf8Output output, string name, params ReadOnlySpan<string> labels)
    {
        output.Append("picomon_").Append(name).Append('{');
        for (var i = 0; i < labels.Length; i += 2)
        {
            if (i > 0) output.Append(',');
            output.Append(labels[i]).Append("=\"");
            AppendLabelValue(output, labels[i + 1]);
            output.Append('"');
        }
        return output.Append('}');
    }

    /// <summary>A label value escaped as the format requires: backslash, double quote and line feed.</summary>
    private static void AppendLabelValue(Utf8Output output, ReadOnlySpan<char> value)
    {
        int next;
        while ((next = value.IndexOfAny('\\', '"', '\n')) >= 0)
        {
            output.Append(value[..next]).Append(value[next] switch { '\\' => @"\\", '"' => "\\\"", _ => @"\n" });
            value = value[(next + 1)..];
        }
        output.Append(value);
    }
}
