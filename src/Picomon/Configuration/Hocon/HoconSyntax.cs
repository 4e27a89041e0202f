using System.Text;
using System.Text.RegularExpressions;

namespace Picomon.Configuration.Hocon;

/// <summary>The HOCON grammar: turns one file's tokens into an unresolved <see cref="ObjectNode"/>. Nesting
/// is counted, not left to the call stack; the first error throws with its line.</summary>
internal sealed partial class HoconSyntax(HoconLexer lexer, string[] prefix, int nesting, IncludeLoader includes, string baseDirectory)
{
    private readonly List<Token> _lookahead = [];
    private int _nesting = nesting;

    public ObjectNode ParseDocument()
    {
        SkipBlank();
        // The root object is already counted in the nesting, braces or not.
        if (Peek().Kind != TokenKind.OpenBrace) return ParseFields(new ObjectNode(Location(1)), prefix, open: null);
        var open = Take();
        var root = ParseFields(new ObjectNode(Location(open.Line)), prefix, open);
        SkipBlank();
        return Peek().Kind == TokenKind.End ? root : throw Unexpected(Peek());
    }

    private ObjectNode ParseObject(Token open, string[]? path)
    {
        Enter(open);
        var obj = ParseFields(new ObjectNode(Location(open.Line)), path, open);
        _nesting--;
        return obj;
    }

    /// <summary>Fields up to the closing brace (or the end of the file for a root without braces).
    /// <paramref name="path"/> is the object's path from the root, null inside a list.</summary>
    private ObjectNode ParseFields(ObjectNode obj, string[]? path, Token? open)
    {
        while (true)
        {
            SkipBlank();
            var next = Peek();
            if (next.Kind == TokenKind.End)
                return open is { } o ? throw Error(next.Line, $"unclosed '{{' (opened at line {o.Line})") : obj;
            if (next.Kind == TokenKind.CloseBrace && open is not null)
            {
                Take();
                return obj;
            }
            if (!TryParseInclude(obj, path)) ParseField(obj, path);
            EndOfItem(TokenKind.CloseBrace);
        }
    }

    private void ParseField(ObjectNode obj, string[]? path)
    {
        var line = Peek().Line;
        var key = new List<(string Text, bool Quoted)>(1);
        while (Peek().Kind is TokenKind.Unquoted or TokenKind.Quoted or TokenKind.Space)
        {
            var t = Take();
            key.Add((t.Text, t.Kind == TokenKind.Quoted));
        }
        if (key.Count == 0) throw Unexpected(Peek());
        if (key[^1] is { Quoted: false } last && string.IsNullOrWhiteSpace(last.Text)) key.RemoveAt(key.Count - 1);
        var keyPath = HoconPath.Split(key) ?? throw Error(line, $"invalid key '{Written(key)}'");
        string[]? fieldPath = path is null ? null : [.. path, .. keyPath];
        var value = ParseFieldValue(key, keyPath, fieldPath);
        for (var i = keyPath.Length - 1; i > 0; i--)
        {
            var wrapper = new ObjectNode(Location(line));
            wrapper.Set(keyPath[i], value);
            value = wrapper;
        }
        obj.Set(keyPath[0], value);
    }

    private Node ParseFieldValue(List<(string Text, bool Quoted)> key, string[] keyPath, string[]? fieldPath)
    {
        var separator = Peek();
        switch (separator.Kind)
        {
            case TokenKind.Separator:
                Take();
                SkipBlank();
                return ParseValue(fieldPath, key);
            case TokenKind.OpenBrace:
                return ParseValue(fieldPath, key);
            case TokenKind.PlusEquals:
                Take();
                SkipBlank();
                var item = ParseValue(fieldPath, key);
                // `a += x` means `a = ${?a} [x]`.
                var self = new SubstNode(Location(separator.Line), fieldPath ?? keyPath, keyPath, optional: true, fieldPath ?? keyPath);
                return new ConcatNode(self.Location, [self, new ArrayNode(item.Location, [item])]);
            default:
                throw Error(separator.Line, $"expected '=', ':' or '{{' after key '{Written(key)}'");
        }
    }

    /// <summary>A value, or several adjacent ones (a concatenation), up to the end of the field or item.</summary>
    private Node ParseValue(string[]? owner, List<(string Text, bool Quoted)>? key)
    {
        var parts = new List<Node>();
        while (true)
        {
            var t = Peek();
            if (t.Kind is TokenKind.Space && parts.Count > 0) parts.Add(new SpaceNode(Location(t.Line), t.Text));
            else if (t.Kind is TokenKind.Unquoted or TokenKind.Quoted) parts.Add(new LiteralNode(Scalar(t)));
            else if (t.Kind is TokenKind.Substitution) parts.Add(new SubstNode(Location(t.Line), [.. prefix, .. t.Path!], t.Path!, t.Optional, owner));
            else if (t.Kind is TokenKind.OpenBrace) parts.Add(ParseObject(Take(), key is null ? null : owner));
            else if (t.Kind is TokenKind.OpenBracket) parts.Add(ParseArray(Take(), owner));
            else if (t.Kind is not TokenKind.Space) break;
            if (t.Kind is not (TokenKind.OpenBrace or TokenKind.OpenBracket)) Take();
        }
        while (parts.Count > 0 && parts[^1] is SpaceNode) parts.RemoveAt(parts.Count - 1);
        if (parts.Count == 0)
        {
            var next = Peek();
            throw key is not null && next.Kind is TokenKind.End or TokenKind.Newline or TokenKind.Comma or TokenKind.CloseBrace
                ? Error(next.Line, $"missing value for key '{Written(key)}'")
                : Unexpected(next);
        }
        return parts.Count == 1 ? parts[0] : new ConcatNode(parts[0].Location, parts);
    }

