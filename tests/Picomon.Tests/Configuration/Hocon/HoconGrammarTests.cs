using Picomon.Configuration.Hocon;
using static Picomon.Tests.Configuration.Hocon.HoconTestSupport;

namespace Picomon.Tests.Configuration.Hocon;

public class HoconGrammarTests
{
    [Fact]
    public void Hash_and_double_slash_comments_are_ignored()
    {
        var root = Parse("# heading\na = 1 # trailing\n// another\nb = two // trailing\n");
        Assert.Equal(["a", "b"], root.Fields.Select(f => f.Key));
        Assert.Equal("1", Text(root, "a"));
        Assert.Equal("two", Text(root, "b"));
    }

    [Fact]
    public void Root_object_may_be_written_with_braces()
    {
        var root = Parse("\n{\n  a = 1\n}\n");
        Assert.Equal("1", Text(root, "a"));
    }

    [Fact]
    public void Root_object_may_omit_braces_and_may_be_empty()
    {
        Assert.Equal("1", Text(Parse("a = 1"), "a"));
        Assert.Empty(Parse("").Fields);
        Assert.Empty(Parse("# only a comment\n\n").Fields);
    }

    [Fact]
    public void Equals_and_colon_both_separate_key_and_value()
    {
        var root = Parse("a = 1\nb : 2\nc=3\nd:4");
        Assert.Equal(["1", "2", "3", "4"], root.Fields.Select(f => ((HoconScalar)f.Value).Text));
    }

    [Fact]
    public void Object_value_needs_no_separator()
    {
        var root = Parse("a { b = 1 }\nc = { d = 2 }\ne : { f = 3 }");
        Assert.Equal("1", Text(root, "a.b"));
        Assert.Equal("2", Text(root, "c.d"));
        Assert.Equal("3", Text(root, "e.f"));
    }

    [Fact]
    public void Fields_are_separated_by_newlines_or_commas_and_a_trailing_comma_is_allowed()
    {
        var root = Parse("a = 1, b = 2,\nc = 3\no { x = 1, y = 2, }");
        Assert.Equal(["a", "b", "c", "o"], root.Fields.Select(f => f.Key));
        Assert.Equal("2", Text(root, "o.y"));
    }

    [Fact]
    public void Path_keys_build_nested_objects()
    {
        var root = Parse("a.b.c = 1\na.b.d = 2");
        Assert.Equal("1", Text(root, "a.b.c"));
        Assert.Equal("2", Text(root, "a.b.d"));
    }

    [Fact]
    public void Quoted_key_with_a_dot_is_one_key()
    {
        var root = Parse("\"a.b\" = 1");
        Assert.Equal(["a.b"], root.Fields.Select(f => f.Key));
    }

    [Fact]
    public void Keys_may_mix_quoted_and_unquoted_parts()
    {
        var root = Parse("a.\"b.c\".d = 1\nx\"y\" = 2\n\"\" = 3");
        var a = Assert.IsType<HoconObject>(At(root, "a"));
        Assert.Equal("1", Text(Assert.IsType<HoconObject>(a["b.c"]), "d"));
        Assert.Equal("2", Text(root, "xy"));
        Assert.Equal("3", ((HoconScalar)root[""]!).Text);
    }

