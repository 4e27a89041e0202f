using System.Net;
using System.Net.Sockets;
using Picomon.Probes;
using Picomon.Processes;
using Picomon.Tests.Support;

namespace Picomon.Tests.Probes;

public class PluginProbeTests
{
    private const string Plugins = "/usr/lib/nagios/plugins";
    private static readonly string Scripts = Path.Combine(AppContext.BaseDirectory, "testdata", "plugins");
    private static readonly ProbeTarget NoHost = new("check", "check", null, AddressFamily.Unspecified);
    private static readonly ProbeTarget Web = new("web", "web.example.test", "127.0.0.1", AddressFamily.Unspecified);

    private static Task<ProbeResult> Run(ProbeTarget target, params string[] command) =>
        ProbeRunner.RunAsync(new PluginProbe(command, warningOk: false), target, TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Succeeds_when_the_plugin_exits_OK()
    {
        Assert.Equal(ProbeResult.Ok, await Run(NoHost, $"{Plugins}/check_dummy", "0", "all good"));
    }

    [Theory]
    [InlineData("1", "WARNING: disk 85% (WARNING, exit 1)")]
    [InlineData("2", "CRITICAL: disk 85% (CRITICAL, exit 2)")]
    [InlineData("3", "UNKNOWN: disk 85% (UNKNOWN, exit 3)")]
    public async Task Fails_with_the_first_output_line_and_the_state(string code, string message)
    {
        Assert.Equal(ProbeResult.Fail(message), await Run(NoHost, $"{Plugins}/check_dummy", code, "disk 85%"));
    }

    [Fact]
    public async Task Counts_WARNING_as_success_when_warning_ok()
    {
        var probe = new PluginProbe([$"{Plugins}/check_dummy", "1", "disk 85%"], warningOk: true);
        Assert.Equal(ProbeResult.Ok, await ProbeRunner.RunAsync(probe, NoHost, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Replaces_the_address_macro_so_check_tcp_reaches_a_listening_port()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port.ToString();
        Assert.Equal(ProbeResult.Ok, await Run(Web, $"{Plugins}/check_tcp", "-H", "$ADDRESS$", "-p", port));
    }

    [Fact]
    public async Task Reports_check_tcp_connection_refused_on_a_closed_port()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var result = await Run(Web, $"{Plugins}/check_tcp", "-H", "$ADDRESS$", "-p", port.ToString());
        Assert.Equal(ProbeResult.Fail($"connect to address 127.0.0.1 and port {port}: Connection refused (CRITICAL, exit 2)"), result);
    }

    [Fact]
    public async Task Replaces_host_and_address_macros_only_when_the_check_has_a_host()
    {
        var script = Path.Combine(Scripts, "exit-with.sh");
        Assert.Equal(ProbeResult.Fail("CRITICAL: web.example.test at 127.0.0.1 (CRITICAL, exit 2)"),
            await Run(Web, script, "2", "CRITICAL: $HOST$ at $ADDRESS$"));
        Assert.Equal(ProbeResult.Fail("CRITICAL: $HOST$ at $ADDRESS$ (CRITICAL, exit 2)"),
            await Run(NoHost, script, "2", "CRITICAL: $HOST$ at $ADDRESS$"));
    }

    [Fact]
    public async Task Drops_the_performance_data_from_the_message()
    {
        var result = await Run(NoHost, Path.Combine(Scripts, "exit-with.sh"), "2", "CRITICAL: load 9 | load=9;5;8 users=3");
        Assert.Equal(ProbeResult.Fail("CRITICAL: load 9 (CRITICAL, exit 2)"), result);
        Assert.Equal(("CRITICAL: load 9", "load=9;5;8 users=3"), PluginProbe.SplitPerfdata("CRITICAL: load 9 | load=9;5;8 users=3"));
        Assert.Equal(("OK", (string?)null), PluginProbe.SplitPerfdata("OK"));
    }

    [Theory]
    [InlineData("4", "PROBLEM: odd (exit 4)")]
    [InlineData("126", "exit-with.sh: not executable (exit 126)")]
    [InlineData("127", "exit-with.sh: not found (exit 127)")]
    public async Task Fails_naming_an_unusual_exit_status(string code, string message)
    {
        var script = Path.Combine(Scripts, "exit-with.sh");
        var result = await Run(NoHost, script, code, "PROBLEM: odd");
        Assert.Equal(ProbeResult.Fail(message.Replace("exit-with.sh", script)), result);
    }

    [Fact]
    public async Task Fails_with_not_found_when_the_program_does_not_exist()
    {
        Assert.Equal(ProbeResult.Fail("/nonexistent/check_x: not found"), await Run(NoHost, "/nonexistent/check_x", "-H", "x"));
        Assert.Equal(ProbeResult.Fail("check_picomon_missing: not found"), await Run(NoHost, "check_picomon_missing"));
    }

    [Fact]
    public async Task Fails_with_not_executable_when_the_program_lacks_the_execute_bit()
    {
        var file = Path.Combine(Path.GetTempPath(), $"picomon-plugin-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(file, "#!/bin/sh\nexit 0\n");
        try
        {
            Assert.Equal(ProbeResult.Fail($"{file}: not executable"), await Run(NoHost, file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Caps_each_output_stream_and_still_sees_a_flooding_plugin_finish()
    {
        var (outcome, error) = await ChildProcess.RunAsync([Path.Combine(Scripts, "flood.sh")], CancellationToken.None);
        Assert.Null(error);
        Assert.Equal(2, outcome!.ExitCode);
        Assert.Equal(ChildProcess.ReadCap, outcome.Stdout.Length);
        Assert.Equal(ChildProcess.ReadCap, outcome.Stderr.Length);
        Assert.Equal("CRITICAL: flood | bytes=10000000", ProbeCommand.FirstLine(outcome));
        Assert.Equal(ProbeResult.Fail("CRITICAL: flood (CRITICAL, exit 2)"), await Run(NoHost, Path.Combine(Scripts, "flood.sh")));
    }

    [Fact]
    public async Task Kills_a_hanging_plugin_and_its_double_forked_child_at_the_timeout()
    {
        var marker = PluginProcessScan.NewMarker();
        var probe = new PluginProbe([Path.Combine(Scripts, "leave-child.sh"), marker, "hang"], warningOk: false);
        var result = await ProbeRunner.RunAsync(probe, NoHost, TimeSpan.FromSeconds(1));
        Assert.Equal(ProbeResult.Fail(ProbeRunner.TimedOut), result);
        Assert.Empty(await PluginProcessScan.RemainingAfterGraceAsync(marker));
    }

    [Fact]
    public async Task Leaves_nothing_running_when_the_plugin_exits_before_its_child()
    {
        var marker = PluginProcessScan.NewMarker();
        Assert.Equal(ProbeResult.Ok, await Run(NoHost, Path.Combine(Scripts, "leave-child.sh"), marker, "exit"));
        Assert.Empty(await PluginProcessScan.RemainingAfterGraceAsync(marker));
    }
}
