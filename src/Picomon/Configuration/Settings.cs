using Microsoft.Extensions.Logging;
using Picomon.Checks;
using Picomon.Probes;

namespace Picomon.Configuration;

/// <summary>The whole validated configuration, read once. Immutable.</summary>
/// <param name="Source">The file it came from ("embedded default" for the compiled-in one).</param>
/// <param name="Notify">Channels, routes, grouping and reminders.</param>
/// <param name="AkkaHocon">The file's <c>akka { }</c> block rendered back to HOCON, or null.</param>
/// <param name="Dependencies">Each check's parents (<c>depends-on</c>), resolved to ids, without a cycle.</param>
/// <param name="Maintenance">The maintenance windows (<c>picomon.maintenance</c>).</param>
public sealed record PicomonSettings(
    string Source,
    TimeSpan BaseTick,
    LogLevel VerbLevel,
    string StateDir,
    EmailSettings Emails,
    IReadOnlyDictionary<string, HostSettings> Hosts,
    IReadOnlyList<CheckDefinition> Checks,
    NotifySettings Notify,
    string? AkkaHocon,
    HttpSettings Http,
    DependencyGraph Dependencies,
    IReadOnlyList<MaintenanceWindow> Maintenance)
{
    /// <summary><c>picomon.cluster</c>; <see cref="ClusterSettings.Off"/> unless enabled.</summary>
    public ClusterSettings Cluster { get; init; } = ClusterSettings.Off;

    /// <summary>In a cluster, the digest of what every node must run the same (the file as read, less this node's own
    /// keys): a reload applies only when every node's is equal. Empty when the cluster is off.</summary>
    public string Digest { get; init; } = "";
}

public enum SmtpTls { Auto, None, StartTls, Tls }

/// <summary><c>picomon.emails</c>. <see cref="SmtpPassword"/> is a secret: never log it.</summary>
public sealed record EmailSettings(
    IReadOnlyList<string> To,
    string AddrFrom,
    string SmtpHost,
    int SmtpPort,
    TimeSpan SmtpKeepaliveTimeout,
    TimeSpan SmtpRetryTimeout,
    SmtpTls SmtpTls,
    string? SmtpUser,
    string? SmtpPassword,
    string SubjectTemplate,
    TimeSpan ReportEvery,
    string ReportSubject,
    string WatchdogSubject)
{
    // Records print every property; keep the password out of any log line or exception text.
    public override string ToString() =>
        $"EmailSettings {{ To = [{string.Join(", ", To)}], SmtpHost = {SmtpHost}:{SmtpPort}, SmtpUser = {SmtpUser}, SmtpPassword = {(SmtpPassword is null ? "unset" : "***")} }}";
}

/// <summary>An entry of <c>picomon.hosts</c>.</summary>
public sealed record HostSettings(string Key, string? IPv4, string? IPv6, string Name);

/// <summary>One check after expansion of its group: a type on one target, with its timing.</summary>
/// <param name="Id">Unique id: <c>TYPE/TARGET</c> or the explicit <c>name</c>.</param>
/// <param name="Every">Ticks between runs after a success (≥ 1).</param>
/// <param name="ErrorEvery">Ticks between runs after a failure (≥ 1; -1 already replaced by <see cref="Every"/>).</param>
/// <param name="Retry">Failures tolerated before error: error on the (Retry+1)-th consecutive failure.</param>
/// <param name="Rules">ok-after and flap detection (one record shared by the group's checks).</param>
public sealed record CheckDefinition(
    string Id,
    CheckType Type,
    ProbeTarget Target,
    int Every,
    int ErrorEvery,
    int Retry,
    TimeSpan Timeout,
    CheckOptions Options,
    AlertRules Rules)
{
    public TimeSpan Interval(TimeSpan baseTick) => baseTick * Every;
    public TimeSpan ErrorInterval(TimeSpan baseTick) => baseTick * ErrorEvery;
}