    [Fact]
    public void Quoted_strings_decode_json_escapes()
    {
        var root = Parse(@"a = ""q\"" b\\ s\/ \b\f\n\r\t u\u00e9\u0041""");
        var a = Scalar(root, "a");
        Assert.Equal("q\" b\\ s/ \b\f\n\r\t uéA", a.Text);
        Assert.True(a.Quoted);
        Assert.Equal(HoconScalarKind.String, a.Kind);
    }

    [Fact]
    public void Unquoted_strings_allow_slashes_dots_and_unicode_until_a_comment()
    {
        var root = Parse("a = /var/lib/picomon-state.d\nb = héllo_wörld\nc = foo//comment");
        Assert.Equal("/var/lib/picomon-state.d", Text(root, "a"));
        Assert.Equal("héllo_wörld", Text(root, "b"));
        Assert.Equal("foo", Text(root, "c"));
        Assert.False(Scalar(root, "a").Quoted);
    }

    [Fact]
    public void Triple_quoted_strings_are_raw_and_span_lines()
    {
        var root = Parse("a = \"\"\"line 1\n  \"quoted\" \\n raw\nline 3\"\"\"\nb = 2");
        Assert.Equal("line 1\n  \"quoted\" \\n raw\nline 3", Text(root, "a"));
        Assert.Equal(1, At(root, "a").Location.Line);
        Assert.Equal(4, At(root, "b").Location.Line);
    }

    [Fact]
    public void Numbers_keep_their_text_as_written()
    {
        var root = Parse("i = 42\nn = -7\nd = 2.50\ne = 1e6\nf = -1.5E-3");
        foreach (var (key, text) in new[] { ("i", "42"), ("n", "-7"), ("d", "2.50"), ("e", "1e6"), ("f", "-1.5E-3") })
        {
            Assert.Equal(HoconScalarKind.Number, Scalar(root, key).Kind);
            Assert.Equal(text, Text(root, key));
        }
    }

    [Fact]
    public void True_false_and_null_are_typed_but_yes_no_on_off_are_strings()
    {
        var root = Parse("t = true\nf = false\nn = null\ny = yes\no = off\nq = \"true\"");
        Assert.Equal(HoconScalarKind.Boolean, Scalar(root, "t").Kind);
        Assert.Equal(HoconScalarKind.Boolean, Scalar(root, "f").Kind);
        Assert.Equal(HoconScalarKind.Null, Scalar(root, "n").Kind);
        Assert.Equal(HoconScalarKind.String, Scalar(root, "y").Kind);
        Assert.Equal(HoconScalarKind.String, Scalar(root, "o").Kind);
        Assert.Equal(HoconScalarKind.String, Scalar(root, "q").Kind);
    }

    [Fact]
    public void Value_concatenation_keeps_inner_whitespace_as_written()
    {
        var root = Parse("a = foo bar  baz\t qux   # comment");
        Assert.Equal("foo bar  baz\t qux", Text(root, "a"));
    }

    [Fact]
    public void A_number_followed_by_a_unit_is_a_string()
    {
        var value = Scalar(Parse("a = 10 s"), "a");
        Assert.Equal("10 s", value.Text);
        Assert.Equal(HoconScalarKind.String, value.Kind);
    }

    [Fact]
    public void A_concatenation_with_a_quoted_part_is_a_string()
    {
        var value = Scalar(Parse("a = 1 \"two\" true"), "a");
        Assert.Equal("1 two true", value.Text);
        Assert.Equal(HoconScalarKind.String, value.Kind);
    }

    [Fact]
    public void Array_concatenation_joins_the_lists()
    {
        Assert.Equal(["1", "2", "3"], Texts(Parse("a = [1] [2, 3]"), "a"));
    }

    [Fact]
    public void Object_concatenation_merges_the_objects()
    {
        var root = Parse("a = { x = 1, y = 1 } { y = 2, z = 3 }");
        Assert.Equal(["1", "2", "3"], Assert.IsType<HoconObject>(At(root, "a")).Fields.Select(f => ((HoconScalar)f.Value).Text));
    }

    [Fact]
    public void Arrays_take_newline_or_comma_separators_and_nest()
    {
        var root = Parse("a = [\n  1\n  2,\n  [x, y], { k = v }\n  \"s\",\n]");
        var items = Assert.IsType<HoconArray>(At(root, "a")).Items;
        Assert.Equal(5, items.Count);
        Assert.Equal(["x", "y"], Assert.IsType<HoconArray>(items[2]).Items.Select(i => ((HoconScalar)i).Text));
        Assert.Equal("v", Text(Assert.IsType<HoconObject>(items[3]), "k"));
        Assert.Empty(Assert.IsType<HoconArray>(At(Parse("e = []"), "e")).Items);
    }

    [Fact]
    public void Duplicate_object_keys_merge()
    {
        var root = Parse("a { x = 1, y = 1 }\na { y = 2 }\na.z = 3");
        Assert.Equal(["x", "y", "z"], Assert.IsType<HoconObject>(At(root, "a")).Fields.Select(f => f.Key));
        Assert.Equal("2", Text(root, "a.y"));
    }

    [Fact]
    public void Duplicate_keys_otherwise_take_the_later_value()
    {
        var root = Parse("a = 1\na = 2\nb { x = 1 }\nb = 5\nc = 5\nc { x = 1 }");
        Assert.Equal("2", Text(root, "a"));
        Assert.Equal("5", Text(root, "b"));
        Assert.Equal("1", Text(root, "c.x"));
    }

    [Fact]
    public void Plus_equals_appends_to_a_list_or_creates_one()
    {
        var root = Parse("a = [1]\na += 2\nb += x\nb += y");
        Assert.Equal(["1", "2"], Texts(root, "a"));
        Assert.Equal(["x", "y"], Texts(root, "b"));
    }

    [Fact]
    public void Every_value_carries_the_line_it_was_written_on()
    {
        var root = Parse("a = 1\nb {\n  c = [\n    x\n  ]\n}\n\nd.e.f = 2\n");
        Assert.Equal(new SourceLocation("test.conf", 1), At(root, "a").Location);
        Assert.Equal(2, At(root, "b").Location.Line);
        Assert.Equal(3, At(root, "b.c").Location.Line);
        Assert.Equal(4, Assert.IsType<HoconArray>(At(root, "b.c")).Items[0].Location.Line);
        Assert.Equal(8, At(root, "d").Location.Line);
        Assert.Equal(8, At(root, "d.e").Location.Line);
        Assert.Equal(8, At(root, "d.e.f").Location.Line);
    }

    [Fact]
    public void Keys_may_contain_inner_spaces_and_numbers()
    {
        var root = Parse("a b = 1\n10 = ten");
        Assert.Equal("1", ((HoconScalar)root["a b"]!).Text);
        Assert.Equal("ten", Text(root, "10"));
    }

    [Fact]
    public void Windows_line_endings_and_a_byte_order_mark_are_accepted()
    {
        var root = Parse("\uFEFFa = 1\r\nb = two words\r\n");
        Assert.Equal("1", Text(root, "a"));
        Assert.Equal("two words", Text(root, "b"));
        Assert.Equal(2, At(root, "b").Location.Line);
    }

    [Fact]
    public void A_value_may_start_on_the_line_after_the_separator()
    {
        Assert.Equal("1", Text(Parse("a =\n  1"), "a"));
    }
}
