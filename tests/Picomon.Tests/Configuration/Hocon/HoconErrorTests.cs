using System.Text;
using Picomon.Configuration.Hocon;
using static Picomon.Tests.Configuration.Hocon.HoconTestSupport;

namespace Picomon.Tests.Configuration.Hocon;

/// <summary>Every syntax error stops at once with its line — the inputs that hang or fool Akka's parser.</summary>
public class HoconErrorTests
{
    [Fact]
    public void An_unclosed_bracket_followed_by_more_lines_is_reported_at_the_end()
    {
        AssertError(Fails("a = 1\nb = [\n  1,\n  2\nc = 3\n"), 5, "unclosed '[' (opened at line 2)");
        AssertError(Fails("a = 1\nb = [\n  1,\n  2\n"), 4, "unclosed '[' (opened at line 2)");
    }

    [Fact]
    public void An_unclosed_brace_is_reported_at_the_end()
    {
        AssertError(Fails("a {\n  b = 1\n\n"), 3, "unclosed '{' (opened at line 1)");
    }

    [Fact]
    public void An_unterminated_string_is_reported_where_it_starts()
    {
        AssertError(Fails("a = 1\nb = \"open\nc = 3\n"), 2, "unterminated string");
        AssertError(Fails("a = 1\r\nb = \"open\r\nc = 3\r\n"), 2, "unterminated string");
        AssertError(Fails("a = \"open"), 1, "unterminated string");
    }

    [Fact]
    public void An_unterminated_triple_quoted_string_is_reported_where_it_starts()
    {
        AssertError(Fails("a = 1\nb = \"\"\"open\nmore\n"), 2, "unterminated string");
    }

    [Fact]
    public void A_stray_closing_brace_at_top_level_is_an_error()
    {
        AssertError(Fails("a = 1\n}\nb = 2"), 2, "unexpected '}'");
        AssertError(Fails("{ a = 1 }\n}"), 2, "unexpected '}'");
    }

    [Fact]
    public void A_stray_closing_bracket_is_an_error()
    {
        AssertError(Fails("a = 1\n]\n"), 2, "unexpected ']'");
        AssertError(Fails("a = 1 ]"), 1, "unexpected ']'");
    }

    [Fact]
    public void Mismatched_brackets_are_an_error()
    {
        AssertError(Fails("a = [1, 2\n}"), 2, "unexpected '}'");
        AssertError(Fails("a { b = 1 ]"), 1, "unexpected ']'");
    }

    [Fact]
    public void A_doubled_separator_is_an_error()
    {
        AssertError(Fails("a = 1\nb == 3"), 2, "unexpected '='");
    }

    [Fact]
    public void A_key_with_a_separator_but_no_value_at_the_end_is_an_error()
    {
        AssertError(Fails("a = 1\nb =\n"), 2, "missing value for key 'b'");
        AssertError(Fails("a = 1, b = , c = 2"), 1, "missing value for key 'b'");
    }

    [Fact]
    public void A_key_without_a_separator_is_an_error()
    {
        AssertError(Fails("a = 1\nfoo"), 2, "expected '=', ':' or '{' after key 'foo'");
        AssertError(Fails("foo bar\n"), 1, "expected '=', ':' or '{' after key 'foo bar'");
    }

    [Fact]
    public void Nul_bytes_and_control_characters_are_unexpected_characters()
    {
        AssertError(Fails("a = 1\nb = x\0y"), 2, "unexpected character '\\u0000'");
        AssertError(Fails("\u0001"), 1, "unexpected character '\\u0001'");
        AssertError(Fails("a = \"x\u0007\""), 1, "unexpected character '\\u0007'");
        AssertError(Fails("# comment \u001b[31m\n"), 1, "unexpected character '\\u001b'");
    }

    [Fact]
    public void Binary_garbage_is_rejected_quickly()
    {
        var random = new Random(42);
        var garbage = new char[100_000];
        for (var i = 0; i < garbage.Length; i++) garbage[i] = (char)random.Next(0, 256);
        garbage[10] = '\0';
        Assert.StartsWith("unexpected", Fails(new string(garbage)).Message);
    }

    [Fact]
    public void Forbidden_characters_in_unquoted_text_are_errors()
    {
        AssertError(Fails("a = foo^bar"), 1, "unexpected character '^' (quote text that contains it)");
        AssertError(Fails("to = [ops@example.org]"), 1, "unexpected character '@' (quote text that contains it)");
        AssertError(Fails("a = 1 + 2"), 1, "unexpected character '+'");
        AssertError(Fails("a = $HOME"), 1, "unexpected character '$'");
    }

