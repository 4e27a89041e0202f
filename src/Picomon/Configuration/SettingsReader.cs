using System.Net.Mail;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Picomon.Configuration.Hocon;
using Picomon.Probes;

namespace Picomon.Configuration;

/// <summary>Turns the merged <c>picomon { }</c> tree into <see cref="PicomonSettings"/>, collecting
/// every problem. Checks are expanded by <see cref="CheckExpander"/>.</summary>
internal static class SettingsReader
{
    private static readonly string[] TopKeys =
        ["base-tick", "default-every", "default-error-every", "default-retry", "default-timeout",
         "verb-level", "state-dir", "emails", "hosts", "checks"];
    private static readonly string[] EmailKeys =
        ["to", "addr-from", "smtp-host", "smtp-keepalive-timeout", "smtp-retry-timeout", "smtp-tls",
         "smtp-user", "smtp-password", "subject-tpl", "report", "watchdog-subject"];
    private static readonly string[] ReportKeys = ["every", "subject"];
    private static readonly string[] HostKeys = ["ipv4", "ipv6", "name"];

    private static readonly Dictionary<string, LogLevel> Levels = new()
    {
        ["CRITICAL"] = LogLevel.Critical, ["ERROR"] = LogLevel.Error, ["WARNING"] = LogLevel.Warning,
        ["INFO"] = LogLevel.Information, ["DEBUG"] = LogLevel.Debug,
    };

    public static PicomonSettings Read(HoconObject picomon, string source, string? akkaHocon, string fqdn, ErrorList errors)
    {
        const string root = "picomon";
        errors.RejectUnknownKeys(picomon, root, TopKeys);
        var baseTick = PositiveDuration(picomon, root, "base-tick", errors) ?? TimeSpan.FromSeconds(60);
        var level = LogLevelOf(picomon, root, errors);
        var stateDir = NonEmptyText(picomon, root, "state-dir", errors) ?? "./picomon-state";
        var emails = ReadEmails(errors.Object(picomon["emails"], $"{root}.emails"), $"{root}.emails", fqdn, errors);
        var hosts = ReadHosts(errors.Object(picomon["hosts"], $"{root}.hosts"), $"{root}.hosts", errors);
        var defaults = new CheckDefaults(
            CheckExpander.Every(picomon["default-every"], $"{root}.default-every", errors) ?? 1,
            CheckExpander.ErrorEvery(picomon["default-error-every"], $"{root}.default-error-every", errors) ?? -1,
            CheckExpander.Retry(picomon["default-retry"], $"{root}.default-retry", errors) ?? 1,
            PositiveDuration(picomon, root, "default-timeout", errors) ?? TimeSpan.FromSeconds(2));
        var checks = CheckExpander.Expand(picomon["checks"], $"{root}.checks", hosts, defaults, errors);
        return new PicomonSettings(source, baseTick, level, stateDir, emails, hosts, checks, akkaHocon);
    }

    private static LogLevel LogLevelOf(HoconObject obj, string path, ErrorList errors)
    {
        var text = errors.Text(obj["verb-level"], $"{path}.verb-level");
        if (text is null) return LogLevel.Information;
        if (Levels.TryGetValue(text.ToUpperInvariant(), out var level)) return level;
        errors.Add(obj["verb-level"]!, $"{path}.verb-level", $"must be one of {string.Join(", ", Levels.Keys)}, got '{text}'");
        return LogLevel.Information;
    }

