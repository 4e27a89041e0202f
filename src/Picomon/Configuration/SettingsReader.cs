using System.Net.Mail;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Picomon.Checks;
using Picomon.Configuration.Hocon;
using Picomon.Probes;

namespace Picomon.Configuration;

/// <summary>Turns the merged <c>picomon { }</c> tree into <see cref="PicomonSettings"/>, collecting
/// every problem. Every default comes from reference.conf (see <see cref="SettingsSection"/>); checks are
/// expanded by <see cref="CheckExpander"/>.</summary>
internal static class SettingsReader
{
    private static readonly string[] TopKeys =
        ["base-tick", "default-every", "default-error-every", "default-retry", "default-timeout",
         "verb-level", "state-dir", "emails", "hosts", "checks", "notify", "http", "cluster", "default-ok-after",
         "default-flap-window", "default-flap-high", "default-flap-low", "maintenance"];
    private static readonly string[] EmailKeys =
        ["to", "addr-from", "smtp-host", "smtp-keepalive-timeout", "smtp-retry-timeout", "smtp-tls",
         "smtp-user", "smtp-password", "subject-tpl", "report", "watchdog-subject"];
    private static readonly string[] ReportKeys = ["every", "subject"];
    private static readonly string[] HostKeys = ["ipv4", "ipv6", "name", "depends-on"];

    private static readonly Dictionary<string, LogLevel> Levels = new()
    {
        ["CRITICAL"] = LogLevel.Critical, ["ERROR"] = LogLevel.Error, ["WARNING"] = LogLevel.Warning,
        ["INFO"] = LogLevel.Information, ["DEBUG"] = LogLevel.Debug,
    };

    /// <param name="picomon">The operator's <c>picomon</c> block merged over <paramref name="reference"/>.</param>
    /// <param name="reference">reference.conf's <c>picomon</c> block: every key, with its default.</param>
    /// <param name="notifyGiven">The operator's <c>picomon</c> block has a <c>notify</c> block.</param>
    public static PicomonSettings Read(HoconObject picomon, HoconObject reference, bool notifyGiven, string source,
        string? akkaHocon, string fqdn, ErrorList errors)
    {
        var root = new SettingsSection(picomon, reference, "picomon", errors);
        errors.RejectUnknownKeys(picomon, root.Path, TopKeys);
        var baseTick = root.ReadValue<TimeSpan>("base-tick", PositiveDuration);
        var level = root.ReadValue<LogLevel>("verb-level", LogLevelOf);
        var stateDir = root.Read("state-dir", NonEmptyText);
        var emails = ReadEmails(root.Section("emails"), fqdn, errors);
        var hostDependencies = new Dictionary<string, DependencyReader.Source>(StringComparer.Ordinal);
        var hosts = ReadHosts(root.Section("hosts"), hostDependencies, errors);
        var defaults = new CheckDefaults(
            root.ReadValue<int>("default-every", CheckExpander.Every),
            root.ReadValue<int>("default-error-every", CheckExpander.ErrorEvery),
            root.ReadValue<int>("default-retry", CheckExpander.Retry),
            root.ReadValue<TimeSpan>("default-timeout", PositiveDuration),
            AlertRulesReader.ReadDefaults(root, errors));
        var groups = new Dictionary<string, CheckGroup>(StringComparer.Ordinal);
        var checks = CheckExpander.Expand(root["checks"], root.KeyPath("checks"), hosts, defaults, groups, errors);
        var notify = NotifyReader.Read(root.Section("notify"), notifyGiven, emails, checks, groups, errors);
        var dependencies = DependencyReader.Read(checks, groups, hostDependencies, errors);
        var maintenance = MaintenanceReader.Read(root["maintenance"], root.KeyPath("maintenance"), errors);
        var http = HttpSettingsReader.Read(root.Section("http"), errors);
        var cluster = ClusterReader.Read(root.Section("cluster"), errors);
        return new PicomonSettings(source, baseTick, level, stateDir, emails, hosts, checks, notify, akkaHocon, http,
            dependencies, maintenance) { Cluster = cluster };
    }

    private static LogLevel? LogLevelOf(HoconValue value, string path, ErrorList errors)
    {
        var text = errors.Text(value, path);
        if (text is null) return null;
        if (Levels.TryGetValue(text.ToUpperInvariant(), out var level)) return level;
        errors.Add(value, path, $"must be one of {string.Join(", ", Levels.Keys)}, got '{text}'");
        return null;
    }

    private static EmailSettings ReadEmails(SettingsSection emails, string fqdn, ErrorList errors)
    {
        errors.RejectUnknownKeys(emails.Merged, emails.Path, EmailKeys);
        var to = emails.Read("to", MailAddresses);
        var from = emails.Read("addr-from", Text) is { Length: > 0 } f ? f : $"Picomon <picomon@{fqdn}>";
        if (!MailAddress.TryCreate(from, out _))
            errors.Add(emails["addr-from"], emails.KeyPath("addr-from"), $"'{from}' is not a mail address");
        var (smtpHost, smtpPort) = emails.ReadValue<(string, int)>("smtp-host", SmtpHost);
        var report = emails.Section("report");
        errors.RejectUnknownKeys(report.Merged, report.Path, ReportKeys);
        var reportEvery = report.ReadValue<TimeSpan>("every", ReportInterval);
        return new EmailSettings(
            to, from, smtpHost, smtpPort,
            emails.ReadValue<TimeSpan>("smtp-keepalive-timeout", PositiveDuration),
            emails.ReadValue<TimeSpan>("smtp-retry-timeout", PositiveDuration),
            emails.ReadValue<SmtpTls>("smtp-tls", Tls),
            // reference.conf leaves SMTP AUTH unset: these two keys may be absent.
            errors.Text(emails.Merged["smtp-user"], emails.KeyPath("smtp-user")),
            // The password's value is never echoed in an error: only its type is checked.
            emails.Merged["smtp-password"] is HoconScalar { Kind: not HoconScalarKind.Null } pw
                ? pw.Text : SecretTypeError(emails.Merged["smtp-password"], emails.KeyPath("smtp-password"), errors),
            emails.Read("subject-tpl", Text),
            reportEvery,
            report.Read("subject", Text),
            emails.Read("watchdog-subject", Text));
    }

