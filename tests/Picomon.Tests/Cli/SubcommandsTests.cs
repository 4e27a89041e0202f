using Picomon.Cli;

namespace Picomon.Tests.Cli;

public sealed class SubcommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("picomon-sub-").FullName;

    private string StateDir => Path.Combine(_dir, "state");

    private string Config(string text) => WriteConfig("picomon.conf", text);

    private string WriteConfig(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var exit = await App.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString().ReplaceLineEndings("\n"), stderr.ToString().ReplaceLineEndings("\n"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(new[] { "status" }, "status")]
    [InlineData(new[] { "-c", "x.conf", "run-now", "http4/*" }, "run-now")]
    [InlineData(new[] { "--config", "x.conf", "reload" }, "reload")]
    [InlineData(new[] { "-c", "status" }, null)]          // a file named status
    [InlineData(new[] { "--config=status", "-D" }, null)]
    [InlineData(new[] { "-1", "-c", "x.conf" }, null)]
    [InlineData(new string[0], null)]
    public void The_first_word_that_is_neither_an_option_nor_a_config_file_names_the_subcommand(string[] args, string? word) =>
        Assert.Equal(word, Subcommands.FirstWord(args));

    [Fact]
    public async Task A_word_that_is_no_subcommand_is_the_root_parsers_unknown_option_as_ever()
    {
        Assert.Equal((2, "", "picomon: unknown option 'stats'\nTry 'picomon --help'.\n"), await RunAsync("stats"));
        Assert.Equal((2, "", "picomon: unknown option 'stats'\nTry 'picomon --help'.\n"), await RunAsync("-c", "x.conf", "stats", "--json"));
    }

    [Theory]
    [InlineData(new[] { "status", "-D" }, "picomon: unknown option '-D'\nTry 'picomon status --help'.\n")]
    [InlineData(new[] { "run-now", "--bogus" }, "picomon: unknown option '--bogus'\nTry 'picomon run-now --help'.\n")]
    [InlineData(new[] { "status", "" }, "picomon: a PATTERN cannot be empty\nTry 'picomon status --help'.\n")]
    [InlineData(new[] { "reload", "now" }, "picomon: Unrecognized command or argument 'now'.\nTry 'picomon reload --help'.\n")]
    [InlineData(new[] { "status", "-c" }, "picomon: Required argument missing for option: '-c'.\nTry 'picomon status --help'.\n")]
    public async Task A_usage_error_exits_2_with_the_reason_and_a_hint(string[] args, string stderr)
    {
        var run = await RunAsync(args);

        Assert.Equal((2, "", stderr), run);
    }

    [Fact]
    public async Task Without_a_daemon_each_subcommand_exits_3_with_one_line_naming_the_state_dir()
    {
        var config = Config($$"""picomon { state-dir = "{{StateDir}}" }""");

        foreach (var args in new[] { new[] { "status", "-c", config }, ["-c", config, "run-now"], ["reload", "--config", config] })
            Assert.Equal((3, "", $"picomon: no daemon is running on {StateDir}\n"), await RunAsync(args));
    }

    [Fact]
    public async Task A_file_with_errors_elsewhere_still_names_its_state_dir_but_one_that_is_not_hocon_does_not()
    {
        var invalid = Config($$"""picomon { state-dir = "{{StateDir}}", base-tik = 5s, checks = [ { type = pong4 } ] }""");
        Assert.Equal((3, "", $"picomon: no daemon is running on {StateDir}\n"), await RunAsync("status", "-c", invalid));

        var broken = WriteConfig("broken.conf", "picomon { state-dir = [ \n");
        var run = await RunAsync("status", "-c", broken);
        Assert.Equal(2, run.Exit);
        Assert.StartsWith($"picomon: config error: {broken}:", run.Stderr);

        var wrongType = WriteConfig("wrong.conf", "picomon { state-dir = [1, 2] }\n");
        Assert.Equal((2, "", $"picomon: config error: {wrongType}:1: picomon.state-dir: expected a string, got a list\n"),
            await RunAsync("status", "-c", wrongType));
    }

    [Fact]
    public async Task Help_lists_the_subcommands_and_each_has_its_own()
    {
        var help = await RunAsync("--help");
        Assert.Equal(0, help.Exit);
        Assert.StartsWith(CommandLine.Usage, help.Stdout);
        Assert.Contains("  picomon status [--json] [PATTERN...]", help.Stdout);
        Assert.Contains("  picomon run-now [PATTERN...]", help.Stdout);
        Assert.Contains("  picomon reload ", help.Stdout);

        var status = await RunAsync("status", "--help");
        Assert.Equal(0, status.Exit);
        Assert.Contains("--json", status.Stdout);
        Assert.Contains("-c, -s, --config <FILE>", status.Stdout);
    }
}
