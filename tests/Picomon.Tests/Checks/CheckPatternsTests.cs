using Picomon.Checks;

namespace Picomon.Tests.Checks;

public class CheckPatternsTests
{
    [Theory]
    [InlineData("http4/web", "http4/web", true)]
    [InlineData("http4/web", "http4/web2", false)]
    [InlineData("http4/*", "http4/web", true)]
    [InlineData("http4/*", "http6/web", false)]
    [InlineData("*/web", "https6/web", true)]
    [InlineData("*", "plugin/check_disk/extra", true)]
    [InlineData("http?/web", "http4/web", true)]
    [InlineData("http?/web", "https4/web", false)]
    [InlineData("HTTP4/*", "http4/web", false)]
    [InlineData(@"weird\*", "weird*", true)]
    [InlineData(@"weird\*", "weirdo", false)]
    [InlineData("a.b", "axb", false)]
    [InlineData("[x]", "[x]", true)]
    public void A_pattern_is_an_id_or_a_glob_where_star_and_question_mark_are_wildcards(string pattern, string id, bool matches)
    {
        var patterns = CheckPatterns.Parse([pattern], out var error);
        Assert.Null(error);
        Assert.Equal(matches, patterns!.Matches(id));
    }

    [Fact]
    public void Any_of_several_patterns_may_match_and_none_matches_everything()
    {
        var patterns = CheckPatterns.Parse(["ping4/*", "http4/web"], out _)!;
        Assert.True(patterns.Matches("ping4/router"));
        Assert.True(patterns.Matches("http4/web"));
        Assert.False(patterns.Matches("http4/db"));
        Assert.True(CheckPatterns.All.Matches("anything"));
        Assert.True(CheckPatterns.Parse([], out _)!.Matches("anything"));
    }

    [Fact]
    public void An_empty_pattern_is_refused()
    {
        Assert.Null(CheckPatterns.Parse(["http4/*", ""], out var error));
        Assert.Equal("a PATTERN cannot be empty", error);
    }
}
