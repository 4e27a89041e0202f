using System.Text.Json;

namespace Picomon.Migration;

/// <summary>The original's <c>config.*</c> settings the config changed, as Picomon keys and HOCON values
/// (README "Configuration"). Settings left at their defaults are not written: Picomon's defaults are the original's.</summary>
internal static class SettingsConverter
{
    private static readonly (string Original, string Key, Func<JsonElement, string> Convert)[] Map =
    [
        ("base_tick", "base-tick", v => PythonValue.Seconds(v, zeroAllowed: false)),
        ("default_every", "default-every", v => Ticks(v).ToString()),
        ("default_error_every", "default-error-every", v => ErrorTicks(v).ToString()),
        ("verb_level", "verb-level", Level),
        ("emails.to", "emails.to", PythonValue.TextList),
        ("emails.addr_from", "emails.addr-from", PythonValue.Text),
        ("emails.smtp_host", "emails.smtp-host", PythonValue.Text),
        ("emails.smtp_keepalive_timeout", "emails.smtp-keepalive-timeout", v => PythonValue.Seconds(v, zeroAllowed: false)),
        ("emails.smtp_retry_timeout", "emails.smtp-retry-timeout", v => PythonValue.Seconds(v, zeroAllowed: false)),
        ("emails.subject_tpl", "emails.subject-tpl", PythonValue.Text),
        ("emails.report.every", "emails.report.every", v => PythonValue.Seconds(v, zeroAllowed: true)),
        ("emails.report.subject", "emails.report.subject", PythonValue.Text),
        ("emails.watchdog_subject", "emails.watchdog-subject", PythonValue.Text),
    ];

    /// <summary>The settings to write, in the original's order, and the check defaults they leave.</summary>
    public static (IReadOnlyList<(string Key, string Value)> Settings, TimingDefaults Defaults) Convert(JsonElement settings, string configPath)
    {
        var result = new List<(string, string)>();
        var defaults = TimingDefaults.Original;
        foreach (var (original, key, convert) in Map)
        {
            if (!settings.TryGetProperty(original, out var value)) continue;
            try
            {
                result.Add((key, convert(value)));
                if (original == "default_every") defaults = defaults with { Every = Ticks(value) };
                if (original == "default_error_every") defaults = defaults with { ErrorEvery = ErrorTicks(value) };
            }
            catch (FormatException e)
            {
                throw MigrationException.At(null, configPath, $"config.{original}: {e.Message}");
            }
        }
        foreach (var unknown in settings.EnumerateObject().Where(p => Map.All(m => m.Original != p.Name)))
            throw MigrationException.At(null, configPath, $"config.{unknown.Name}: not a setting Picomon knows");
        return (result, defaults);
    }

    /// <summary>A tick count: a whole number ≥ 1 (the original divided the tick counter by it).</summary>
    public static long Ticks(JsonElement value)
    {
        var n = PythonValue.Whole(value);
        return n >= 1 ? n : throw new FormatException($"must be a whole number of ticks ≥ 1, got {n}");
    }

    /// <summary>Like <see cref="Ticks"/>, where any negative number meant "same as every", Picomon's -1.</summary>
    public static long ErrorTicks(JsonElement value)
    {
        var n = PythonValue.Whole(value);
        return n < 0 ? -1 : n >= 1 ? n : throw new FormatException("must be a whole number of ticks ≥ 1, or -1 (same as every), got 0");
    }

    // logging.basicConfig(level=...) took a level name or number; Picomon takes the five names.
    private static string Level(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number)
            return PythonValue.Whole(value) switch { <= 10 => "DEBUG", <= 20 => "INFO", <= 30 => "WARNING", <= 40 => "ERROR", _ => "CRITICAL" };
        return PythonValue.RawText(value).ToUpperInvariant() switch
        {
            "DEBUG" or "NOTSET" => "DEBUG",
            "INFO" => "INFO",
            "WARNING" or "WARN" => "WARNING",
            "ERROR" => "ERROR",
            "CRITICAL" or "FATAL" => "CRITICAL",
            _ => throw new FormatException($"expected a logging level (CRITICAL, ERROR, WARNING, INFO, DEBUG), got {PythonValue.Describe(value)}"),
        };
    }
}

/// <summary><c>default-every</c> and <c>default-error-every</c> as the written configuration will have them.</summary>
internal sealed record TimingDefaults(long Every, long ErrorEvery)
{
    public static readonly TimingDefaults Original = new(1, -1);
}
