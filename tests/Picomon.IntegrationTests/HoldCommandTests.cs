using System.Text.RegularExpressions;
using Picomon.IntegrationTests.Support;

namespace Picomon.IntegrationTests;

/// <summary><c>picomon silence add|list|expire</c> and <c>picomon ack</c> against a running daemon, and what they
/// leave across a <c>kill -9</c>.</summary>
[Collection(RealTime.Name)]
public class HoldCommandTests
{
    private static readonly TimeSpan Deadline = Deadlines.Event;

    private static Task<(int ExitCode, string Stdout, string Stderr)> PicomonAsync(Workspace dir, params string[] args) =>
        PicomonBinary.RunAsync(dir.Directory, Deadline, [.. args, "-c", "daemon.conf"]);

    private static string Config(int port) => $$"""
        picomon {
          base-tick = 1s
          state-dir = "state"
          default-retry = 0
          hosts { web { ipv4 = "127.0.0.1" } }
          checks = [
            { type = http4, hosts = [web], name = "web/down", port = {{port}}, url = "/fail" }
            { type = http4, hosts = [web], name = "web/up", port = {{port}}, url = "/up" }
          ]
        }
        """;

    private static async Task UntilInErrorAsync(Workspace dir, string id)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!Regex.IsMatch((await PicomonAsync(dir, "status")).Stdout, $"^(error|held) +{Regex.Escape(id)} ", RegexOptions.Multiline))
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"{id} never in error");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Silences_are_added_listed_and_expired_acks_name_the_open_incident_and_both_survive_kill_9()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        var config = Config(web.Port);
        string id;
        using (var picomon = await Daemon.StartAsync(dir, config, checks: 2))
        {
            var added = await PicomonAsync(dir, "silence", "add", "web/*", "http4/*", "--for", "1h", "--comment", "moving the rack");
            Assert.Equal(0, added.ExitCode);
            id = added.Stdout.Trim();
            Assert.Matches("^[0-9a-f]{8}$", id);
            var other = (await PicomonAsync(dir, "silence", "add", "db/*", "--for", "2d")).Stdout.Trim();

            await UntilInErrorAsync(dir, "web/down");
            Assert.Equal((0, "picomon: acknowledged web/down#1\n", ""), await PicomonAsync(dir, "ack", "web/down", "--comment", "on it"));
            Assert.Equal((1, "", "picomon: 'web/up' has no open incident (it is not in error)\n"), await PicomonAsync(dir, "ack", "web/up"));

            Assert.Equal((0, $"picomon: silence {other} expired\n", ""), await PicomonAsync(dir, "silence", "expire", other));
            Assert.Equal((1, "", $"picomon: no active silence '{other}'\n"), await PicomonAsync(dir, "silence", "expire", other));
            picomon.Signal(Daemon.SigKill);
            await picomon.WaitForExitAsync(Deadline);
        }

        using var restarted = await Daemon.StartAsync(dir, config, checks: 2);
        var list = await PicomonAsync(dir, "silence", "list");
        Assert.Equal(0, list.ExitCode);
        var lines = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches("^ID +ENDS +PATTERNS +COMMENT$", lines[0]);
        Assert.Matches($"^{id}  \\d{{4}}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d\\d:\\d\\d  web/\\* http4/\\*  moving the rack$", lines[1]);
        restarted.Signal(Daemon.SigTerm);
        Assert.Equal(0, await restarted.WaitForExitAsync(Deadline));
    }

    [Fact]
    public async Task Bad_arguments_are_usage_errors_naming_the_subcommand()
    {
        using var dir = new Workspace();
        dir.Write("daemon.conf", Config(1));
        var bad = await PicomonAsync(dir, "silence", "add", "web/*", "--for", "soon");
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("picomon: --for: 'soon' is not a positive duration (30m, 2h, 1d)\nTry 'picomon silence add --help'.\n", bad.Stderr);
        var missing = await PicomonAsync(dir, "silence", "add", "web/*");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--for", missing.Stderr);
        Assert.Equal(3, (await PicomonAsync(dir, "silence", "list")).ExitCode);
    }
}
