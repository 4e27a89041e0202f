using System.Net.Sockets;
using System.Text.RegularExpressions;
using Picomon.Probes;
using Picomon.Tests.Support;

namespace Picomon.Tests.Probes;

public class ExecProbeTests
{
    private static readonly ProbeTarget NoHost = new("exec", "exec", null, AddressFamily.Unspecified);
    private static readonly ProbeTarget Web = new("web", "web.example.test", "127.0.0.1", AddressFamily.Unspecified);

    private static Task<ProbeResult> Run(ProbeTarget target, string? pattern, params string[] command) =>
        ProbeRunner.RunAsync(new ExecProbe(command, pattern is null ? null : new Regex(pattern, RegexOptions.Multiline)),
            target, TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Succeeds_when_the_command_exits_0_and_its_output_matches()
    {
        Assert.Equal(ProbeResult.Ok, await Run(NoHost, "^world$", "/bin/sh", "-c", "echo hello; echo world"));
    }

    [Fact]
    public async Task Succeeds_on_exit_0_alone_when_no_pattern_is_given()
    {
        Assert.Equal(ProbeResult.Ok, await Run(NoHost, null, "/bin/true"));
    }

    [Fact]
    public async Task Quotes_a_long_output_line_cut_and_with_control_characters_escaped()
    {
        var result = await Run(NoHost, null, "/bin/sh", "-c", "printf '\\033[31m'; head -c 10000 /dev/zero | tr '\\0' x; exit 3");
        Assert.Equal("exit status 3: \\x1b[31m" + new string('x', 192) + "…", result.Message);
    }

    [Fact]
    public async Task Fails_when_the_output_does_not_match()
    {
        Assert.Equal(ProbeResult.Fail("output does not match '^bye': hello world"),
            await Run(NoHost, "^bye", "/bin/sh", "-c", "echo hello world"));
    }

    [Fact]
    public async Task Matches_stdout_only_not_stderr()
    {
        Assert.Equal(ProbeResult.Fail("output does not match 'secret': shown"),
            await Run(NoHost, "secret", "/bin/sh", "-c", "echo secret >&2; echo shown"));
    }

    [Fact]
    public async Task Fails_with_the_exit_status_and_first_line_on_a_non_zero_exit()
    {
        Assert.Equal(ProbeResult.Fail("exit status 3: disk full"),
            await Run(NoHost, null, "/bin/sh", "-c", "echo disk full >&2; exit 3"));
        Assert.Equal(ProbeResult.Fail("exit status 1 (no output)"), await Run(NoHost, null, "false"));
    }

    [Fact]
    public async Task Fails_with_not_found_when_the_command_does_not_exist()
    {
        Assert.Equal(ProbeResult.Fail("picomon-no-such-command: not found"), await Run(NoHost, null, "picomon-no-such-command"));
    }

    [Fact]
    public async Task Passes_the_target_address_through_the_macro_without_a_shell()
    {
        // "$ADDRESS$" reaches sh as a positional argument: no shell ever parses the command list itself.
        Assert.Equal(ProbeResult.Ok,
            await Run(Web, @"^127\.0\.0\.1 web\.example\.test;$", "/bin/sh", "-c", "echo \"$1 $2\"", "sh", "$ADDRESS$", "$HOST$;"));
    }

    [Fact]
    public async Task Kills_the_command_and_everything_it_started_at_the_timeout()
    {
        var marker = PluginProcessScan.NewMarker();
        var probe = new ExecProbe(["/bin/sh", "-c", $"sleep 1000 & sleep 1000; : {marker}"], null);
        Assert.Equal(ProbeResult.Fail(ProbeRunner.TimedOut), await ProbeRunner.RunAsync(probe, NoHost, TimeSpan.FromSeconds(1)));
        Assert.Empty(await PluginProcessScan.RemainingAfterGraceAsync(marker));
    }
}
