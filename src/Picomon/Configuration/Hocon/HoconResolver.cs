using System.Text;

namespace Picomon.Configuration.Hocon;

/// <summary>Resolves the substitutions of a parsed document against its root (forward references too),
/// falling back to environment variables. Each node is resolved once and shared; cycles, long chains, deep
/// nesting and exponential expansions (values copied by substitutions are counted) end in an error.</summary>
internal sealed class HoconResolver(ObjectNode root, Func<string, string?> environment)
{
    public const int MaxCopiedValues = 1_000_000;
    public const int MaxNesting = 256;
    private const int MaxRecursion = 1_000;
    private const int MaxStringLength = 16 * 1024 * 1024;

    private readonly Dictionary<Node, HoconValue?> _resolved = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Node> _active = new(ReferenceEqualityComparer.Instance);
    private readonly Stack<SubstNode> _substitutions = new();
    private readonly Dictionary<HoconValue, (long Size, int Depth)> _shapes = new(ReferenceEqualityComparer.Instance);
    private int _recursion;
    private long _copied;

    public HoconObject Resolve() => (HoconObject)Resolve(root)!;

    /// <summary>Deep merge of resolved objects: objects merge key by key, anything else: the override wins.
    /// <paramref name="built"/> sees every object it creates.</summary>
    public static HoconObject MergeObjects(HoconObject fallback, HoconObject overrides, Func<HoconObject, HoconObject> built)
    {
        var fields = new OrderedDictionary<string, HoconValue>(StringComparer.Ordinal);
        foreach (var (key, value) in fallback.Fields) fields[key] = value;
        foreach (var (key, value) in overrides.Fields)
            fields[key] = fields.TryGetValue(key, out var earlier) && earlier is HoconObject e && value is HoconObject o
                ? MergeObjects(e, o, built)
                : value;
        return built(new HoconObject(overrides.Location, [.. fields]));
    }

    private HoconValue? Resolve(Node node)
    {
        if (node is LiteralNode literal) return literal.Value;
        if (_resolved.TryGetValue(node, out var done)) return done;
        if (!_active.Add(node))
        {
            var subst = _substitutions.Peek(); // a node re-entered can only be reached again through a substitution
            throw new HoconException(subst.Location, $"substitution cycle: {subst.Display}");
        }
        if (++_recursion > MaxRecursion)
            throw new HoconException(node.Location, "substitutions nested too deeply");
        try
        {
            var value = node switch
            {
                ObjectNode obj => ResolveObject(obj),
                ArrayNode array => Measure(new HoconArray(array.Location, ResolveAll(array.Items))),
                SubstNode subst => ResolveSubstitution(subst),
                ConcatNode concat => ResolveConcat(concat),
                MergeNode merge => ResolveMerge(merge),
                _ => throw new InvalidOperationException($"unexpected node {node.GetType().Name}"),
            };
            _resolved[node] = value;
            return value;
        }
        finally
        {
            _recursion--;
            _active.Remove(node);
        }
    }

    private HoconObject ResolveObject(ObjectNode obj)
    {
        var fields = new List<KeyValuePair<string, HoconValue>>(obj.Fields.Count);
        foreach (var (key, node) in obj.Fields)
            if (Resolve(node) is { } value) fields.Add(new(key, value)); // an unset ${?x} removes the field
        return Measure(new HoconObject(obj.Location, fields));
    }

    private List<HoconValue> ResolveAll(IReadOnlyList<Node> nodes)
    {
        var values = new List<HoconValue>(nodes.Count);
        foreach (var node in nodes)
            if (Resolve(node) is { } value) values.Add(value);
        return values;
    }

    private HoconValue? ResolveMerge(MergeNode merge)
    {
        var later = Resolve(merge.Later);
        if (later is null) return Resolve(merge.Earlier);
        return later is HoconObject laterObject && Resolve(merge.Earlier) is HoconObject earlierObject
            ? MergeObjects(earlierObject, laterObject, Measure<HoconObject>)
            : later;
    }

