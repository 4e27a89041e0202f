using System.Globalization;
using System.Text;

namespace Picomon.Configuration.Hocon;

internal enum TokenKind
{
    OpenBrace, CloseBrace, OpenBracket, CloseBracket, Comma, Separator, PlusEquals,
    Newline, Space, Unquoted, Quoted, Substitution, End,
}

/// <summary>One lexical token. For a substitution, <see cref="Text"/> is the path as written and
/// <see cref="Path"/> its segments.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Line, bool Optional = false, string[]? Path = null)
{
    /// <summary>How the token is named in an error message ("'}'", "end of file", …).</summary>
    public string Describe() => Kind switch
    {
        TokenKind.End => "end of file",
        TokenKind.Newline => "end of line",
        TokenKind.Quoted => "string",
        TokenKind.Substitution => Optional ? $"'${{?{Text}}}'" : $"'${{{Text}}}'",
        _ => $"'{Text}'",
    };
}

/// <summary>Turns HOCON text into tokens on demand (no token list, so a 64 MiB file costs no more than
/// its text). Comments are skipped; control characters anywhere are rejected.</summary>
internal sealed class HoconLexer(string text, string file)
{
    // Characters that may not appear in an unquoted string (HOCON spec), besides whitespace.
    private const string Forbidden = "$\"{}[]:=,+#`^?!@*&\\";

    private int _pos = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
    private int _line = 1;

    public string File => file;

    public HoconException Error(int line, string message) => new(new SourceLocation(file, line), message);

    public Token Next()
    {
        if (_pos >= text.Length) return new Token(TokenKind.End, "", EndLine());
        var c = text[_pos];
        if (c == '\n')
        {
            _pos++;
            return new Token(TokenKind.Newline, "\n", _line++);
        }
        if (c == '#' || (c == '/' && Peek(1) == '/')) return SkipComment();
        if (IsSpace(c)) return Run(TokenKind.Space);
        return c switch
        {
            '{' => Single(TokenKind.OpenBrace, "{"),
            '}' => Single(TokenKind.CloseBrace, "}"),
            '[' => Single(TokenKind.OpenBracket, "["),
            ']' => Single(TokenKind.CloseBracket, "]"),
            ',' => Single(TokenKind.Comma, ","),
            '=' => Single(TokenKind.Separator, "="),
            ':' => Single(TokenKind.Separator, ":"),
            '+' when Peek(1) == '=' => Advance(new Token(TokenKind.PlusEquals, "+=", _line), 2),
            '"' when Peek(1) == '"' && Peek(2) == '"' => TripleQuoted(),
            '"' => Quoted(),
            '$' when Peek(1) == '{' => Substitution(),
            _ when Forbidden.Contains(c) || char.IsControl(c) => throw Unexpected(c),
            _ => Run(TokenKind.Unquoted),
        };
    }

    private static bool IsSpace(char c) => c != '\n' && (c == '\uFEFF' || char.IsWhiteSpace(c));

    private bool IsUnquoted(char c) =>
        !Forbidden.Contains(c) && !char.IsWhiteSpace(c) && !char.IsControl(c) && !(c == '/' && Peek(1) == '/');

    private char Peek(int ahead) => _pos + ahead < text.Length ? text[_pos + ahead] : '\0';

    private int EndLine() => text.Length > 0 && text[^1] == '\n' ? _line - 1 : _line;

    // These have no meaning in HOCON; they are only forbidden in unquoted text (e.g. an e-mail address).
    private HoconException Unexpected(char c) => Error(_line, "`^?!@*&\\".Contains(c)
        ? $"unexpected character '{c}' (quote text that contains it)"
        : $"unexpected character '{Show(c)}'");

    private static string Show(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString();

    private Token Single(TokenKind kind, string symbol) => Advance(new Token(kind, symbol, _line), 1);

    private Token Advance(Token token, int length)
    {
        _pos += length;
        return token;
    }

    /// <summary>A run of whitespace, or of unquoted text.</summary>
    private Token Run(TokenKind kind)
    {
        var start = _pos;
        while (_pos < text.Length && (kind == TokenKind.Space ? IsSpace(text[_pos]) : IsUnquoted(text[_pos]))) _pos++;
        return new Token(kind, text[start.._pos], _line);
    }

    private Token SkipComment()
    {
        while (_pos < text.Length && text[_pos] != '\n')
        {
            if (text[_pos] != '\t' && text[_pos] != '\r' && char.IsControl(text[_pos])) throw Unexpected(text[_pos]);
            _pos++;
        }
        return Next();
    }

    private Token TripleQuoted()
    {
        var startLine = _line;
        var start = _pos += 3;
        var end = text.IndexOf("\"\"\"", _pos, StringComparison.Ordinal);
        if (end < 0) throw Error(startLine, "unterminated string");
        while (end + 3 < text.Length && text[end + 3] == '"') end++; // extra quotes belong to the content
        for (; _pos < end; _pos++)
        {
            var c = text[_pos];
            if (c == '\n') _line++;
            else if (c != '\t' && c != '\r' && char.IsControl(c)) throw Unexpected(c);
        }
        _pos = end + 3;
        return new Token(TokenKind.Quoted, text[start..end], startLine);
    }

    private Token Quoted()
    {
        var startLine = _line;
        _pos++;
        var value = new StringBuilder();
        while (true)
        {
            if (_pos >= text.Length || text[_pos] == '\n' || (text[_pos] == '\r' && Peek(1) == '\n'))
                throw Error(startLine, "unterminated string");
            var c = text[_pos++];
            if (c == '"') return new Token(TokenKind.Quoted, value.ToString(), startLine);
            if (c == '\\') value.Append(Escape());
            else if (char.IsControl(c)) throw Unexpected(c);
            else value.Append(c);
        }
    }

    private char Escape()
    {
        var c = _pos < text.Length ? text[_pos++] : '\0';
        switch (c)
        {
            case '"' or '\\' or '/': return c;
            case 'b': return '\b';
            case 'f': return '\f';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'u' when _pos + 4 <= text.Length && ushort.TryParse(text.AsSpan(_pos, 4), NumberStyles.AllowHexSpecifier,
                CultureInfo.InvariantCulture, out var code):
                _pos += 4;
                return (char)code;
            case 'u': throw Error(_line, "invalid \\u escape in string");
            default: throw Error(_line, $"invalid escape '\\{Show(c)}' in string");
        }
    }

    /// <summary><c>${path}</c> or <c>${?path}</c>; the path may mix quoted and unquoted parts.</summary>
    private Token Substitution()
    {
        _pos += 2;
        var optional = _pos < text.Length && text[_pos] == '?';
        if (optional) _pos++;
        var parts = new List<(string Text, bool Quoted)>();
        var written = new StringBuilder();
        while (true)
        {
            if (_pos >= text.Length || text[_pos] == '\n') throw Error(_line, "unterminated substitution");
            var c = text[_pos];
            if (c == '}') break;
            var part = c == '"' ? Quoted()
                : IsUnquoted(c) ? Run(TokenKind.Unquoted)
                : throw Error(_line, $"unexpected character '{Show(c)}' in substitution");
            parts.Add((part.Text, part.Kind == TokenKind.Quoted));
            written.Append(part.Kind == TokenKind.Quoted ? $"\"{part.Text}\"" : part.Text);
        }
        _pos++;
        var path = HoconPath.Split(parts) ?? throw Error(_line, $"invalid substitution '${{{written}}}'");
        return new Token(TokenKind.Substitution, written.ToString(), _line, optional, path);
    }
}