    private static EmailSettings ReadEmails(HoconObject? emails, string path, string fqdn, ErrorList errors)
    {
        emails ??= new HoconObject(default, []);
        errors.RejectUnknownKeys(emails, path, EmailKeys);
        var to = errors.TextList(emails["to"], $"{path}.to") ?? [];
        foreach (var address in to.Where(a => !MailAddress.TryCreate(a, out _)))
            errors.Add(emails["to"]!, $"{path}.to", $"'{address}' is not a mail address");
        var from = errors.Text(emails["addr-from"], $"{path}.addr-from") is { Length: > 0 } f ? f : $"Picomon <picomon@{fqdn}>";
        if (!MailAddress.TryCreate(from, out _))
            errors.Add(emails["addr-from"]!, $"{path}.addr-from", $"'{from}' is not a mail address");
        var (smtpHost, smtpPort) = ReadSmtpHost(emails, path, errors);
        var report = errors.Object(emails["report"], $"{path}.report") ?? new HoconObject(default, []);
        errors.RejectUnknownKeys(report, $"{path}.report", ReportKeys);
        var reportEvery = errors.Duration(report["every"], $"{path}.report.every") ?? TimeSpan.Zero;
        if (reportEvery < TimeSpan.Zero)
            errors.Add(report["every"]!, $"{path}.report.every", "must not be negative (0 disables reports)");
        return new EmailSettings(
            to, from, smtpHost, smtpPort,
            PositiveDuration(emails, path, "smtp-keepalive-timeout", errors) ?? TimeSpan.FromSeconds(60),
            PositiveDuration(emails, path, "smtp-retry-timeout", errors) ?? TimeSpan.FromSeconds(60),
            ReadTls(emails, path, errors),
            errors.Text(emails["smtp-user"], $"{path}.smtp-user"),
            // The password's value is never echoed in an error: only its type is checked.
            emails["smtp-password"] is HoconScalar { Kind: not HoconScalarKind.Null } pw ? pw.Text : SecretTypeError(emails["smtp-password"], $"{path}.smtp-password", errors),
            errors.Text(emails["subject-tpl"], $"{path}.subject-tpl") ?? "[DOMAIN] {state}: {check} on {dest}",
            reportEvery < TimeSpan.Zero ? TimeSpan.Zero : reportEvery,
            errors.Text(report["subject"], $"{path}.report.subject") ?? "[DOMAIN] Picomon error report",
            errors.Text(emails["watchdog-subject"], $"{path}.watchdog-subject") ?? "[DOMAIN] Picomon stopped");
    }

    private static string? SecretTypeError(HoconValue? value, string path, ErrorList errors)
    {
        if (value is not null) errors.Add(value, path, $"expected a string, got {value.KindName}");
        return null;
    }

    private static (string Host, int Port) ReadSmtpHost(HoconObject emails, string path, ErrorList errors)
    {
        var text = errors.Text(emails["smtp-host"], $"{path}.smtp-host");
        if (text is null) return ("localhost", 25);
        if (HostPort.TryParse(text, 25) is { } endpoint) return endpoint;
        errors.Add(emails["smtp-host"]!, $"{path}.smtp-host", $"expected host[:port] (IPv6 as [addr]:port), got '{text}'");
        return ("localhost", 25);
    }

    private static SmtpTls ReadTls(HoconObject emails, string path, ErrorList errors)
    {
        var text = errors.Text(emails["smtp-tls"], $"{path}.smtp-tls");
        switch (text?.ToLowerInvariant())
        {
            case null or "auto": return SmtpTls.Auto;
            case "none": return SmtpTls.None;
            case "starttls": return SmtpTls.StartTls;
            case "tls": return SmtpTls.Tls;
            default:
                errors.Add(emails["smtp-tls"]!, $"{path}.smtp-tls", $"must be one of auto, none, starttls, tls, got '{text}'");
                return SmtpTls.Auto;
        }
    }

    private static Dictionary<string, HostSettings> ReadHosts(HoconObject? hosts, string path, ErrorList errors)
    {
        var result = new Dictionary<string, HostSettings>();
        foreach (var (key, value) in hosts?.Fields ?? [])
        {
            var hostPath = ErrorList.Join(path, key);
            if (errors.Object(value, hostPath) is not { } host) continue;
            errors.RejectUnknownKeys(host, hostPath, HostKeys);
            var v4 = Address(host, hostPath, "ipv4", AddressFamily.InterNetwork, errors);
            var v6 = Address(host, hostPath, "ipv6", AddressFamily.InterNetworkV6, errors);
            if (host["ipv4"] is null && host["ipv6"] is null)
                errors.Add(host, hostPath, "a host needs ipv4 or ipv6 (or both)");
            var name = errors.Text(host["name"], $"{hostPath}.name")
                       ?? (v4 is not null && v6 is not null ? $"{v4}/{v6}" : v4 ?? v6 ?? key);
            result[key] = new HostSettings(key, v4, v6, name);
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

    internal static TimeSpan? PositiveDuration(HoconObject obj, string path, string key, ErrorList errors)
    {
        var duration = errors.Duration(obj[key], $"{path}.{key}");
        if (duration is null || duration > TimeSpan.Zero) return duration;
        errors.Add(obj[key]!, $"{path}.{key}", "must be a positive duration");
        return null;
    }

    private static string? NonEmptyText(HoconObject obj, string path, string key, ErrorList errors)
    {
        var text = errors.Text(obj[key], $"{path}.{key}");
        if (text is not { Length: 0 }) return text;
        errors.Add(obj[key]!, $"{path}.{key}", "must not be empty");
        return null;
    }
}

/// <summary>The <c>default-*</c> values a check group falls back to.</summary>
internal sealed record CheckDefaults(int Every, int ErrorEvery, int Retry, TimeSpan Timeout);
