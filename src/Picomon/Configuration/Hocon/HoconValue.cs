namespace Picomon.Configuration.Hocon;

/// <summary>Where a value was written: the file (as the user named it) and the 1-based line.</summary>
public readonly record struct SourceLocation(string File, int Line)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}" : File;
}

/// <summary>A fully parsed and resolved HOCON value; every value remembers where it was written.</summary>
public abstract class HoconValue(SourceLocation location)
{
    public SourceLocation Location { get; } = location;

    /// <summary>A short name of the kind of value, for error messages ("an object", "a list", …).</summary>
    public abstract string KindName { get; }
}

public enum HoconScalarKind { String, Number, Boolean, Null }

/// <summary>A string, number, boolean or null. <see cref="Text"/> is the value as written
/// (unquoted and unescaped; a concatenation like <c>a b</c> is one string "a b").</summary>
public sealed class HoconScalar(SourceLocation location, HoconScalarKind kind, string text, bool quoted)
    : HoconValue(location)
{
    public HoconScalarKind Kind { get; } = kind;
    public string Text { get; } = text;
    public bool Quoted { get; } = quoted;

    public override string KindName => Kind switch
    {
        HoconScalarKind.Number => "a number",
        HoconScalarKind.Boolean => "a boolean",
        HoconScalarKind.Null => "null",
        _ => "a string",
    };
}

/// <summary>A list of values.</summary>
public sealed class HoconArray(SourceLocation location, IReadOnlyList<HoconValue> items) : HoconValue(location)
{
    public IReadOnlyList<HoconValue> Items { get; } = items;
    public override string KindName => "a list";
}

/// <summary>An object: keys in the order they first appeared, duplicate keys already merged.</summary>
public sealed class HoconObject(SourceLocation location, IReadOnlyList<KeyValuePair<string, HoconValue>> fields)
    : HoconValue(location)
{
    private readonly Dictionary<string, HoconValue> _byKey = fields.ToDictionary(f => f.Key, f => f.Value);

    public IReadOnlyList<KeyValuePair<string, HoconValue>> Fields { get; } = fields;
    public override string KindName => "an object";

    public bool TryGetValue(string key, out HoconValue value) => _byKey.TryGetValue(key, out value!);

    public HoconValue? this[string key] => _byKey.GetValueOrDefault(key);
}

/// <summary>A syntax or resolution error: the parser stops at the first one and reports where it is.</summary>
public sealed class HoconException(SourceLocation location, string message) : Exception(message)
{
    public SourceLocation Location { get; } = location;
}
