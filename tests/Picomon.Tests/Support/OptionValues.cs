using Picomon.Probes;

namespace Picomon.Tests.Support;

/// <summary>A check's options given as name/value pairs (strings, integers, booleans, string lists) and read
/// through the type's own <see cref="CheckType.ReadOptions"/>, as a configuration file would be: what is not
/// given gets its default. A value the type rejects, or a missing required option, fails the test.</summary>
internal sealed class OptionValues(IReadOnlyDictionary<string, object> values) : OptionReader
{
    /// <summary>The version probes built here are given (HTTP sends it as its User-Agent).</summary>
    public const string Version = "9.8.7-test";

    public static CheckOptions Read(CheckType type, params (string Name, object Value)[] values) =>
        type.ReadOptions(new OptionValues(values.ToDictionary(v => v.Name, v => v.Value)));

    public static IProbe Probe(string type, params (string Name, object Value)[] values)
    {
        var checkType = CheckTypes.Find(type) ?? throw new ArgumentException($"no check type {type}");
        return checkType.CreateProbe(Read(checkType, values), Version);
    }

    protected override string? RawText(string name) => Value(name, false) switch
    {
        null => null,
        string text => text,
        var other => throw Wrong(name, other),
    };

    protected override long? RawInteger(string name, bool required) => Value(name, required) switch
    {
        null => null,
        int n => n,
        long n => n,
        var other => throw Wrong(name, other),
    };

    protected override bool? RawBoolean(string name) => Value(name, false) switch
    {
        null => null,
        bool b => b,
        var other => throw Wrong(name, other),
    };

    protected override IReadOnlyList<string>? RawTextList(string name, bool required) => Value(name, required) switch
    {
        null => null,
        IReadOnlyList<string> list => list,
        var other => throw Wrong(name, other),
    };

    protected override void Reject(string name, string problem) =>
        throw new ArgumentException($"option {name} = {values[name]}: {problem}");

    private object? Value(string name, bool required) =>
        values.GetValueOrDefault(name) ?? (required ? throw new ArgumentException($"option {name} is required") : null);

    private static ArgumentException Wrong(string name, object value) =>
        new($"option {name}: a {value.GetType().Name} is not a value of this option");
}
