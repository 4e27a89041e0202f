using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text.Json;
using System.Text.RegularExpressions;
using Picomon.IntegrationTests.Support;

namespace Picomon.IntegrationTests;

/// <summary>The subcommands against a running daemon, as a sysadmin types them: <c>picomon status</c>,
/// <c>run-now</c> and <c>reload</c> through the control socket, and what happens without a daemon.</summary>
[Collection(RealTime.Name)]
public class ControlTests
{
    private static readonly TimeSpan Deadline = Deadlines.Event;

    /// <summary>Runs <c>picomon ARGS</c> in <paramref name="dir"/>, as a user in that directory would.</summary>
    private static Task<(int ExitCode, string Stdout, string Stderr)> PicomonAsync(Workspace dir, params string[] args) =>
        PicomonBinary.RunAsync(dir.Directory, Deadline, args);

    /// <summary>Asks <c>picomon status</c> until <paramref name="condition"/> holds on its output.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> StatusUntilAsync(
        Workspace dir, Func<string, bool> condition, string what, params string[] args)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            var status = await PicomonAsync(dir, ["status", .. args]);
            if (condition(status.Stdout)) return status;
            if (DateTime.UtcNow > until) throw new TimeoutException($"{what}: never seen in\n{status.Stdout}{status.Stderr}");
            await Task.Delay(200);
        }
    }

    private static string Config(string stateDir, params string[] checks) => $$"""
        picomon {
          base-tick = 1s
          state-dir = "{{stateDir}}"
          default-retry = 0
          hosts { web { ipv4 = "127.0.0.1" } }
          checks = [
            {{string.Join("\n    ", checks)}}
          ]
        }
        """;

    private static string Http(string name, int port, string url, int every = 1) =>
        $$"""{ type = http4, hosts = [web], name = "{{name}}", port = {{port}}, url = "{{url}}", every = {{every}} }""";

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Status_lists_every_check_problems_first_its_json_parses_and_the_socket_is_owner_only()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        using var picomon = await Daemon.StartAsync(dir, Config("state",
            Http("web/up", web.Port, "/up"), Http("web/down", web.Port, "/fail"), Http("web/later", web.Port, "/later", every: 3600)), checks: 3);

        var status = await StatusUntilAsync(dir, s => Regex.IsMatch(s, "^error +web/down ", RegexOptions.Multiline), "web/down in error",
            "-c", "daemon.conf");

        Assert.Equal(1, status.ExitCode);
        var lines = status.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Matches(@"^STATE +ID +TARGET +SINCE +MESSAGE$", lines[0]);
        Assert.Matches(@"^error +web/down +127\.0\.0\.1 +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d +HTTP 503", lines[1]);
        Assert.Matches(@"^ok +web/later +127\.0\.0\.1 ", lines[2]);
        Assert.Matches(@"^ok +web/up +127\.0\.0\.1 ", lines[3]);

        var json = await PicomonAsync(dir, "status", "--json", "-c", "daemon.conf");
        Assert.Equal(1, json.ExitCode);
        using var document = JsonDocument.Parse(json.Stdout);
        var checks = document.RootElement.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(["web/down", "web/later", "web/up"], checks.Select(c => c.GetProperty("id").GetString()));
        Assert.Equal("error", checks[0].GetProperty("state").GetString());
        Assert.Equal("http4", checks[0].GetProperty("type").GetString());
        Assert.StartsWith("HTTP 503", checks[0].GetProperty("message").GetString());
        Assert.True(checks[0].GetProperty("since").GetDateTimeOffset() <= document.RootElement.GetProperty("takenAt").GetDateTimeOffset());

        var up = await PicomonAsync(dir, "-c", "daemon.conf", "status", "web/u*");
        Assert.Equal(0, up.ExitCode);
        Assert.Equal(2, up.Stdout.TrimEnd('\n').Split('\n').Length);
        var none = await PicomonAsync(dir, "status", "-c", "daemon.conf", "nothing/*");
        Assert.Equal((1, "", "picomon: no check matches 'nothing/*'\n"), none);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir.Directory, "state", "control.sock")));
        picomon.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(Deadline));
    }

    [Fact]
    public async Task Run_now_runs_the_matching_checks_at_once_and_no_match_exits_1()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        // Every hour: after its first run, only run-now makes a check run again within the test.
        using var picomon = await Daemon.StartAsync(dir, Config("state",
            Http("hourly/a", web.Port, "/a", every: 3600), Http("hourly/b", web.Port, "/b", every: 3600)), checks: 2);
        await Daemon.AllRanAsync(dir, 2); // a check whose run is in flight takes run-now as "restart the schedule" only

        var run = await PicomonAsync(dir, "run-now", "-c", "daemon.conf", "hourly/a");

        Assert.Equal((0, "picomon: running 1 check now\n", ""), run);
        await web.WaitForHitsAsync("/a", 2, Deadline);
        var all = await PicomonAsync(dir, "run-now", "-c", "daemon.conf");
        Assert.Equal((0, "picomon: running 2 checks now\n", ""), all);
        await web.WaitForHitsAsync("/b", 2, Deadline);
        Assert.Equal((1, "", "picomon: no check matches 'ping4/*', 'x'\n"), await PicomonAsync(dir, "run-now", "-c", "daemon.conf", "ping4/*", "x"));

        picomon.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(Deadline));
    }

    [Fact]
    public async Task Reload_applies_an_edited_file_and_reports_every_problem_of_an_invalid_one()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        using var picomon = await Daemon.StartAsync(dir, Config("state", Http("web/a", web.Port, "/a")), checks: 1);

        dir.Write("daemon.conf", Config("state", Http("web/a", web.Port, "/a"), Http("web/b", web.Port, "/b")));
        var reload = await PicomonAsync(dir, "reload", "-c", "daemon.conf");

        Assert.Equal((0, "Configuration reloaded from daemon.conf: 1 checks unchanged, 0 changed, 1 added, 0 removed\n", ""), reload);
        await web.WaitForHitsAsync("/b", 1, Deadline);
        await StatusUntilAsync(dir, s => s.Contains("web/b"), "web/b listed", "-c", "daemon.conf");

        dir.Write("daemon.conf", "picomon { state-dir = state, base-tik = 1s\n checks = [ { type = pong4 } ] }\n");
        var invalid = await PicomonAsync(dir, "reload", "-c", "daemon.conf");

        Assert.Equal(2, invalid.ExitCode);
        Assert.Equal("", invalid.Stdout);
        Assert.Equal("""
            picomon: config error: daemon.conf:1: picomon.base-tik: unknown key, did you mean 'base-tick'?
            picomon: config error: daemon.conf:2: picomon.checks[0].type: unknown check type 'pong4', did you mean 'ping4'?
            picomon: reload refused: daemon.conf has 2 problem(s); the daemon still runs the previous configuration

            """.ReplaceLineEndings("\n"), invalid.Stderr);
        var hits = web.Count("/b");
        await web.WaitForHitsAsync("/b", hits + 2, Deadline); // still running the previous configuration
        picomon.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(Deadline));
    }

    [Fact]
    public async Task A_silent_client_on_the_socket_does_not_hold_status()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        // ./picomon.conf and the default state-dir: the subcommand finds both as the daemon did.
        dir.Write("picomon.conf", $$"""
            picomon { base-tick = 1s, hosts { web { ipv4 = "127.0.0.1" } }
              checks = [ { type = http4, hosts = [web], port = {{web.Port}}, url = "/up" } ] }
            """);
        using var picomon = PicomonBinary.Start(dir.Directory);
        var socketPath = Path.Combine(dir.Directory, "picomon-state", "control.sock");
        await Poll.UntilAsync(() => File.Exists(socketPath), "the control socket", Deadline);
        using var silent = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await silent.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));

        var status = await StatusUntilAsync(dir, s => Regex.IsMatch(s, "^ok +http4/web ", RegexOptions.Multiline), "http4/web listed");

        Assert.Equal(0, status.ExitCode);
        picomon.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(Deadline));
    }

    [Fact]
    public async Task Without_a_daemon_status_exits_3_and_a_stale_socket_left_by_kill_9_is_replaced()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        var config = Config("state", Http("web/a", web.Port, "/a"));
        var noDaemon = $"picomon: no daemon is running on {Path.Combine(dir.Directory, "state")}\n";
        dir.Write("daemon.conf", config);
        Assert.Equal((3, "", noDaemon), await PicomonAsync(dir, "status", "-c", "daemon.conf"));

        using (var killed = await Daemon.StartAsync(dir, config, checks: 1))
        {
            await StatusUntilAsync(dir, s => s.Contains("web/a"), "web/a listed", "-c", "daemon.conf");
            killed.Signal(Daemon.SigKill);
            await killed.WaitForExitAsync(Deadline);
        }
        Assert.True(File.Exists(Path.Combine(dir.Directory, "state", "control.sock")));
        Assert.Equal((3, "", noDaemon), await PicomonAsync(dir, "status", "-c", "daemon.conf"));

        using var restarted = await Daemon.StartAsync(dir, config, checks: 1);
        await StatusUntilAsync(dir, s => s.Contains("web/a"), "web/a listed after the restart", "-c", "daemon.conf");
        restarted.Signal(Daemon.SigTerm);
        Assert.Equal(0, await restarted.WaitForExitAsync(Deadline));
        Assert.False(File.Exists(Path.Combine(dir.Directory, "state", "control.sock")));
        Assert.Equal((3, "", noDaemon), await PicomonAsync(dir, "status", "-c", "daemon.conf"));
    }
}
