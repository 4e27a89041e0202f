using System.Collections;
using System.Text.RegularExpressions;

namespace Picomon.Probes;

/// <summary>A check's typed options: each check type has its own sealed record, read by its registry entry
/// (<see cref="CheckType"/>) with every default applied. Records compare by value (their regexes and lists
/// too, see <see cref="Pattern"/> and <see cref="ValueList{T}"/>), so a reload tells a changed check from an
/// unchanged one.</summary>
public abstract record CheckOptions;

/// <summary>The options of a type that takes none (ping).</summary>
public sealed record NoOptions : CheckOptions
{
    public static readonly NoOptions Instance = new();

    public static NoOptions Read(OptionReader reader) => Instance;
}

/// <summary>A regular expression option, compiled once at load time. Equal to another written the same way:
/// a <see cref="Regex"/> compares by reference.</summary>
public sealed class Pattern : IEquatable<Pattern>
{
    /// <exception cref="ArgumentException">The text is not a valid .NET regular expression.</exception>
    public Pattern(string text)
    {
        Text = text;
        // The timeout bounds a pathological pattern on a hostile reply.
        Regex = new Regex(text, RegexOptions.CultureInvariant | RegexOptions.Multiline, TimeSpan.FromSeconds(1));
    }

    public string Text { get; }

    public Regex Regex { get; }

    public bool Equals(Pattern? other) => other is not null && Text == other.Text;

    public override bool Equals(object? obj) => Equals(obj as Pattern);

    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Text;
}

/// <summary>A read-only list equal to another with the same elements in the same order (a list member of a
/// record would compare by reference).</summary>
public sealed class ValueList<T>(IReadOnlyList<T> items) : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] _items = [.. items];

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(ValueList<T>? other) => other is not null && _items.SequenceEqual(other._items);

    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items) hash.Add(item);
        return hash.ToHashCode();
    }

    public override string ToString() => $"[{string.Join(", ", _items)}]";
}
