using Picomon.Checks;
using Picomon.Configuration.Hocon;

namespace Picomon.Configuration;

/// <summary>Reads the alert-quality options of a check group (<c>ok-after</c>, <c>flap-window</c>, <c>flap-high</c>,
/// <c>flap-low</c>) over the <c>default-*</c> ones, which reference.conf defines.</summary>
internal static class AlertRulesReader
{
    public static readonly string[] GroupKeys = ["ok-after", "flap-window", "flap-high", "flap-low"];

    /// <summary>The top-level defaults; flap-low must be below flap-high.</summary>
    public static AlertRules ReadDefaults(SettingsSection root, ErrorList errors)
    {
        var rules = new AlertRules(
            root.ReadValue<int>("default-ok-after", OkAfter),
            root.ReadValue<int>("default-flap-window", FlapWindow),
            root.ReadValue<double>("default-flap-high", FlapHigh),
            root.ReadValue<double>("default-flap-low", FlapLow));
        if (rules.FlapLow >= rules.FlapHigh)
            errors.Add(root["default-flap-low"], root.KeyPath("default-flap-low"), LowNotBelowHigh(rules));
        return rules;
    }

    /// <summary>A group's rules: its own options over <paramref name="defaults"/>.</summary>
    public static AlertRules ReadGroup(HoconObject group, string path, AlertRules defaults, ErrorList errors)
    {
        if (!GroupKeys.Any(k => group[k] is not null)) return defaults;
        var rules = new AlertRules(
            Option(group, path, "ok-after", OkAfter, errors) ?? defaults.OkAfter,
            Option(group, path, "flap-window", FlapWindow, errors) ?? defaults.FlapWindow,
            Option(group, path, "flap-high", FlapHigh, errors) ?? defaults.FlapHigh,
            Option(group, path, "flap-low", FlapLow, errors) ?? defaults.FlapLow);
        if (rules.FlapLow >= rules.FlapHigh)
        {
            var key = group["flap-low"] is not null ? "flap-low" : "flap-high";
            errors.Add(group[key]!, $"{path}.{key}", LowNotBelowHigh(rules));
        }
        // Equal rules share one record, whichever group they come from.
        return rules == defaults ? defaults : rules;
    }

    private static T? Option<T>(HoconObject group, string path, string key, SettingsSection.Reader<T?> read, ErrorList errors)
        where T : struct =>
        group[key] is { } value ? read(value, $"{path}.{key}", errors) : null;

    private static string LowNotBelowHigh(AlertRules rules) =>
        $"flap-low ({rules.FlapLow:0.##}) must be below flap-high ({rules.FlapHigh:0.##})";

    private static int? OkAfter(HoconValue value, string path, ErrorList errors) =>
        Ranged(errors.Integer(value, path), value, path, errors, n => n is >= 1 and <= 1000, "must be 1 to 1000 successes in a row");

    private static int? FlapWindow(HoconValue value, string path, ErrorList errors) =>
        Ranged(errors.Integer(value, path), value, path, errors, n => n == 0 || n is >= 2 and <= AlertRules.MaxFlapWindow,
            $"must be 0 (off) or 2 to {AlertRules.MaxFlapWindow} runs");

    private static double? FlapHigh(HoconValue value, string path, ErrorList errors) =>
        Share(value, path, errors, n => n is > 0 and <= 1, "must be above 0 and at most 1");

    private static double? FlapLow(HoconValue value, string path, ErrorList errors) =>
        Share(value, path, errors, n => n is >= 0 and < 1, "must be at least 0 and below 1");

    private static int? Ranged(long? n, HoconValue value, string path, ErrorList errors, Func<long, bool> valid, string message)
    {
        if (n is null) return null;
        if (valid(n.Value)) return (int)n.Value;
        errors.Add(value, path, $"{message}, got {n}");
        return null;
    }

    private static double? Share(HoconValue value, string path, ErrorList errors, Func<double, bool> valid, string message)
    {
        var n = errors.Number(value, path);
        if (n is null || valid(n.Value)) return n;
        errors.Add(value, path, $"{message} (a share of the runs), got {n}");
        return null;
    }
}
