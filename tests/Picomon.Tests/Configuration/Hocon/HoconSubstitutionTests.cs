using System.Text;
using Picomon.Configuration.Hocon;
using static Picomon.Tests.Configuration.Hocon.HoconTestSupport;

namespace Picomon.Tests.Configuration.Hocon;

public class HoconSubstitutionTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void A_substitution_copies_a_value_from_the_root()
    {
        var root = Parse("a { b = 5, list = [1, 2] }\nc = ${a.b}\nd = ${a.list}\ne = ${a}");
        Assert.Equal("5", Text(root, "c"));
        Assert.Equal(HoconScalarKind.Number, Scalar(root, "c").Kind);
        Assert.Equal(["1", "2"], Texts(root, "d"));
        Assert.Equal("5", Text(root, "e.b"));
    }

    [Fact]
    public void A_forward_reference_resolves()
    {
        var root = Parse("a = ${b.c}\nb.c = later");
        Assert.Equal("later", Text(root, "a"));
    }

    [Fact]
    public void A_reference_sees_the_final_merged_value()
    {
        var root = Parse("x = 1\ny = ${x}\nx = 2");
        Assert.Equal("2", Text(root, "y"));
    }

    [Fact]
    public void An_unquoted_substitution_inside_a_concatenation_is_substituted()
    {
        var root = Parse("dir = ${HOME}/x\nname = ${user} and more\nuser = bob", Env(("HOME", "/home/bob")));
        Assert.Equal("/home/bob/x", Text(root, "dir"));
        Assert.Equal("bob and more", Text(root, "name"));
    }

    [Fact]
    public void A_substitution_inside_quotes_is_literal_text()
    {
        var root = Parse("dir = \"${HOME}/x\"", Env(("HOME", "/home/bob")));
        Assert.Equal("${HOME}/x", Text(root, "dir"));
    }

    [Fact]
    public void An_undefined_path_falls_back_to_the_environment_variable()
    {
        var value = Scalar(Parse("pw = ${SMTP_PASSWORD}", Env(("SMTP_PASSWORD", "s3cret"))), "pw");
        Assert.Equal("s3cret", value.Text);
        Assert.Equal(HoconScalarKind.String, value.Kind);
    }

    [Fact]
    public void The_document_wins_over_the_environment()
    {
        Assert.Equal("doc", Text(Parse("x = doc\ny = ${x}", Env(("x", "env"))), "y"));
    }

    [Fact]
    public void The_default_environment_is_the_process_environment()
    {
        var name = "PICOMON_HOCON_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "from-process");
        try
        {
            var root = HoconParser.ParseText($"v = ${{{name}}}", "test.conf");
            Assert.Equal("from-process", Text(root, "v"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void An_undefined_required_substitution_is_an_error()
    {
        AssertError(Fails("a = 1\nb = ${a.b}"), 2, "undefined substitution ${a.b}");
    }

    [Fact]
    public void An_optional_substitution_that_is_set_takes_the_value()
    {
        var root = Parse("pw = ${?PW}\nother = ${?a}\na = 1", Env(("PW", "x")));
        Assert.Equal("x", Text(root, "pw"));
        Assert.Equal("1", Text(root, "other"));
    }

    [Fact]
    public void An_unset_optional_substitution_removes_the_field()
    {
        var root = Parse("a = ${?NOPE}\nb = 1");
        Assert.Equal(["b"], root.Fields.Select(f => f.Key));
    }

    [Fact]
    public void An_unset_optional_substitution_removes_the_list_element()
    {
        Assert.Equal(["1", "2"], Texts(Parse("a = [1, ${?NOPE}, 2]"), "a"));
    }

    [Fact]
    public void An_unset_optional_override_keeps_the_earlier_value()
    {
        var root = Parse("port = 25\nport = ${?SMTP_PORT}");
        Assert.Equal("25", Text(root, "port"));
        Assert.Equal("2525", Text(Parse("port = 25\nport = ${?SMTP_PORT}", Env(("SMTP_PORT", "2525"))), "port"));
    }

    [Fact]
    public void A_self_reference_extends_the_previous_list()
    {
        var root = Parse("path = [a]\npath = ${path} [b]\npath = ${path} [c]");
        Assert.Equal(["a", "b", "c"], Texts(root, "path"));
    }

    [Fact]
    public void A_self_reference_extends_the_previous_string()
    {
        Assert.Equal("foosuffix", Text(Parse("x = foo\nx = ${x}\"suffix\""), "x"));
    }

    [Fact]
    public void A_self_reference_inside_a_nested_object_sees_the_earlier_value()
    {
        var root = Parse("a.list = [1]\na { list = ${a.list} [2] }");
        Assert.Equal(["1", "2"], Texts(root, "a.list"));
    }

    [Fact]
    public void A_self_reference_without_a_previous_value_uses_the_environment()
    {
        var root = Parse("PATH = ${PATH}\":/opt/bin\"", Env(("PATH", "/usr/bin")));
        Assert.Equal("/usr/bin:/opt/bin", Text(root, "PATH"));
    }

    [Fact]
    public void An_object_from_a_substitution_merges_with_later_fields()
    {
        var root = Parse("base { timeout = 2s, retry = 1 }\ncheck = ${base}\ncheck.retry = 3");
        Assert.Equal("2s", Text(root, "check.timeout"));
        Assert.Equal("3", Text(root, "check.retry"));
        Assert.Equal("1", Text(root, "base.retry"));
    }

    [Fact]
    public void A_substitution_cycle_is_an_error()
    {
        AssertError(Fails("a = ${b}\nb = ${a}"), 2, "substitution cycle: ${a}");
        AssertError(Fails("a { b = ${a} }"), 1, "substitution cycle: ${a}");
    }

    [Fact]
    public void A_substituted_value_keeps_the_location_of_its_definition()
    {
        var root = Parse("a = 1\nb = ${a}");
        Assert.Equal(1, At(root, "b").Location.Line);
    }

    [Fact]
    public void Concatenating_a_list_with_a_string_is_an_error()
    {
        AssertError(Fails("a = [1]\nb = ${a} foo"), 2, "cannot concatenate a list with other values");
    }

    [Fact]
    public void An_exponential_expansion_is_capped()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 40; i++) text.Append($"a{i} = [${{a{i + 1}}}, ${{a{i + 1}}}]\n");
        text.Append("a40 = leaf\n");
        var error = Fails(text.ToString());
        Assert.Equal($"substitutions expand to over {HoconResolver.MaxCopiedValues} values", error.Message);
    }

    [Fact]
    public void An_exponential_string_expansion_is_capped()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 60; i++) text.Append($"s{i} = ${{s{i + 1}}}${{s{i + 1}}}\n");
        text.Append("s60 = xxxxxxxx\n");
        Assert.Equal("string longer than 16 MiB", Fails(text.ToString()).Message);
    }

    [Fact]
    public void A_very_long_substitution_chain_is_an_error_not_a_stack_overflow()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 100_000; i++) text.Append($"a{i} = ${{a{i + 1}}}\n");
        text.Append("a100000 = end\n");
        Assert.Equal("substitutions nested too deeply", Fails(text.ToString()).Message);
    }

    [Fact]
    public void Substitutions_building_deep_nesting_are_capped()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 300; i++) text.Append($"a{i} = [${{a{i + 1}}}]\n");
        text.Append("a300 = end\n");
        Assert.Equal("nesting deeper than 256 levels", Fails(text.ToString()).Message);
    }
}
