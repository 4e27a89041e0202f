namespace Picomon.Probes;

/// <summary>Where a check type reads its options from. Each typed read names one option and states its type,
/// its range and its default (what an absent option means), so a type's <c>Read</c> method is the only place
/// its options are declared. A wrong value is recorded by the reader, with where it was written, and reads as
/// the default, so that reading goes on and every problem is reported; an absent required option reads as 0
/// or an empty list (the configuration is rejected anyway). Configuration reads a HOCON check group through
/// it; <see cref="OptionNames"/> lists the names a type reads.</summary>
public abstract class OptionReader
{
    /// <summary>The option's text; null when it is absent, or not text (which is recorded).</summary>
    protected abstract string? RawText(string name);

    /// <summary>The option's integer; null when absent (recorded when <paramref name="required"/>) or not an
    /// integer (recorded).</summary>
    protected abstract long? RawInteger(string name, bool required);

    /// <summary>The option's boolean; null when absent or not a boolean (recorded).</summary>
    protected abstract bool? RawBoolean(string name);

    /// <summary>The option's list of strings (a single string is a list of one); null when absent (recorded
    /// when <paramref name="required"/>) or not such a list (recorded).</summary>
    protected abstract IReadOnlyList<string>? RawTextList(string name, bool required);

    /// <summary>Records that the value given for option <paramref name="name"/> is wrong, and why.</summary>
    protected abstract void Reject(string name, string problem);

    /// <summary>A non-empty string, or null when absent.</summary>
    public string? Text(string name)
    {
        var text = RawText(name);
        if (text is not { Length: 0 }) return text;
        Reject(name, "must not be empty");
        return null;
    }

    /// <summary>A non-empty string, <paramref name="defaultValue"/> when absent.</summary>
    public string Text(string name, string defaultValue) => Text(name) ?? defaultValue;

    /// <summary>A string that <paramref name="validate"/> accepts (it returns why not, or null), or null when
    /// absent: a malformed value such as a bad <c>host:port</c> is a configuration error, not a probe failure.</summary>
    public string? ValidatedText(string name, Func<string, string?> validate)
    {
        var text = RawText(name);
        if (text is null || validate(text) is not { } problem) return text;
        Reject(name, problem);
        return null;
    }

    /// <summary>As <see cref="ValidatedText(string, Func{string, string?})"/>, <paramref name="defaultValue"/> when absent.</summary>
    public string ValidatedText(string name, Func<string, string?> validate, string defaultValue) =>
        ValidatedText(name, validate) ?? defaultValue;

    /// <summary>An integer from <paramref name="min"/> to <paramref name="max"/>, or null when absent.</summary>
    public int? Integer(string name, int min, int max) => Ranged(name, min, max, required: false);

    /// <summary>A TCP or UDP port, <paramref name="defaultValue"/> when absent.</summary>
    public int Port(string name, int defaultValue) => Ranged(name, 1, 65535, required: false) ?? defaultValue;

    /// <summary>A TCP or UDP port the check cannot do without.</summary>
    public int RequiredPort(string name) => Ranged(name, 1, 65535, required: true) ?? 0;

    /// <summary>An integer from a fixed set (e.g. <c>ip-version</c>: 0, 4, 6), <paramref name="defaultValue"/> when absent.</summary>
    public int Choice(string name, int[] allowed, int defaultValue)
    {
        var n = RawInteger(name, required: false);
        if (n is null) return defaultValue;
        if (allowed.Any(a => a == n)) return (int)n;
        Reject(name, $"must be one of {string.Join(", ", allowed)}, got {n}");
        return defaultValue;
    }

    /// <summary>A string from a fixed set, compared case-insensitively and read as written in
    /// <paramref name="allowed"/>; <paramref name="defaultValue"/> when absent.</summary>
    public string Choice(string name, string[] allowed, string defaultValue)
    {
        var text = RawText(name);
        if (text is null) return defaultValue;
        if (allowed.FirstOrDefault(a => a.Equals(text, StringComparison.OrdinalIgnoreCase)) is { } match) return match;
        Reject(name, $"must be one of {string.Join(", ", allowed)}, got '{text}'");
        return defaultValue;
    }

    /// <summary>True or false, <paramref name="defaultValue"/> when absent.</summary>
    public bool Boolean(string name, bool defaultValue) => RawBoolean(name) ?? defaultValue;

    /// <summary>A .NET regular expression, compiled once here, or null when absent.</summary>
    public Pattern? Pattern(string name)
    {
        var text = RawText(name);
        if (text is null) return null;
        try
        {
            return new Pattern(text);
        }
        catch (ArgumentException e)
        {
            Reject(name, $"invalid regular expression: {e.Message}");
            return null;
        }
    }

    /// <summary>As <see cref="Pattern(string)"/>, <paramref name="defaultValue"/> when absent.</summary>
    public Pattern Pattern(string name, string defaultValue) => Pattern(name) ?? new Pattern(defaultValue);

    /// <summary>A command the check cannot do without: a program, then its arguments (a list of strings).</summary>
    public ValueList<string> Command(string name)
    {
        var list = RawTextList(name, required: true);
        if (list is null) return new ValueList<string>([]);
        if (list.Count > 0 && list[0].Length > 0) return new ValueList<string>(list);
        Reject(name, "must not be empty");
        return new ValueList<string>([]);
    }

    private int? Ranged(string name, int min, int max, bool required)
    {
        var n = RawInteger(name, required);
        if (n is null || (n >= min && n <= max)) return (int?)n;
        Reject(name, $"must be between {min} and {max}, got {n}");
        return null;
    }
}

/// <summary>Lists the names of the options a check type reads, in the order it reads them, by reading its
/// options from nowhere: every option is absent. This is how the "unknown key" and "option not taken by
/// check type" errors know a type's options without a second list of them.</summary>
public sealed class OptionNames : OptionReader
{
    private readonly List<string> _names = [];

    private OptionNames() { }

    public static IReadOnlyList<string> Of(Func<OptionReader, CheckOptions> read)
    {
        var recorder = new OptionNames();
        read(recorder);
        return recorder._names.Distinct().ToList();
    }

    protected override string? RawText(string name) => Absent<string>(name);
    protected override long? RawInteger(string name, bool required) => AbsentValue<long>(name);
    protected override bool? RawBoolean(string name) => AbsentValue<bool>(name);
    protected override IReadOnlyList<string>? RawTextList(string name, bool required) => Absent<IReadOnlyList<string>>(name);

    // Only a value that is present can be wrong.
    protected override void Reject(string name, string problem) =>
        throw new InvalidOperationException($"option '{name}' rejected while no option is present: {problem}");

    private T? Absent<T>(string name) where T : class
    {
        _names.Add(name);
        return null;
    }

    private T? AbsentValue<T>(string name) where T : struct
    {
        _names.Add(name);
        return null;
    }
}
