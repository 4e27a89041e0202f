using Picomon.Cli;
using Picomon.Migration;

namespace Picomon.Tests.Migration;

public class MigrateCommandTests
{
    [Theory]
    [InlineData(new[] { "config.py" }, "config.py", null)]
    [InlineData(new[] { "config.py", "-o", "out.conf" }, "config.py", "out.conf")]
    [InlineData(new[] { "-o", "out.conf", "config.py" }, "config.py", "out.conf")]
    [InlineData(new[] { "config.py", "--output", "out.conf" }, "config.py", "out.conf")]
    [InlineData(new[] { "config.py", "--output=out.conf" }, "config.py", "out.conf")]
    public void Parses_the_config_and_the_output_file(string[] args, string config, string? output)
    {
        var parsed = MigrateCommand.Parse(args, out var error);
        Assert.Null(error);
        Assert.Equal(new MigrateCommand(config, output, Help: false), parsed);
    }

    [Theory]
    [InlineData(new string[0], "needs the original's config file: picomon migrate CONFIG.py [-o FILE]")]
    [InlineData(new[] { "a.py", "b.py" }, "one CONFIG.py only, got 'a.py' and 'b.py'")]
    [InlineData(new[] { "a.py", "-o" }, "option -o needs a FILE")]
    [InlineData(new[] { "a.py", "--output=" }, "option --output needs a FILE")]
    [InlineData(new[] { "a.py", "-c", "x.conf" }, "unknown option '-c'")]
    public void Rejects_bad_usage_with_a_message(string[] args, string message)
    {
        Assert.Null(MigrateCommand.Parse(args, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public async Task A_usage_error_exits_2_with_a_hint_and_help_exits_0()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Assert.Equal(2, await App.RunAsync(["migrate"], stdout, stderr));
        Assert.Equal("picomon: migrate: needs the original's config file: picomon migrate CONFIG.py [-o FILE]\nTry 'picomon migrate --help'.\n",
                     stderr.ToString().ReplaceLineEndings("\n"));
        Assert.Equal(0, await App.RunAsync(["migrate", "--help"], stdout, stderr));
        Assert.StartsWith("usage: picomon migrate CONFIG.py [-o FILE]", stdout.ToString());
    }

    [Fact]
    public async Task A_missing_config_exits_2_naming_it()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Assert.Equal(2, await App.RunAsync(["migrate", "/nonexistent/config.py"], stdout, stderr));
        Assert.Equal("picomon: migrate: /nonexistent/config.py: no such file\n", stderr.ToString().ReplaceLineEndings("\n"));
        Assert.Empty(stdout.ToString());
    }
}