    private static string? Text(HoconValue value, string path, ErrorList errors) => errors.Text(value, path);

    internal static IReadOnlyList<string>? MailAddresses(HoconValue value, string path, ErrorList errors)
    {
        var list = errors.TextList(value, path);
        foreach (var address in (list ?? []).Where(a => !MailAddress.TryCreate(a, out _)))
            errors.Add(value, path, $"'{address}' is not a mail address");
        return list;
    }

    private static TimeSpan? ReportInterval(HoconValue value, string path, ErrorList errors)
    {
        var every = errors.Duration(value, path);
        if (every is null || every >= TimeSpan.Zero) return every;
        errors.Add(value, path, "must not be negative (0 disables reports)");
        return null;
    }

    private static string? SecretTypeError(HoconValue? value, string path, ErrorList errors)
    {
        if (value is not null) errors.Add(value, path, $"expected a string, got {value.KindName}");
        return null;
    }

    private static (string Host, int Port)? SmtpHost(HoconValue value, string path, ErrorList errors)
    {
        var text = errors.Text(value, path);
        if (text is null) return null;
        // Without ":port", the SMTP port.
        if (HostPort.TryParse(text, 25) is { } endpoint) return endpoint;
        errors.Add(value, path, $"expected host[:port] (IPv6 as [addr]:port), got '{text}'");
        return null;
    }

    private static SmtpTls? Tls(HoconValue value, string path, ErrorList errors)
    {
        var text = errors.Text(value, path);
        switch (text?.ToLowerInvariant())
        {
            case null: return null;
            case "auto": return SmtpTls.Auto;
            case "none": return SmtpTls.None;
            case "starttls": return SmtpTls.StartTls;
            case "tls": return SmtpTls.Tls;
            default:
                errors.Add(value, path, $"must be one of auto, none, starttls, tls, got '{text}'");
                return null;
        }
    }

    /// <param name="dependencies">Receives each host's <c>depends-on</c>, resolved once the checks are known.</param>
    private static Dictionary<string, HostSettings> ReadHosts(
        SettingsSection hosts, Dictionary<string, DependencyReader.Source> dependencies, ErrorList errors)
    {
        var result = new Dictionary<string, HostSettings>();
        foreach (var (key, value) in hosts.Merged.Fields)
        {
            var hostPath = hosts.KeyPath(key);
            if (errors.Object(value, hostPath) is not { } host) continue;
            errors.RejectUnknownKeys(host, hostPath, HostKeys);
            var v4 = Address(host, hostPath, "ipv4", AddressFamily.InterNetwork, errors);
            var v6 = Address(host, hostPath, "ipv6", AddressFamily.InterNetworkV6, errors);
            if (host["ipv4"] is null && host["ipv6"] is null)
                errors.Add(host, hostPath, "a host needs ipv4 or ipv6 (or both)");
            var name = errors.Text(host["name"], $"{hostPath}.name")
                       ?? (v4 is not null && v6 is not null ? $"{v4}/{v6}" : v4 ?? v6 ?? key);
            result[key] = new HostSettings(key, v4, v6, name);
            if (DependencyReader.Of(host, hostPath, errors) is { } dependsOn) dependencies[key] = dependsOn;
        }
        return result;
    }

    private static string? Address(HoconObject host, string path, string key, AddressFamily family, ErrorList errors)
    {
        var text = errors.Text(host[key], $"{path}.{key}");
        if (text is null || HostPort.IsValidAddress(text, family)) return text;
        var kind = family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
        errors.Add(host[key]!, $"{path}.{key}", $"'{text}' is not an {kind} address or a host name");
        // Kept as written (the configuration is rejected anyway) so that checks of this host do not
        // report a second, misleading "has no ipv4 address".
        return text;
    }

    internal static TimeSpan? PositiveDuration(HoconValue? value, string path, ErrorList errors)
    {
        var duration = errors.Duration(value, path);
        if (duration is null || duration > TimeSpan.Zero) return duration;
        errors.Add(value!, path, "must be a positive duration");
        return null;
    }

    private static string? NonEmptyText(HoconValue value, string path, ErrorList errors)
    {
        var text = errors.Text(value, path);
        if (text is not { Length: 0 }) return text;
        errors.Add(value, path, "must not be empty");
        return null;
    }
}

/// <summary>The <c>default-*</c> values a check group falls back to.</summary>
internal sealed record CheckDefaults(int Every, int ErrorEvery, int Retry, TimeSpan Timeout, AlertRules Rules);
