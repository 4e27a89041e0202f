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

    public static string Format(TimeSpan span) =>
        span.TotalMilliseconds % 1000 != 0 ? $"{span.TotalMilliseconds:0.###}ms"
        : span.TotalSeconds % 3600 == 0 ? $"{span.TotalHours:0}h"
        : span.TotalSeconds % 60 == 0 ? $"{span.TotalMinutes:0}m"
        : $"{span.TotalSeconds:0}s";

    private static string Plural(int n, string word) => $"{n} {word}{(n == 1 ? "" : "s")}";
}
