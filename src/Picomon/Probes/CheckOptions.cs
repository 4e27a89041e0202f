using System.Text.RegularExpressions;
using Picomon.Configuration;
using Picomon.Configuration.Hocon;

namespace Picomon.Probes;

/// <summary>One option a check type takes: its name, how a HOCON value becomes its typed value
/// (or an error phrase), whether it is required and its default.</summary>
public sealed class OptionSpec
{
    private readonly Func<HoconValue, (object? Value, string? Error)> _parse;

    private OptionSpec(string name, Func<HoconValue, (object?, string?)> parse, bool required, object? defaultValue)
    {
        Name = name;
        _parse = parse;
        Required = required;
        Default = defaultValue;
    }

    public string Name { get; }
    public bool Required { get; }
    public object? Default { get; }

    public (object? Value, string? Error) Parse(HoconValue value) => _parse(value);

    public static OptionSpec Text(string name, bool required = false, string? defaultValue = null) =>
        new(name, v =>
        {
            var text = HoconConvert.ToText(v, out var error);
            return text is { Length: 0 } ? (null, "must not be empty") : (text, error);
        }, required, defaultValue);

    /// <summary>A string that <paramref name="validate"/> accepts (it returns an error phrase, or null),
    /// so a malformed value such as a bad <c>host:port</c> is a configuration error, not a probe failure.</summary>
    public static OptionSpec ValidatedText(string name, Func<string, string?> validate, string? defaultValue = null) =>
        new(name, v =>
        {
            var text = HoconConvert.ToText(v, out var error);
            if (text is null) return (null, error);
            return validate(text) is { } problem ? (null, problem) : (text, null);
        }, false, defaultValue);

    public static OptionSpec Integer(string name, long min, long max, long? defaultValue = null, bool required = false) =>
        new(name, v =>
        {
            var n = HoconConvert.ToInteger(v, out var error);
            if (n is null) return (null, error);
            return n < min || n > max ? (null, $"must be between {min} and {max}, got {n}") : ((int)n.Value, null);
        }, required, defaultValue is { } d ? (int)d : null);

    public static OptionSpec Port(string name, int? defaultValue = null, bool required = false) =>
        Integer(name, 1, 65535, defaultValue, required);

    /// <summary>An integer from a fixed set (e.g. <c>ip-version</c>: 0, 4, 6).</summary>
    public static OptionSpec IntegerChoice(string name, int[] allowed, int defaultValue) =>
        new(name, v =>
        {
            var n = HoconConvert.ToInteger(v, out var error);
            if (n is null) return (null, error);
            return allowed.Contains((int)n) ? ((int)n, null) : (null, $"must be one of {string.Join(", ", allowed)}, got {n}");
        }, false, defaultValue);

    /// <summary>A string from a fixed set, compared case-insensitively and stored upper-case.</summary>
    public static OptionSpec Choice(string name, string[] allowed, string defaultValue) =>
        new(name, v =>
        {
            var text = HoconConvert.ToText(v, out var error);
            if (text is null) return (null, error);
            var match = allowed.FirstOrDefault(a => a.Equals(text, StringComparison.OrdinalIgnoreCase));
            return match is null ? (null, $"must be one of {string.Join(", ", allowed)}, got '{text}'") : (match, null);
        }, false, defaultValue);

    public static OptionSpec Boolean(string name, bool defaultValue = false) =>
        new(name, v =>
        {
            var b = HoconConvert.ToBoolean(v, out var error);
            return (b, error);
        }, false, defaultValue);

    /// <summary>A .NET regular expression, compiled once at load time.</summary>
    public static OptionSpec Pattern(string name, bool required = false, string? defaultValue = null) =>
        new(name, v =>
        {
            var text = HoconConvert.ToText(v, out var error);
            if (text is null) return (null, error);
            try { return (NewRegex(text), null); }
            catch (ArgumentException e) { return (null, $"invalid regular expression: {e.Message}"); }
        }, required, defaultValue is null ? null : NewRegex(defaultValue));

    /// <summary>A non-empty list of strings (a command: program then arguments).</summary>
    public static OptionSpec TextList(string name, bool required = false) =>
        new(name, v =>
        {
            var list = HoconConvert.ToTextList(v, out var error);
            if (list is null) return (null, error);
            return list.Count == 0 || list[0].Length == 0 ? (null, "must not be empty") : (list, null);
        }, required, null);

    private static Regex NewRegex(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant | RegexOptions.Multiline, TimeSpan.FromSeconds(1));
}

/// <summary>The validated, typed options of one check, defaults applied. Probes read them at construction.
/// Equal when every option has the same value, so a reload can tell a changed check from an unchanged one.</summary>
public sealed class CheckOptions(IReadOnlyDictionary<string, object> values) : IEquatable<CheckOptions>
{
    public static readonly CheckOptions Empty = new(new Dictionary<string, object>());

    /// <summary>Builds options directly, for tests and for callers that bypass HOCON.</summary>
    public static CheckOptions Of(params (string Name, object Value)[] values) =>
        new(values.ToDictionary(v => v.Name, v => v.Value));

    public string? Text(string name) => values.GetValueOrDefault(name) as string;
    public int? Integer(string name) => values.GetValueOrDefault(name) as int?;
    public bool Boolean(string name) => values.GetValueOrDefault(name) as bool? ?? false;
    public Regex? Pattern(string name) => values.GetValueOrDefault(name) switch
    {
        Regex r => r,
        string s => new Regex(s, RegexOptions.CultureInvariant | RegexOptions.Multiline, TimeSpan.FromSeconds(1)),
        _ => null,
    };
    public IReadOnlyList<string>? TextList(string name) => values.GetValueOrDefault(name) as IReadOnlyList<string>;

    public bool Equals(CheckOptions? other) =>
        other is not null && values.Count == other.Values.Count
        && values.All(kv => other.Values.TryGetValue(kv.Key, out var o) && Canonical(kv.Value) == Canonical(o));

    public override bool Equals(object? obj) => obj is CheckOptions other && Equals(other);

    public override int GetHashCode() => values.Count;

    private IReadOnlyDictionary<string, object> Values => values;

    // Regexes and lists compare by what was written, not by reference.
    private static string Canonical(object value) => value switch
    {
        Regex r => "regex:" + r,
        IReadOnlyList<string> list => "list:" + string.Join('\0', list),
        _ => value.GetType().Name + ":" + value,
    };
}
