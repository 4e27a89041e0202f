using Akka.Configuration;
using Picomon.Configuration.Hocon;
using static Picomon.Tests.Configuration.Hocon.HoconTestSupport;

namespace Picomon.Tests.Configuration.Hocon;

/// <summary>The renderer feeds Akka: what Akka's parser reads back must equal what Picomon read.</summary>
public class HoconRendererTests
{
    private static Config ThroughAkka(string picomonText) => ConfigurationFactory.ParseString(HoconRenderer.Render(Parse(picomonText)));

    [Fact]
    public void Akka_reads_the_rendered_tree_as_it_reads_the_plain_original()
    {
        const string original = """
            akka {
              loglevel = "INFO"
              loggers = ["Akka.Event.DefaultLogger", "Other.Logger"]
              actor {
                debug { receive = on, lifecycle = false }
                default-dispatcher { throughput = 10, fork-join-executor { parallelism-factor = 2.5 } }
              }
              scheduler.tick-duration = 100ms
              empty {}
              nothing = null
              big = 1.5e3
            }
            """;
        var rendered = ThroughAkka(original);
        Assert.Equal(ConfigurationFactory.ParseString(original).Root.ToString(), rendered.Root.ToString());
        Assert.Equal(10, rendered.GetInt("akka.actor.default-dispatcher.throughput"));
        Assert.Equal(2.5, rendered.GetDouble("akka.actor.default-dispatcher.fork-join-executor.parallelism-factor"));
        Assert.False(rendered.GetBoolean("akka.actor.debug.lifecycle"));
        Assert.Equal(1500, rendered.GetDouble("akka.big"));
        Assert.Equal(TimeSpan.FromMilliseconds(100), rendered.GetTimeSpan("akka.scheduler.tick-duration"));
        Assert.Equal(["Akka.Event.DefaultLogger", "Other.Logger"], rendered.GetStringList("akka.loggers"));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("with \"quotes\" and \\backslashes\\")]
    [InlineData("line\nbreak\ttab\rreturn")]
    [InlineData("${NOT_A_SUBSTITUTION} # not a comment // nor this")]
    [InlineData("braces { } [ ] = : , + ?")]
    [InlineData("unicode é ✓ 日本")]
    [InlineData("control \u0001\u001f")]
    [InlineData("")]
    public void Strings_survive_the_round_trip_through_akka_exactly(string value)
    {
        var config = ConfigurationFactory.ParseString(HoconRenderer.Render(StringTree(value)));
        Assert.Equal(value, config.GetString("s"));
    }

    // Akka trims leading and trailing whitespace of every string (escaped or not), so padding is only
    // checked through Picomon's own reader; no Akka setting depends on it.
    [Theory]
    [InlineData("  padded\t ")]
    [InlineData("with \"quotes\", \\ and\nnewline \u0001 ${X}")]
    public void Strings_survive_the_round_trip_through_picomon_exactly(string value)
    {
        Assert.Equal(value, Text(Parse(HoconRenderer.Render(StringTree(value))), "s"));
    }

    private static HoconObject StringTree(string value) =>
        new(default, [new("s", new HoconScalar(default, HoconScalarKind.String, value, quoted: true))]);

    [Fact]
    public void Keys_are_quoted_so_dots_and_spaces_stay_inside_one_key()
    {
        var config = ThroughAkka("a { \"b.c\" = 1, \"d e\" = 2, f = 3 }");
        var a = config.GetConfig("a").Root.GetObject();
        Assert.Equal(["b.c", "d e", "f"], a.Items.Keys);
    }

    [Fact]
    public void Numbers_booleans_and_null_are_rendered_raw()
    {
        var text = HoconRenderer.Render(Parse("n = -12\nd = 0.5\nt = true\nz = null\ns = \"42\""));
        Assert.Equal("\"n\" = -12\n\"d\" = 0.5\n\"t\" = true\n\"z\" = null\n\"s\" = \"42\"\n", text);
    }

    [Fact]
    public void Nested_lists_and_objects_in_lists_round_trip()
    {
        var config = ThroughAkka("x = [[1, 2], [], [{ k = v }]]\ny { z { w = [a] } }");
        var x = config.GetValue("x").GetArray();
        Assert.Equal(["1", "2"], x[0].GetArray().Select(v => v.GetString()));
        Assert.Empty(x[1].GetArray());
        Assert.Equal("v", x[2].GetArray()[0].GetObject().Items["k"].GetString());
        Assert.Equal(["a"], config.GetStringList("y.z.w"));
    }

    [Fact]
    public void Resolved_substitutions_are_rendered_as_plain_values()
    {
        var text = HoconRenderer.Render(Parse("a = 1\nb = ${a}\nc = ${?NOPE}"));
        Assert.Equal("\"a\" = 1\n\"b\" = 1\n", text);
    }

    [Fact]
    public void Merge_lays_overrides_over_the_fallback_deeply()
    {
        var fallback = Parse("picomon { base-tick = 60s, emails { to = [], from = \"picomon@localhost\" } }\nonly-fallback = 1");
        var overrides = Parse("picomon { emails { to = [\"ops@example.org\"] }, extra = yes }");
        var merged = HoconParser.Merge(fallback, overrides);
        Assert.Equal("60s", Text(merged, "picomon.base-tick"));
        Assert.Equal(["ops@example.org"], Texts(merged, "picomon.emails.to"));
        Assert.Equal("picomon@localhost", Text(merged, "picomon.emails.from"));
        Assert.Equal("yes", Text(merged, "picomon.extra"));
        Assert.Equal("1", Text(merged, "only-fallback"));
        Assert.Equal(["base-tick", "emails", "extra"], Assert.IsType<HoconObject>(At(merged, "picomon")).Fields.Select(f => f.Key));
    }

    [Fact]
    public void Merge_replaces_non_objects_and_objects_replaced_by_values()
    {
        var merged = HoconParser.Merge(Parse("a { x = 1 }\nb = 2\nc = [1]"), Parse("a = off\nb { y = 1 }\nc = [2]"));
        Assert.Equal("off", Text(merged, "a"));
        Assert.Equal("1", Text(merged, "b.y"));
        Assert.Equal(["2"], Texts(merged, "c"));
    }
}
