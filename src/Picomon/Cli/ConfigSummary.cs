using System.Text;
using Picomon.Configuration;

namespace Picomon.Cli;

/// <summary>The short summary <c>picomon -t</c> prints for a valid configuration. Never shows the SMTP password.</summary>
public static class ConfigSummary
{
    public static string Render(PicomonSettings settings)
    {
        var text = new StringBuilder();
        text.AppendLine($"picomon: configuration OK: {settings.Source}");
        text.AppendLine($"  base tick {Format(settings.BaseTick)}, {Plural(settings.Checks.Count, "check")}, {Plural(settings.Hosts.Count, "host")}");
        if (settings.Checks.Count > 0)
            text.AppendLine("  checks per type: " + string.Join(", ", settings.Checks
                .GroupBy(c => c.Type.Name).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")));
        foreach (var host in settings.Hosts.Values.OrderBy(h => h.Key, StringComparer.Ordinal))
            text.AppendLine($"  host {host.Key}: {string.Join(", ", new[] { host.IPv4, host.IPv6 }.OfType<string>())} ({host.Name})");
        var emails = settings.Emails;
        if (emails.To.Count == 0)
            text.AppendLine("  mail: none (emails.to is empty: alerts are only logged)");
        else
        {
            var auth = emails.SmtpUser is null ? "" : $", auth as {emails.SmtpUser}";
            text.AppendLine($"  mail: to {string.Join(", ", emails.To)} from {emails.AddrFrom} via {emails.SmtpHost}:{emails.SmtpPort} (tls {emails.SmtpTls.ToString().ToLowerInvariant()}{auth})");
            text.AppendLine(emails.ReportEvery > TimeSpan.Zero ? $"  reports every {Format(emails.ReportEvery)}" : "  reports off");
        }
        if (settings.Notify.Configured) AppendNotify(text, settings);
        AlertQuality(settings, text);
        text.AppendLine($"  state: {settings.StateDir}");
        text.AppendLine(settings.Http switch
        {
            { Listen: null } => "  http: off",
            { Listen: var listen, BasicAuth: { } auth } => $"  http: {listen} (basic auth as {auth.User})",
            { Listen: { IsLoopback: false } listen } => $"  http: {listen} (no authentication, allow-remote-unauthenticated)",
            { Listen: var listen } => $"  http: {listen}",
        });
        if (settings.Cluster is { Enabled: true } cluster)
            text.AppendLine($"  cluster: this node {ClusterSettings.NodeName(cluster.Listen.Host, cluster.Listen.Port)}, seeds "
                            + string.Join(", ", cluster.Seeds.Select(s => ClusterSettings.NodeName(s.Host, s.Port))) + ", state in PostgreSQL");
        return text.ToString();
    }

    /// <summary>Dependencies, flap detection, ok-after and maintenance windows, each only when configured.</summary>
    private static void AlertQuality(PicomonSettings settings, StringBuilder text)
    {
        if (settings.Dependencies.DependentCount > 0)
            text.AppendLine($"  dependencies: {Plural(settings.Dependencies.DependentCount, "check")} with depends-on");
        var flapping = settings.Checks.Count(c => c.Rules.FlapWindow > 0);
        if (flapping > 0) text.AppendLine($"  flap detection: {Plural(flapping, "check")}");
        var okAfter = settings.Checks.Count(c => c.Rules.OkAfter > 1);
        if (okAfter > 0) text.AppendLine($"  ok-after above 1: {Plural(okAfter, "check")}");
        foreach (var window in settings.Maintenance)
        {
            var matched = settings.Checks.Count(c => window.Matches(c.Id));
            var when = window.Start is { } start
                ? $"from {start:yyyy-MM-dd'T'HH:mm:sszzz}"
                : $"cron '{window.Cron}' {window.Zone.Id}";
            text.AppendLine($"  maintenance {window.Name}: {string.Join(", ", window.Checks.Patterns)} ({Plural(matched, "check")}), {when}, for {Format(window.Duration)}");
        }
    }

    /// <summary>How notifications are grouped and repeated, then each channel and the checks that use it (only
    /// with a notify block: without one, the summary is what it always was).</summary>
    private static void AppendNotify(StringBuilder text, PicomonSettings settings)
    {
        var notify = settings.Notify;
        var grouping = notify.GroupWait > TimeSpan.Zero
            ? $"grouped by {notify.GroupBy.ToString().ToLowerInvariant()} (wait {Format(notify.GroupWait)}, interval {Format(notify.GroupInterval)})"
            : "each sent at once";
        var reminders = notify.RepeatInterval > TimeSpan.Zero ? $"reminders every {Format(notify.RepeatInterval)}" : "no reminders";
        text.AppendLine($"  notifications: {grouping}, {reminders}, retries every {Format(notify.RetryTimeout)}");
        foreach (var channel in notify.Channels)
        {
            var users = settings.Checks.Select(c => c.Id).Where(id => notify.ChannelsOf(id).Contains(channel.Name)).ToList();
            var listed = users.Count == 0 ? "no check"
                : $"{Plural(users.Count, "check")}: {string.Join(", ", users.Take(5))}{(users.Count > 5 ? $" and {users.Count - 5} more" : "")}";
            text.AppendLine($"  channel {channel.Name}: {channel.Describe()}, used by {listed}");
        }
        var silent = settings.Checks.Count(c => notify.ChannelsOf(c.Id).Count == 0);
        if (silent > 0) text.AppendLine($"  {Plural(silent, "check")} with no channel (transitions only logged)");
    }

    public static string Format(TimeSpan span) =>
        span.TotalMilliseconds % 1000 != 0 ? $"{span.TotalMilliseconds:0.###}ms"
        : span.TotalSeconds % 3600 == 0 ? $"{span.TotalHours:0}h"
        : span.TotalSeconds % 60 == 0 ? $"{span.TotalMinutes:0}m"
        : $"{span.TotalSeconds:0}s";

    private static string Plural(int n, string word) => $"{n} {word}{(n == 1 ? "" : "s")}";
}