    private ArrayNode ParseArray(Token open, string[]? owner)
    {
        Enter(open);
        var items = new List<Node>();
        while (true)
        {
            SkipBlank();
            var next = Peek();
            if (next.Kind == TokenKind.End) throw Error(next.Line, $"unclosed '[' (opened at line {open.Line})");
            if (next.Kind == TokenKind.CloseBracket) break;
            items.Add(ParseValue(owner, key: null));
            SkipSpace();
            // `key = value` inside a list means the list was never closed.
            if (Peek().Kind is TokenKind.Separator or TokenKind.PlusEquals)
                throw Error(Peek().Line, $"unclosed '[' (opened at line {open.Line})");
            EndOfItem(TokenKind.CloseBracket);
        }
        Take();
        _nesting--;
        return new ArrayNode(Location(open.Line), items);
    }

    /// <summary>After a field or list item: a comma, a newline, the closing bracket or the end of the file.</summary>
    private void EndOfItem(TokenKind close)
    {
        SkipSpace();
        var next = Peek();
        if (next.Kind is TokenKind.Comma or TokenKind.Newline) Take();
        else if (next.Kind != close && next.Kind != TokenKind.End) throw Unexpected(next);
    }

    /// <summary><c>include "x"</c>, <c>include file("x")</c>, <c>include required("x")</c>,
    /// <c>include required(file("x"))</c>; the included fields merge into <paramref name="obj"/> here.</summary>
    private bool TryParseInclude(ObjectNode obj, string[]? path)
    {
        if (Peek() is not { Kind: TokenKind.Unquoted, Text: "include" } keyword) return false;
        var i = Peek(1).Kind == TokenKind.Space ? 2 : 1;
        if (Peek(i) is not ({ Kind: TokenKind.Quoted } or { Kind: TokenKind.Unquoted, Text: [.., '('] })) return false;
        Take();
        var opening = TakeUnquoted();
        if (opening is "url(" or "classpath(" or "required(url(" or "required(classpath(")
            throw Error(keyword.Line, "only file includes are supported");
        if (opening is not ("" or "file(" or "required(" or "required(file(") || Peek().Kind != TokenKind.Quoted)
            throw Error(keyword.Line, "invalid include");
        var name = Take().Text;
        if (TakeUnquoted() != new string(')', opening.Count(c => c == '(')))
            throw Error(keyword.Line, "invalid include");
        var included = includes.Include(name, Location(keyword.Line), baseDirectory, path ?? [], _nesting);
        foreach (var (key, value) in included.Fields) obj.Set(key, value);
        return true;
    }

    private string TakeUnquoted()
    {
        var text = new StringBuilder();
        SkipSpace();
        while (Peek().Kind == TokenKind.Unquoted)
        {
            text.Append(Take().Text);
            SkipSpace();
        }
        return text.ToString();
    }

    private void Enter(Token open)
    {
        if (++_nesting > HoconResolver.MaxNesting)
            throw Error(open.Line, $"nesting deeper than {HoconResolver.MaxNesting} levels");
    }

    /// <summary>A key as written, for error messages.</summary>
    private static string Written(List<(string Text, bool Quoted)> key) =>
        string.Concat(key.Select(p => p.Quoted ? $"\"{p.Text}\"" : p.Text));

    private HoconScalar Scalar(Token t)
    {
        var kind = t.Kind == TokenKind.Quoted ? HoconScalarKind.String
            : t.Text is "true" or "false" ? HoconScalarKind.Boolean
            : t.Text == "null" ? HoconScalarKind.Null
            : NumberPattern().IsMatch(t.Text) ? HoconScalarKind.Number
            : HoconScalarKind.String;
        return new HoconScalar(Location(t.Line), kind, t.Text, t.Kind == TokenKind.Quoted);
    }

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?([eE]-?[0-9]+)?$")]
    private static partial Regex NumberPattern();

    private Token Peek(int ahead = 0)
    {
        while (_lookahead.Count <= ahead) _lookahead.Add(lexer.Next());
        return _lookahead[ahead];
    }

    private Token Take()
    {
        var t = Peek();
        _lookahead.RemoveAt(0);
        return t;
    }

    private void SkipSpace()
    {
        while (Peek().Kind == TokenKind.Space) Take();
    }

    private void SkipBlank()
    {
        while (Peek().Kind is TokenKind.Space or TokenKind.Newline) Take();
    }

    private SourceLocation Location(int line) => new(lexer.File, line);

    private HoconException Error(int line, string message) => lexer.Error(line, message);

    private HoconException Unexpected(Token t) => Error(t.Line, $"unexpected {t.Describe()}");
}
