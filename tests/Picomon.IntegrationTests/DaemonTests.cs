using System.Text.RegularExpressions;
using Picomon.IntegrationTests.Support;

namespace Picomon.IntegrationTests;

/// <summary>The daemon in real time on a 1 s base tick: checks run and alert as configured, the log format,
/// signals, a graceful stop, and hostile targets that must not hurt it.</summary>
[Collection(RealTime.Name)]
public class DaemonTests
{
    /// <summary>The schedule itself (first run spread over the first tick, every N ticks from the scheduled start,
    /// error-every after a failure, retry) is proven on virtual time in CheckActorSpecs and ChecksSupervisorSpecs;
    /// here the daemon shows it runs checks again and again in real life, and that a failed check comes back on
    /// its error-every: with every = 600 ticks it would not be asked again for ten minutes. The timeout is one
    /// that no answer comes near, so that a busy machine cannot turn the 503 into a timeout.</summary>
    [Fact]
    public async Task Checks_run_repeatedly_a_failing_check_runs_on_its_error_every_and_is_logged_and_SIGTERM_exits_0()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        using var picomon = await Daemon.StartAsync(dir, $$"""
            picomon {
              base-tick = 1s
              default-timeout = 30s
              hosts { web { ipv4 = "127.0.0.1" } }
              checks = [
                { type = http4, hosts = [web], name = every-1, port = {{web.Port}}, url = "/every-1", every = 1 }
                { type = http4, hosts = [web], name = every-2, port = {{web.Port}}, url = "/every-2", every = 2 }
                { type = http4, hosts = [web], name = failing, port = {{web.Port}}, url = "/fail", every = 600, error-every = 1, retry = 1 }
              ]
            }
            """, checks: 3);

        await web.WaitForHitsAsync("/every-1", 3, Deadlines.Event);
        await web.WaitForHitsAsync("/every-2", 3, Deadlines.Event);
        await web.WaitForHitsAsync("/fail", 3, Deadlines.Event);
        await picomon.WaitForOutputAsync((_, stderr) => stderr.Contains("WARNING: failing: entered error: HTTP 503"), Deadlines.Event);
        picomon.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(Deadlines.Event));

        Assert.All(web.Hits("/fail"), hit => Assert.Equal(503, hit.Status));
        var lines = picomon.Stderr.TrimEnd('\n').Split('\n');
        Assert.Matches(Daemon.LogLine(), lines[0]);
        Assert.Matches(@"INFO: Picomon \S+ starting: config daemon\.conf, 3 checks, base tick 1s$", lines[0]);
        Assert.Contains(lines, l => Daemon.LogLine().IsMatch(l) && l.Contains("WARNING: failing: entered error: HTTP 503"));
        // Lines that do not start with a date are the continuation of a multi-line message (an alert's text).
        Assert.All(lines.Where(l => char.IsDigit(l.FirstOrDefault())), l => Assert.Matches(Daemon.LogLine(), l));
    }

    [Fact]
    public async Task A_storm_of_200_SIGUSR1_leaves_the_daemon_running_and_SIGTERM_still_exits_0()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        using var picomon = await Daemon.StartAsync(dir, $$"""
            picomon {
              base-tick = 1s
              default-timeout = 30s
              hosts { web { ipv4 = "127.0.0.1" } }
              checks = [ { type = http4, hosts = [web], port = {{web.Port}}, url = "/storm" } ]
            }
            """, checks: 1);
        // A first dump: the daemon takes SIGUSR1 from then on (before its actors exist, it ignores it).
        await Daemon.SignalUntilDumpAsync(picomon);
        var before = Daemon.Dumps(picomon.Stdout);

        for (var i = 0; i < 200; i++) picomon.Signal(Daemon.SigUsr1);

        await picomon.WaitForOutputAsync((stdout, _) => Daemon.Dumps(stdout) > before, Deadlines.Event);
        var hits = web.Count("/storm");
        await web.WaitForHitsAsync("/storm", hits + 2, Deadlines.Event);
        Assert.InRange(Daemon.Dumps(picomon.Stdout) - before, 1, 200);
        Assert.Contains("Check http4/web is OK", picomon.Stdout);

        picomon.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(Deadlines.Event));
    }

    /// <summary>The drip check times out by design (2 s); the flood and junk checks fail at once on what they read,
    /// and get a timeout that this never comes near, so that a busy machine cannot turn their answer into a
    /// timeout. The daemon's memory with such targets is a figure of the benchmarks (section hostile).</summary>
    [Fact]
    public async Task Dripping_and_flooding_targets_fail_clearly_while_the_daemon_stays_responsive()
    {
        using var dir = new Workspace();
        await using var drip = new HostileTarget(HostileTarget.Kind.Drip);
        await using var flood = new HostileTarget(HostileTarget.Kind.Flood);
        await using var junk = new HostileTarget(HostileTarget.Kind.JunkLine);
        using var picomon = await Daemon.StartAsync(dir, $$"""
            picomon {
              base-tick = 1s
              default-timeout = 2s
              default-retry = 0
              hosts { drip { ipv4 = "127.0.0.1" }, flood { ipv4 = "127.0.0.1" }, junk { ipv4 = "127.0.0.1" } }
              checks = [
                { type = http4, hosts = [drip], port = {{drip.Port}} }
                { type = http4, hosts = [flood], port = {{flood.Port}}, timeout = 30s }
                { type = http4, hosts = [junk], port = {{junk.Port}}, timeout = 30s }
              ]
            }
            """, checks: 3);

        await Poll.UntilAsync(() => new[] { drip, flood, junk }.All(t => t.Connections >= 4),
            "four runs against each hostile target", Deadlines.Event);
        await Daemon.SignalUntilDumpAsync(picomon);
        await picomon.WaitForOutputAsync((stdout, _) => stdout.Contains("Other checks (usually OK"), Deadlines.Event);

        var dump = picomon.Stdout;
        var errors = dump[dump.IndexOf("    Checks in error:", StringComparison.Ordinal)..dump.IndexOf("    Other checks", StringComparison.Ordinal)];
        Assert.True(Failing("drip", @"Operation timed out").IsMatch(errors), errors);
        Assert.True(Failing("flood", @"invalid HTTP response: response headers exceed 64 KiB").IsMatch(errors), errors);
        Assert.True(Failing("junk", @"invalid HTTP response: invalid status line '[^\n]+").IsMatch(errors), errors);
        Assert.All(errors.Split('\n'), line => Assert.True(line.Length < 300 && !line.Any(c => char.IsControl(c) && c != '\t'), line));

        picomon.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(Deadlines.Event));
    }

    private static Regex Failing(string host, string message) =>
        new($@"127\.0\.0\.1: http4/{host}\nSince [^\n]+\n\t{message}\n");
}