    [Fact]
    public void An_invalid_escape_is_an_error()
    {
        AssertError(Fails("a = \"\\q\""), 1, "invalid escape '\\q' in string");
        AssertError(Fails("a = \"\\u12\""), 1, "invalid \\u escape in string");
    }

    [Fact]
    public void An_empty_path_segment_is_an_error()
    {
        AssertError(Fails("a..b = 1"), 1, "invalid key 'a..b'");
        AssertError(Fails("x = ${a.}"), 1, "invalid substitution '${a.}'");
    }

    [Fact]
    public void A_substitution_may_not_be_a_key_or_stay_open()
    {
        AssertError(Fails("${a} = 1"), 1, "unexpected '${a}'");
        AssertError(Fails("a = ${b\nc = 1"), 1, "unterminated substitution");
    }

    [Fact]
    public void An_empty_list_element_is_an_error()
    {
        AssertError(Fails("a = [1,,2]"), 1, "unexpected ','");
    }

    [Fact]
    public void Text_after_a_braced_root_is_an_error()
    {
        AssertError(Fails("{ a = 1 }\nb = 2"), 2, "unexpected 'b'");
    }

    [Fact]
    public void Text_over_64_MiB_is_rejected()
    {
        var error = Fails(new string(' ', HoconParser.MaxBytes + 1));
        Assert.Equal("file too large (over 64 MiB)", error.Message);
        Assert.Equal(new SourceLocation("test.conf", 0), error.Location);
    }

    [Fact]
    public void A_file_over_64_MiB_is_rejected_without_reading_it_all()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "huge.conf");
        using (var stream = File.Create(path)) stream.SetLength(HoconParser.MaxBytes * 4L); // sparse
        var error = Assert.Throws<HoconException>(() => HoconParser.ParseFile(path));
        Assert.Equal("file too large (over 64 MiB)", error.Message);
        Assert.Equal(new SourceLocation(path, 0), error.Location);
    }

    [Fact]
    public void A_hundred_thousand_open_brackets_give_a_nesting_error()
    {
        AssertError(Fails("a = " + new string('[', 100_000)), 1, "nesting deeper than 256 levels");
        AssertError(Fails(string.Concat(Enumerable.Repeat("a {\n", 100_000))), 256, "nesting deeper than 256 levels");
    }

    [Fact]
    public void Deep_inputs_are_safe_even_from_a_thread_with_a_small_stack()
    {
        var chain = new StringBuilder();
        for (var i = 0; i < 100_000; i++) chain.Append($"a{i} = {{ x = [${{a{i + 1}}}] }}\n");
        chain.Append("a100000 = end\n");
        var messages = new List<string>();
        var thread = new Thread(() =>
        {
            messages.Add(Assert.Throws<HoconException>(() => Parse("a = " + new string('[', 100_000))).Message);
            messages.Add(Assert.Throws<HoconException>(() => Parse(chain.ToString())).Message);
        }, 256 * 1024);
        thread.Start();
        thread.Join();
        Assert.Equal(["nesting deeper than 256 levels", "substitutions nested too deeply"], messages);
    }

    [Fact]
    public void Nesting_of_256_levels_with_the_root_is_accepted()
    {
        var root = Parse("a = " + new string('[', 255) + new string(']', 255));
        Assert.IsType<HoconArray>(At(root, "a"));
    }

    [Fact]
    public void A_missing_file_is_reported_at_line_zero()
    {
        var error = Assert.Throws<HoconException>(() => HoconParser.ParseFile("/nonexistent/picomon.conf"));
        Assert.Equal("cannot read file: No such file or directory", error.Message);
        Assert.Equal(new SourceLocation("/nonexistent/picomon.conf", 0), error.Location);
    }

    [Fact]
    public void A_directory_is_not_a_readable_file()
    {
        using var dir = new TempDir();
        var error = Assert.Throws<HoconException>(() => HoconParser.ParseFile(dir.Path));
        Assert.Equal("cannot read file: Is a directory", error.Message);
    }

    [Fact]
    public void Invalid_utf8_in_a_file_is_reported_with_its_line()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "bad.conf");
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes("a = 1\nb = "), 0xC3, 0x28, (byte)'\n']);
        var error = Assert.Throws<HoconException>(() => HoconParser.ParseFile(path));
        Assert.Equal("invalid UTF-8", error.Message);
        Assert.Equal(new SourceLocation(path, 2), error.Location);
    }
}