    private HoconValue? ResolveSubstitution(SubstNode subst)
    {
        _substitutions.Push(subst);
        try
        {
            var value = subst.IsSelfReference
                ? subst.Previous is { } previous ? Walk(Resolve(previous), subst.Path, subst.Owner!.Length) : null
                : Lookup(subst.Path) ?? (subst.Path.Length != subst.Written.Length ? Lookup(subst.Written) : null);
            value ??= environment(HoconPath.Join(subst.Written)) is { } env
                ? new HoconScalar(subst.Location, HoconScalarKind.String, env, quoted: false)
                : null;
            if (value is null && !subst.Optional)
                throw new HoconException(subst.Location, $"undefined substitution {subst.Display}");
            // Copies made by substitutions are what can grow exponentially; literal text is bounded by its size.
            _copied += value is null ? 0 : _shapes.GetValueOrDefault(value, (1, 0)).Size;
            if (_copied > MaxCopiedValues)
                throw new HoconException(subst.Location, $"substitutions expand to over {MaxCopiedValues} values");
            return value;
        }
        finally
        {
            _substitutions.Pop();
        }
    }

    private HoconValue? Lookup(string[] path)
    {
        Node node = root;
        var i = 0;
        // Walk the parsed objects as far as possible, so only the target itself gets resolved.
        for (; i < path.Length && node is ObjectNode obj; i++)
        {
            if (!obj.TryGetValue(path[i], out var child)) return null;
            node = child;
        }
        return Walk(Resolve(node), path, i);
    }

    private static HoconValue? Walk(HoconValue? value, string[] path, int from)
    {
        for (var i = from; i < path.Length && value is not null; i++)
            value = value is HoconObject obj ? obj[path[i]] : null;
        return value;
    }

    private HoconValue? ResolveConcat(ConcatNode concat)
    {
        var pieces = new List<(HoconValue? Value, string? Space)>();
        foreach (var part in concat.Parts)
        {
            if (part is SpaceNode space) pieces.Add((null, space.Text));
            else if (Resolve(part) is { } value) pieces.Add((value, null));
        }
        // An unset ${?x} drops out; whitespace left at either end goes with it.
        while (pieces.Count > 0 && pieces[^1].Space is not null) pieces.RemoveAt(pieces.Count - 1);
        while (pieces.Count > 0 && pieces[0].Space is not null) pieces.RemoveAt(0);
        var values = pieces.Where(p => p.Value is not null).Select(p => p.Value!).ToList();
        if (values.Count <= 1) return values.FirstOrDefault();
        if (values.All(v => v is HoconArray))
            return Measure(new HoconArray(concat.Location, [.. values.SelectMany(v => ((HoconArray)v).Items)]));
        if (values.All(v => v is HoconObject))
            return values.Cast<HoconObject>().Aggregate((a, b) => MergeObjects(a, b, Measure<HoconObject>));
        if (values.FirstOrDefault(v => v is not HoconScalar) is { } odd)
            throw new HoconException(concat.Location, $"cannot concatenate {odd.KindName} with other values");
        return JoinText(concat.Location, pieces);
    }

    private static HoconScalar JoinText(SourceLocation location, List<(HoconValue? Value, string? Space)> pieces)
    {
        var text = new StringBuilder();
        var quoted = false;
        foreach (var (value, space) in pieces)
        {
            var scalar = (HoconScalar?)value;
            text.Append(scalar?.Text ?? space);
            quoted |= scalar?.Quoted ?? false;
            if (text.Length > MaxStringLength) throw new HoconException(location, "string longer than 16 MiB");
        }
        return new HoconScalar(location, HoconScalarKind.String, text.ToString(), quoted);
    }

    private T Measure<T>(T container) where T : HoconValue
    {
        var children = container is HoconArray array ? array.Items : ((HoconObject)(HoconValue)container).Fields.Select(f => f.Value);
        long size = 1;
        var depth = 1;
        foreach (var child in children)
        {
            var (childSize, childDepth) = _shapes.GetValueOrDefault(child, (1, 0));
            size += childSize;
            depth = Math.Max(depth, childDepth + 1);
        }
        if (depth > MaxNesting)
            throw new HoconException(container.Location, $"nesting deeper than {MaxNesting} levels");
        _shapes[container] = (size, depth);
        return container;
    }
}
