using Picomon.Cli;

namespace Picomon.Tests.Migration;

/// <summary><c>picomon migrate</c>'s command line, as a subcommand: its usage errors and its help.</summary>
public class MigrateCommandTests
{
    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var exit = await App.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString().ReplaceLineEndings("\n"), stderr.ToString().ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData(new[] { "migrate" }, "picomon: Required argument 'CONFIG.py' missing for command: 'migrate'.\nTry 'picomon migrate --help'.\n")]
    [InlineData(new[] { "migrate", "a.py", "b.py" }, "picomon: Unrecognized command or argument 'b.py'.\nTry 'picomon migrate --help'.\n")]
    [InlineData(new[] { "migrate", "a.py", "-o" }, "picomon: Required argument missing for option: '-o'.\nTry 'picomon migrate --help'.\n")]
    [InlineData(new[] { "migrate", "a.py", "--output=" }, "picomon: Required argument missing for option: '--output'.\nTry 'picomon migrate --help'.\n")]
    [InlineData(new[] { "-c", "x.conf", "migrate", "a.py" }, "picomon: migrate: takes no -c; the configuration it reads is CONFIG.py\n")]
    public async Task A_usage_error_exits_2_with_the_reason(string[] args, string stderr) =>
        Assert.Equal((2, "", stderr), await RunAsync(args));

    [Theory]
    [InlineData("/nonexistent/config.py")]
    [InlineData("/nonexistent/config.py", "-o", "out.conf")]
    [InlineData("-o", "out.conf", "/nonexistent/config.py")]
    [InlineData("/nonexistent/config.py", "--output=out.conf")]
    public async Task The_config_is_found_wherever_the_output_option_stands(params string[] args)
    {
        Assert.Equal((2, "", "picomon: migrate: /nonexistent/config.py: no such file\n"), await RunAsync(["migrate", .. args]));
        Assert.False(File.Exists("out.conf"));
    }

    [Fact]
    public async Task Help_exits_0_and_names_the_arguments_but_not_the_daemons_config_option()
    {
        var (exit, stdout, _) = await RunAsync("migrate", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("migrate <CONFIG.py> [options]", stdout);
        Assert.Contains("-o, --output <FILE>", stdout);
        Assert.DoesNotContain("--config", stdout);
    }
}
