using System.Globalization;
using Picomon.Configuration.Hocon;

namespace Picomon.Configuration;

/// <summary>Typed reads of HOCON values. Each returns null and sets <c>error</c> to a short phrase
/// ("expected an integer, got a list") when the value has the wrong type.</summary>
public static class HoconConvert
{
    public static string? ToText(HoconValue value, out string? error)
    {
        error = null;
        if (value is HoconScalar { Kind: not HoconScalarKind.Null } s) return s.Text;
        error = $"expected a string, got {value.KindName}";
        return null;
    }

    public static long? ToInteger(HoconValue value, out string? error)
    {
        error = null;
        if (value is HoconScalar s && s.Kind is HoconScalarKind.Number or HoconScalarKind.String
            && long.TryParse(s.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            return n;
        error = value is HoconScalar sc && sc.Kind != HoconScalarKind.Null
            ? $"expected an integer, got '{sc.Text}'"
            : $"expected an integer, got {value.KindName}";
        return null;
    }

    /// <summary>A finite number (<c>0.3</c>, <c>1</c>).</summary>
    public static double? ToNumber(HoconValue value, out string? error)
    {
        error = null;
        if (value is HoconScalar s && s.Kind is HoconScalarKind.Number or HoconScalarKind.String
            && double.TryParse(s.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n))
            return n;
        error = value is HoconScalar sc && sc.Kind != HoconScalarKind.Null
            ? $"expected a number, got '{sc.Text}'"
            : $"expected a number, got {value.KindName}";
        return null;
    }

    public static bool? ToBoolean(HoconValue value, out string? error)
    {
        error = null;
        if (value is HoconScalar s && s.Kind is HoconScalarKind.Boolean or HoconScalarKind.String)
        {
            switch (s.Text.ToLowerInvariant())
            {
                case "true" or "yes" or "on": return true;
                case "false" or "no" or "off": return false;
            }
        }
        error = value is HoconScalar sc && sc.Kind != HoconScalarKind.Null
            ? $"expected true or false, got '{sc.Text}'"
            : $"expected true or false, got {value.KindName}";
        return null;
    }

    /// <summary>A HOCON duration (<c>500ms</c>, <c>2s</c>, <c>5 minutes</c>, <c>1h</c>) or a bare number of seconds.</summary>
    public static TimeSpan? ToDuration(HoconValue value, out string? error)
    {
        error = null;
        if (value is HoconScalar s && s.Kind is HoconScalarKind.Number or HoconScalarKind.String)
        {
            var text = s.Text.Trim();
            var split = 0;
            while (split < text.Length && (char.IsDigit(text[split]) || text[split] is '.' or '-' or '+')) split++;
            var unit = text[split..].Trim();
            if (double.TryParse(text[..split], NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                && UnitSeconds(unit) is { } seconds && !double.IsInfinity(number * seconds)
                && Math.Abs(number * seconds) < TimeSpan.MaxValue.TotalSeconds / 2)
                return TimeSpan.FromSeconds(number * seconds);
        }
        error = value is HoconScalar sc && sc.Kind != HoconScalarKind.Null
            ? $"expected a duration (like 500ms, 2s, 5m, 1h, or a number of seconds), got '{sc.Text}'"
            : $"expected a duration, got {value.KindName}";
        return null;
    }

    private static double? UnitSeconds(string unit) => unit switch
    {
        "" or "s" or "second" or "seconds" => 1,
        "ns" or "nanosecond" or "nanoseconds" => 1e-9,
        "us" or "microsecond" or "microseconds" => 1e-6,
        "ms" or "milli" or "millis" or "millisecond" or "milliseconds" => 1e-3,
        "m" or "minute" or "minutes" => 60,
        "h" or "hour" or "hours" => 3600,
        "d" or "day" or "days" => 86400,
        _ => null,
    };

    /// <summary>A list of strings; a single string is accepted as a one-element list.</summary>
    public static IReadOnlyList<string>? ToTextList(HoconValue value, out string? error)
    {
        error = null;
        if (value is HoconScalar { Kind: HoconScalarKind.String or HoconScalarKind.Number } single) return [single.Text];
        if (value is not HoconArray array)
        {
            error = $"expected a list of strings, got {value.KindName}";
            return null;
        }
        var items = new List<string>(array.Items.Count);
        foreach (var item in array.Items)
        {
            if (item is HoconScalar { Kind: HoconScalarKind.String or HoconScalarKind.Number } s) items.Add(s.Text);
            else
            {
                error = $"expected a list of strings, but an element is {item.KindName}";
                return null;
            }
        }
        return items;
    }
}
