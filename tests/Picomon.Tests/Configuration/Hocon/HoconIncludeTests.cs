using Picomon.Configuration.Hocon;
using static Picomon.Tests.Configuration.Hocon.HoconTestSupport;

namespace Picomon.Tests.Configuration.Hocon;

public sealed class HoconIncludeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private HoconObject ParseMain(string text) => HoconParser.ParseFile(_dir.Write("main.conf", text), _ => null);

    private HoconException FailsMain(string text) => Assert.Throws<HoconException>(() => ParseMain(text));

    [Fact]
    public void An_included_file_merges_at_the_point_of_the_include()
    {
        _dir.Write("common.conf", "a = included\nb = included\nobj { x = 1 }");
        var root = ParseMain("a = before\ninclude \"common.conf\"\nb = after\nobj { y = 2 }");
        Assert.Equal("included", Text(root, "a"));
        Assert.Equal("after", Text(root, "b"));
        Assert.Equal(["x", "y"], Assert.IsType<HoconObject>(At(root, "obj")).Fields.Select(f => f.Key));
    }

    [Fact]
    public void File_and_required_forms_are_accepted()
    {
        _dir.Write("a.conf", "a = 1");
        _dir.Write("b.conf", "b = 2");
        _dir.Write("c.conf", "c = 3");
        var root = ParseMain("include file(\"a.conf\")\ninclude required(\"b.conf\")\ninclude required( file( \"c.conf\" ) )");
        Assert.Equal(["a", "b", "c"], root.Fields.Select(f => f.Key));
    }

    [Fact]
    public void An_include_inside_an_object_nests_its_fields_and_its_substitutions()
    {
        _dir.Write("smtp.conf", "host = mail.example\nport = 25\nurl = ${host}\":\"${port}\nhome = ${top}");
        var root = ParseMain("top = /root\nemails { include \"smtp.conf\" }");
        Assert.Equal("mail.example", Text(root, "emails.host"));
        Assert.Equal("mail.example:25", Text(root, "emails.url"));
        Assert.Equal("/root", Text(root, "emails.home"));
    }

    [Fact]
    public void Includes_are_relative_to_the_including_file_and_report_that_path()
    {
        _dir.Write("conf/sub/inner.conf", "include \"leaf.conf\"");
        _dir.Write("conf/sub/leaf.conf", "\nvalue = 1");
        var main = Path.GetRelativePath(Environment.CurrentDirectory, _dir.Write("conf/main.conf", "include \"sub/inner.conf\""));
        var root = HoconParser.ParseFile(main, _ => null);
        var leaf = Path.Combine(Path.GetDirectoryName(main)!, "sub", "leaf.conf");
        Assert.Equal(new SourceLocation(leaf, 2), At(root, "value").Location);
    }

    [Fact]
    public void Parse_text_includes_relative_to_the_base_directory()
    {
        _dir.Write("x.conf", "x = 1");
        var root = HoconParser.ParseText("include \"x.conf\"", "inline", _dir.Path, _ => null);
        Assert.Equal("1", Text(root, "x"));
        Assert.Equal(Path.Combine(_dir.Path, "x.conf"), At(root, "x").Location.File);
    }

    [Fact]
    public void A_missing_include_is_an_error_at_the_include_line()
    {
        var error = FailsMain("a = 1\ninclude \"missing.conf\"");
        Assert.Equal("include not found: missing.conf", error.Message);
        Assert.Equal(new SourceLocation(Path.Combine(_dir.Path, "main.conf"), 2), error.Location);
    }

    [Fact]
    public void An_include_cycle_is_an_error()
    {
        _dir.Write("a.conf", "include \"b.conf\"");
        _dir.Write("b.conf", "x = 1\ninclude \"a.conf\"");
        var error = FailsMain("include \"a.conf\"");
        Assert.Equal("include cycle: a.conf", error.Message);
        Assert.Equal(new SourceLocation(Path.Combine(_dir.Path, "b.conf"), 2), error.Location);
    }

    [Fact]
    public void A_file_including_itself_is_a_cycle()
    {
        Assert.Equal("include cycle: main.conf", FailsMain("include \"main.conf\"").Message);
    }

    [Fact]
    public void A_deep_include_chain_is_an_error()
    {
        for (var i = 0; i < 50; i++) _dir.Write($"f{i}.conf", $"include \"f{i + 1}.conf\"");
        _dir.Write("f50.conf", "end = 1");
        Assert.Equal("includes nested deeper than 32 levels", FailsMain("include \"f0.conf\"").Message);
    }

    [Fact]
    public void An_include_bomb_is_stopped_by_the_include_count()
    {
        for (var i = 0; i < 20; i++) _dir.Write($"f{i}.conf", $"include \"f{i + 1}.conf\"\ninclude \"f{i + 1}.conf\"");
        _dir.Write("f20.conf", "end = 1");
        Assert.Equal("more than 1000 includes", FailsMain("include \"f0.conf\"").Message);
    }

    [Fact]
    public void Url_and_classpath_includes_are_refused()
    {
        Assert.Equal("only file includes are supported", FailsMain("include url(\"http://example.invalid/x.conf\")").Message);
        Assert.Equal("only file includes are supported", FailsMain("include required(classpath(\"x.conf\"))").Message);
    }

    [Fact]
    public void A_malformed_include_is_an_error()
    {
        Assert.Equal("invalid include", FailsMain("include file(\"x.conf\"").Message);
        Assert.Equal("invalid include", FailsMain("include other(\"x.conf\")").Message);
    }

    [Fact]
    public void An_error_in_an_included_file_names_that_file_and_line()
    {
        _dir.Write("bad.conf", "ok = 1\nbroken = [\n");
        var error = FailsMain("include \"bad.conf\"");
        Assert.Equal("unclosed '[' (opened at line 2)", error.Message);
        Assert.Equal(new SourceLocation(Path.Combine(_dir.Path, "bad.conf"), 2), error.Location);
    }

    [Fact]
    public void A_key_named_include_still_works_as_a_key()
    {
        Assert.Equal("yes", Text(ParseMain("include = yes"), "include"));
    }

    [Fact]
    public void Parse_file_reports_the_path_as_given()
    {
        var given = Path.GetRelativePath(Environment.CurrentDirectory, _dir.Write("given.conf", "a = 1"));
        Assert.False(Path.IsPathRooted(given));
        Assert.Equal(new SourceLocation(given, 1), At(HoconParser.ParseFile(given, _ => null), "a").Location);
    }
}
