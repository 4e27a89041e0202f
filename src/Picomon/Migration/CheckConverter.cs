using System.Globalization;
using System.Text.Json;

namespace Picomon.Migration;

/// <summary>Each element of the original's <c>config.checks</c> as a Picomon check: its type, its target
/// and its options in HOCON, in the order the config gave them. Timing is written as the original
/// resolved it when the check was built, so a default the config changed afterwards cannot shift it.</summary>
internal static class CheckConverter
{
    /// <summary>One converted check. <see cref="Target"/> is a host key, or a zone when <see cref="IsZone"/>.</summary>
    public sealed record Converted(
        string Type, string Target, bool IsZone, IReadOnlyList<(string Key, string Value)> Options, int? Add, string? Where)
    {
        public string Id => $"{Type}/{Target}";
    }

    public static IReadOnlyList<Converted> Convert(
        IReadOnlyList<OriginalCheck> checks, IReadOnlyList<HostConverter.Entry?> hosts, TimingDefaults defaults, string configPath) =>
        checks.Select(check => ConvertOne(check, hosts, defaults, configPath)).ToList();

    private static Converted ConvertOne(OriginalCheck check, IReadOnlyList<HostConverter.Entry?> hosts, TimingDefaults defaults, string configPath)
    {
        if (check.Foreign)
            throw MigrationException.At(null, configPath, $"config.checks holds a {check.Class}, not a check");
        if (OriginalChecks.WhyNotConvertible(check.Class) is { } why)
            throw MigrationException.At(check.Where, configPath, why);
        var type = OriginalChecks.Classes[check.Class];
        try
        {
            var target = TargetOf(check, type, hosts);
            var options = Options(check, type, defaults);
            return new Converted(type.Type, target, type.TakesZone, options, check.Add, check.Where);
        }
        catch (FormatException e)
        {
            throw MigrationException.At(check.Where, configPath, $"{check.Class}: {e.Message}");
        }
    }

    private static string TargetOf(OriginalCheck check, OriginalCheckClass type, IReadOnlyList<HostConverter.Entry?> hosts)
    {
        if (type.TakesZone)
            return check.Target is { ValueKind: JsonValueKind.String } zone && zone.GetString() is { Length: > 0 } name
                ? name
                : throw new FormatException($"the zone must be a non-empty string, got {Describe(check.Target)}");
        if (check.Host is not { } index || hosts[index] is not { } host)
            throw new FormatException($"the target must be a Host, got {Describe(check.Target)}");
        var address = type.Family == 4 ? host.IPv4 : host.IPv6;
        if (address is null)
            throw new FormatException(
                $"host {host.Key} has no ipv{type.Family} (the original probed its documentation address " +
                $"{(type.Family == 4 ? "192.0.2.1" : "2001:db8::1")}); give the host an ipv{type.Family} or drop this check");
        return host.Key;
    }

    private static string Describe(JsonElement? value) => value is { } v ? PythonValue.Describe(v) : "nothing";

    private static List<(string, string)> Options(OriginalCheck check, OriginalCheckClass type, TimingDefaults defaults)
    {
        var given = check.Options.EnumerateObject().ToList();
        foreach (var option in given.Where(o => !type.Options.Contains(o.Name)))
        {
            var suggestion = Configuration.ErrorList.Suggest(option.Name, type.Options);
            throw new FormatException($"unknown option '{option.Name}'{(suggestion is null ? "" : $", did you mean '{suggestion}'?")} " +
                                      $"(the original ignored it; {check.Class} takes {string.Join(", ", type.Options)})");
        }
        var timing = Timing(check, given.Select(o => o.Name).ToHashSet(), defaults);
        var options = new List<(string, string)>();
        foreach (var option in given)
            options.Add((Key(option.Name), timing.Remove(option.Name, out var value) ? value : Value(option.Name, option.Value)));
        options.AddRange(timing.Select(t => (Key(t.Key), t.Value)));
        return options;
    }

    /// <summary>every, error_every, retry and timeout as the original resolved them, where they must be written:
    /// given by the config, or different from what Picomon's defaults would give.</summary>
    private static Dictionary<string, string> Timing(OriginalCheck check, HashSet<string> given, TimingDefaults defaults)
    {
        var timing = new Dictionary<string, string>();
        var every = Checked("every", () => SettingsConverter.Ticks(check.Every));
        if (given.Contains("every") || every != defaults.Every) timing["every"] = Number(every);
        var errorEvery = Checked("error_every", () => SettingsConverter.Ticks(check.ErrorEvery));
        var picomonErrorEvery = defaults.ErrorEvery == -1 ? every : defaults.ErrorEvery;
        if (given.Contains("error_every") || errorEvery != picomonErrorEvery)
        {
            var writtenNegative = check.Options.TryGetProperty("error_every", out var raw) && raw.ValueKind == JsonValueKind.Number && raw.GetDouble() < 0;
            timing["error_every"] = writtenNegative && errorEvery == every ? "-1" : Number(errorEvery);
        }
        var retry = Checked("retry", () => PythonValue.Whole(check.Retry));
        if (retry < 0) throw new FormatException($"option retry: must be 0 or more, got {retry}");
        if (given.Contains("retry") || retry != 1) timing["retry"] = Number(retry);
        var timeout = Checked("timeout", () => PythonValue.Seconds(check.Timeout, zeroAllowed: false));
        if (given.Contains("timeout") || check.Timeout.GetDouble() != 2) timing["timeout"] = timeout;
        return timing;
    }

    private static T Checked<T>(string option, Func<T> convert)
    {
        try { return convert(); }
        catch (FormatException e)
        {
            var hint = option is "every" or "error_every" && e.Message.Contains("not a whole number")
                ? " (the original never ran a check whose tick count is not whole; compute it with // or round())" : "";
            throw new FormatException($"option {option}: {e.Message}{hint}");
        }
    }

    private static string Value(string option, JsonElement value)
    {
        try
        {
            return option switch
            {
                "ip_version" => Number(PythonValue.Whole(value)),
                "status" => Status(value),
                _ => PythonValue.Text(value),
            };
        }
        catch (FormatException e) { throw new FormatException($"option {option}: {e.Message}"); }
    }

    // The original passed `status` to check_http -e, which also took "HTTP/1.1 200"-style strings;
    // Picomon compares one status code.
    private static string Status(JsonElement value)
    {
        var text = PythonValue.RawText(value);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            ? Number(code)
            : throw new FormatException($"Picomon takes one HTTP status code, got {PythonValue.Describe(value)}");
    }

    private static string Key(string option) => option.Replace('_', '-');

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
}
