using Picomon.Cli;

namespace Picomon.Tests.Cli;

public class CommandLineTests
{
    [Theory]
    [InlineData(new string[0], RunMode.Daemon, null, false)]
    [InlineData(new[] { "-c", "x.conf" }, RunMode.Daemon, "x.conf", false)]
    [InlineData(new[] { "--config", "x.conf", "-D" }, RunMode.Daemon, "x.conf", true)]
    [InlineData(new[] { "--config=x.conf" }, RunMode.Daemon, "x.conf", false)]
    [InlineData(new[] { "-s", "x.conf", "-1" }, RunMode.One, "x.conf", false)]
    [InlineData(new[] { "--one", "--debug" }, RunMode.One, null, true)]
    [InlineData(new[] { "-t", "-c", "y.conf" }, RunMode.CheckConfig, "y.conf", false)]
    [InlineData(new[] { "--check-config", "-1" }, RunMode.CheckConfig, null, false)]
    [InlineData(new[] { "-c", "x.conf", "-h" }, RunMode.Help, null, false)]
    [InlineData(new[] { "--version" }, RunMode.Version, null, false)]
    public void Parses_the_options_of_the_spec(string[] args, RunMode mode, string? config, bool debug)
    {
        var parsed = CommandLine.Parse(args, out var error);
        Assert.Null(error);
        Assert.Equal(new CommandLine(mode, config, debug), parsed);
    }

    [Theory]
    [InlineData(new[] { "-x" }, "unknown option '-x'")]
    [InlineData(new[] { "--config" }, "option --config needs a FILE")]
    [InlineData(new[] { "-c" }, "option -c needs a FILE")]
    [InlineData(new[] { "--one=yes" }, "option --one takes no value")]
    public void Rejects_bad_usage_with_a_message(string[] args, string message)
    {
        Assert.Null(CommandLine.Parse(args, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public async Task Usage_error_exits_2_with_a_hint_on_stderr()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Assert.Equal(2, await App.RunAsync(["--bogus"], stdout, stderr));
        Assert.Equal($"picomon: unknown option '--bogus'{Environment.NewLine}Try 'picomon --help'.{Environment.NewLine}", stderr.ToString());
        Assert.Empty(stdout.ToString());
    }

    [Fact]
    public async Task Check_config_prints_a_summary_and_never_the_password()
    {
        var path = Path.Combine(Path.GetTempPath(), $"picomon-cli-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, """
            picomon.emails { to = ["ops@example.org"], smtp-user = bob, smtp-password = "hunter2-secret" }
            picomon.hosts.localhost { ipv4 = "127.0.0.1", ipv6 = "::1" }
            picomon.checks = [ { type = [ping4, ping6], hosts = [localhost] } ]
            """);
        try
        {
            var (stdout, stderr) = (new StringWriter(), new StringWriter());
            Assert.Equal(0, await App.RunAsync(["-t", "-c", path], stdout, stderr));
            var summary = stdout.ToString();
            Assert.Contains($"picomon: configuration OK: {path}", summary);
            Assert.Contains("2 checks", summary);
            Assert.Contains("checks per type: ping4 1, ping6 1", summary);
            Assert.Contains("mail: to ops@example.org", summary);
            Assert.Contains("auth as bob", summary);
            Assert.DoesNotContain("hunter2", summary + stderr);
        }
        finally { File.Delete(path); }
    }
}
