using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;
using Picomon.Checks;
using Picomon.Configuration.Hocon;

namespace Picomon.Configuration;

/// <summary>Reads <c>picomon.maintenance</c>: a list of windows, each <c>{ name, checks, cron, duration, time-zone }</c>
/// (recurring; <c>time-zone</c> an IANA name, default the machine's own) or <c>{ name, checks, start, duration }</c>
/// (once; <c>start</c> ISO-8601 with its offset). Every problem is reported with its line.</summary>
internal static partial class MaintenanceReader
{
    private static readonly string[] Keys = ["name", "checks", "cron", "time-zone", "start", "duration"];

    public static IReadOnlyList<MaintenanceWindow> Read(HoconValue value, string path, ErrorList errors)
    {
        if (value is not HoconArray array)
        {
            errors.Add(value, path, $"expected a list of maintenance windows, got {value.KindName}");
            return Array.Empty<MaintenanceWindow>();
        }
        var windows = new List<MaintenanceWindow>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Items.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (errors.Object(array.Items[i], itemPath) is not { } item) continue;
            errors.RejectUnknownKeys(item, itemPath, Keys);
            if (ReadWindow(item, itemPath, errors) is not { } window) continue;
            if (names.Add(window.Name)) windows.Add(window);
            else errors.Add(item["name"]!, $"{itemPath}.name", $"another maintenance window is named '{window.Name}'");
        }
        // None is the one shared empty list, so that two configurations without windows compare equal.
        return windows.Count == 0 ? Array.Empty<MaintenanceWindow>() : windows;
    }

    private static MaintenanceWindow? ReadWindow(HoconObject item, string path, ErrorList errors)
    {
        var name = Required(item, path, "name", errors) is { } n ? errors.Text(n, $"{path}.name") : null;
        var checks = Required(item, path, "checks", errors) is { } c ? Checks(c, $"{path}.checks", errors) : null;
        var duration = Required(item, path, "duration", errors) is { } d ? SettingsReader.PositiveDuration(d, $"{path}.duration", errors) : null;
        var (cronValue, startValue) = (item["cron"], item["start"]);
        if (cronValue is null == startValue is null)
            errors.Add(item, path, cronValue is null ? "a maintenance window needs 'cron' or 'start'" : "give 'cron' or 'start', not both");
        if (startValue is not null && item["time-zone"] is { } zoneValue)
            errors.Add(zoneValue, $"{path}.time-zone", "only a 'cron' window takes a time zone ('start' carries its offset)");
        var cron = cronValue is null ? null : Cron(cronValue, $"{path}.cron", errors);
        var zone = item["time-zone"] is { } z && cronValue is not null ? Zone(z, $"{path}.time-zone", errors) : TimeZoneInfo.Local;
        var start = startValue is null ? null : Start(startValue, $"{path}.start", errors);
        if (name is null || checks is null || duration is null || zone is null || (cron is null && start is null)) return null;
        return new MaintenanceWindow(name, checks, cron, zone, start, duration.Value);
    }

    private static HoconValue? Required(HoconObject item, string path, string key, ErrorList errors)
    {
        if (item[key] is { } value) return value;
        errors.Add(item, path, $"a maintenance window needs '{key}'");
        return null;
    }

    private static CheckPatterns? Checks(HoconValue value, string path, ErrorList errors)
    {
        var list = errors.TextList(value, path);
        if (list is { Count: 0 }) errors.Add(value, path, "must name at least one check id or glob ('*' for all)");
        if (list is not { Count: > 0 }) return null;
        var patterns = CheckPatterns.Parse(list, out var error);
        if (error is not null) errors.Add(value, path, error);
        return patterns;
    }

    private static CronExpression? Cron(HoconValue value, string path, ErrorList errors)
    {
        var text = errors.Text(value, path);
        if (text is null) return null;
        try
        {
            return CronExpression.Parse(text, CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            errors.Add(value, path, $"'{text}' is not a cron expression (minute hour day-of-month month day-of-week): {e.Message}");
            return null;
        }
    }

    private static TimeZoneInfo? Zone(HoconValue value, string path, ErrorList errors)
    {
        var text = errors.Text(value, path);
        if (text is null) return null;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(text);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            errors.Add(value, path, $"unknown time zone '{text}' (an IANA name such as 'Europe/Paris' or 'UTC')");
            return null;
        }
    }

    private static DateTimeOffset? Start(HoconValue value, string path, ErrorList errors)
    {
        var text = errors.Text(value, path);
        if (text is null) return null;
        if (Iso8601WithOffset().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
            return start;
        errors.Add(value, path, $"'{text}' is not an ISO-8601 time with its offset (2026-12-01T22:00:00+01:00)");
        return null;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Iso8601WithOffset();
}
