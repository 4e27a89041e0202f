using System.Text;

namespace Picomon.Configuration.Hocon;

/// <summary>A value as parsed, before substitutions are resolved. Only <see cref="ObjectNode"/> is mutable
/// (duplicate keys merge into it while parsing); everything else is immutable once built.</summary>
internal abstract class Node(SourceLocation location)
{
    public SourceLocation Location { get; } = location;
}

/// <summary>A string, number, boolean or null, already in its final form.</summary>
internal sealed class LiteralNode(HoconScalar value) : Node(value.Location)
{
    public HoconScalar Value { get; } = value;
}

/// <summary>Whitespace between the parts of a value concatenation (<c>foo  bar</c>).</summary>
internal sealed class SpaceNode(SourceLocation location, string text) : Node(location)
{
    public string Text { get; } = text;
}

internal sealed class ArrayNode(SourceLocation location, IReadOnlyList<Node> items) : Node(location)
{
    public IReadOnlyList<Node> Items { get; } = items;
}

/// <summary>Adjacent values (<c>foo bar</c>, <c>[1] [2]</c>, <c>${a} {b = 1}</c>), joined when resolved.</summary>
internal sealed class ConcatNode(SourceLocation location, IReadOnlyList<Node> parts) : Node(location)
{
    public IReadOnlyList<Node> Parts { get; } = parts;
}

/// <summary>A later value of a field that can only be combined with the earlier one once resolved: a
/// substitution may turn out to be an object (then the two merge) or undefined (then the earlier stays).</summary>
internal sealed class MergeNode(Node earlier, Node later) : Node(later.Location)
{
    public Node Earlier { get; } = earlier;
    public Node Later { get; } = later;
}

/// <summary><c>${path}</c> or <c>${?path}</c>. <see cref="Path"/> is absolute (prefixed with the path of an
/// include); <see cref="Written"/> is as written. <see cref="Owner"/> is the path of the field whose value
/// holds it: a substitution of that field itself (or below it) means the field's previous value.</summary>
internal sealed class SubstNode(SourceLocation location, string[] path, string[] written, bool optional, string[]? owner)
    : Node(location)
{
    public string[] Path { get; } = path;
    public string[] Written { get; } = written;
    public bool Optional { get; } = optional;
    public string[]? Owner { get; } = owner;

    /// <summary>Set when the field was assigned before: the value this self-reference stands for.</summary>
    public Node? Previous { get; set; }

    public bool IsSelfReference => Owner is { } owner && Path.Length >= owner.Length && Path.AsSpan(0, owner.Length).SequenceEqual(owner);

    public string Display => $"${{{(Optional ? "?" : "")}{HoconPath.Join(Written)}}}";
}

internal sealed class ObjectNode(SourceLocation location) : Node(location)
{
    private readonly List<KeyValuePair<string, Node>> _fields = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private bool _frozen;

    /// <summary>The fields in the order their keys first appeared.</summary>
    public IReadOnlyList<KeyValuePair<string, Node>> Fields => _fields;

    public bool TryGetValue(string key, out Node value)
    {
        var found = _index.TryGetValue(key, out var i);
        value = found ? _fields[i].Value : null!;
        return found;
    }

    /// <summary>Sets a field; a duplicate key merges with the earlier value (objects merge, otherwise the
    /// later value wins, remembering the earlier one for self-references).</summary>
    public void Set(string key, Node value)
    {
        if (_index.TryAdd(key, _fields.Count)) _fields.Add(new(key, value));
        else _fields[_index[key]] = new(key, Merge(_fields[_index[key]].Value, value));
    }

    private static Node Merge(Node earlier, Node later)
    {
        if (earlier is ObjectNode earlierObject && later is ObjectNode laterObject)
        {
            var target = earlierObject._frozen ? earlierObject.Copy() : earlierObject;
            foreach (var (key, value) in laterObject.Fields) target.Set(key, value);
            return target;
        }
        RememberPrevious(later, earlier);
        var laterIsFinal = later is LiteralNode or ArrayNode || (later is ObjectNode && earlier is LiteralNode or ArrayNode);
        return laterIsFinal ? later : new MergeNode(earlier, later);
    }

    private static void RememberPrevious(Node later, Node earlier)
    {
        switch (later)
        {
            case SubstNode { IsSelfReference: true, Previous: null } subst:
                subst.Previous = earlier;
                Freeze(earlier);
                break;
            case ConcatNode concat:
                foreach (var part in concat.Parts) RememberPrevious(part, earlier);
                break;
            case ArrayNode array:
                foreach (var item in array.Items) RememberPrevious(item, earlier);
                break;
        }
    }

    // A remembered previous value must not change when later fields merge into the same object.
    private static void Freeze(Node node)
    {
        if (node is not ObjectNode { _frozen: false } obj) return;
        obj._frozen = true;
        foreach (var field in obj._fields) Freeze(field.Value);
    }

    private ObjectNode Copy()
    {
        var copy = new ObjectNode(Location);
        foreach (var (key, value) in _fields) copy.Set(key, value);
        return copy;
    }
}

/// <summary>Splits a key or substitution path written as quoted and unquoted parts into its segments:
/// dots split only unquoted text (<c>a."b.c".d</c> → a, b.c, d).</summary>
internal static class HoconPath
{
    /// <returns>The segments, or null when a segment is empty and unquoted (<c>a..b</c>, <c>.a</c>).</returns>
    public static string[]? Split(IReadOnlyList<(string Text, bool Quoted)> parts)
    {
        if (parts is [(var only, false)] && !only.StartsWith('.') && !only.EndsWith('.') && !only.Contains(".."))
            return only.Split('.'); // the common case: a plain unquoted key
        var segments = new List<string>();
        var current = new StringBuilder();
        var hasContent = false;
        foreach (var (partText, quoted) in parts)
        {
            if (quoted)
            {
                current.Append(partText);
                hasContent = true;
                continue;
            }
            var pieces = partText.Split('.');
            for (var i = 0; i < pieces.Length; i++)
            {
                if (i > 0)
                {
                    if (!hasContent) return null;
                    segments.Add(current.ToString());
                    current.Clear();
                    hasContent = false;
                }
                current.Append(pieces[i]);
                hasContent |= pieces[i].Length > 0;
            }
        }
        if (!hasContent) return null;
        segments.Add(current.ToString());
        return [.. segments];
    }

    public static string Join(IEnumerable<string> path) => string.Join('.', path);
}
