using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Picomon.IntegrationTests.Support;

namespace Picomon.IntegrationTests;

/// <summary>The daemon in real time on a 1 s base tick: schedules as configured, the log format, signals,
/// a graceful stop, and hostile targets that must not hurt it.</summary>
public class DaemonTests
{
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Checks_run_every_N_ticks_and_every_error_tick_after_a_failure_and_SIGTERM_exits_0()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        using var picomon = await Daemon.StartAsync(dir, $$"""
            picomon {
              base-tick = 1s
              default-timeout = 900ms
              hosts { web { ipv4 = "127.0.0.1" } }
              checks = [
                { type = http4, hosts = [web], name = every-1, port = {{web.Port}}, url = "/every-1", every = 1 }
                { type = http4, hosts = [web], name = every-2, port = {{web.Port}}, url = "/every-2", every = 2 }
                { type = http4, hosts = [web], name = failing, port = {{web.Port}}, url = "/fail", every = 3, error-every = 1 }
              ]
            }
            """, checks: 3);

        // The measurement itself: six seconds of real time, then the counts of requests per path.
        await Task.Delay(TimeSpan.FromSeconds(6));
        picomon.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(StopDeadline));

        Assert.InRange(web.Count("/every-1"), 5, 7);
        Assert.InRange(web.Count("/every-2"), 2, 4);
        // every = 3 would give 2 runs; after its first failure it runs every second instead.
        var failures = web.Hits("/fail");
        Assert.InRange(failures.Count, 5, 7);
        Assert.InRange((failures[1].At - failures[0].At).TotalSeconds, 0.5, 1.5);

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
              hosts { web { ipv4 = "127.0.0.1" } }
              checks = [ { type = http4, hosts = [web], port = {{web.Port}}, url = "/storm" } ]
            }
            """, checks: 1);
        // Two runs: the SIGUSR1 handler is installed by then (before it, the signal's default action kills).
        await web.WaitForHitsAsync("/storm", 2, TimeSpan.FromSeconds(10));

        for (var i = 0; i < 200; i++) picomon.Signal(Daemon.SigUsr1);

        await picomon.WaitForOutputAsync((stdout, _) => Daemon.Dumps(stdout) >= 1, TimeSpan.FromSeconds(10));
        var hits = web.Count("/storm");
        await web.WaitForHitsAsync("/storm", hits + 2, TimeSpan.FromSeconds(10));
        Assert.InRange(Daemon.Dumps(picomon.Stdout), 1, 200);
        Assert.Contains("Check http4/web is OK", picomon.Stdout);

        picomon.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(StopDeadline));
    }

    /// <summary>10 MB without a line end, and a 40 KB line of junk (control characters included) followed by
    /// 10 MB more: neither is HTTP, and neither may end up in a message, a mail or a log line.</summary>
    private static readonly byte[] Flood = Junk(10 * 1024 * 1024, lineAt: -1);
    private static readonly byte[] JunkLine = Junk(10 * 1024 * 1024, lineAt: 40_000);

    [Fact]
    public async Task Dripping_and_flooding_targets_fail_clearly_while_the_daemon_stays_responsive_and_small()
    {
        using var dir = new Workspace();
        var connections = new int[3];
        await using var drip = Hostile(connections, 0, async (stream, stop) =>
        {
            while (true)
            {
                await stream.WriteAsync("x"u8.ToArray(), stop);
                await Task.Delay(100, stop);
            }
        });
        await using var flood = Hostile(connections, 1, (stream, stop) => stream.WriteAsync(Flood, stop).AsTask());
        await using var junk = Hostile(connections, 2, (stream, stop) => stream.WriteAsync(JunkLine, stop).AsTask());
        using var picomon = await Daemon.StartAsync(dir, $$"""
            picomon {
              base-tick = 1s
              default-timeout = 2s
              default-retry = 0
              hosts { drip { ipv4 = "127.0.0.1" }, flood { ipv4 = "127.0.0.1" }, junk { ipv4 = "127.0.0.1" } }
              checks = [
                { type = http4, hosts = [drip], port = {{drip.Port}} }
                { type = http4, hosts = [flood], port = {{flood.Port}} }
                { type = http4, hosts = [junk], port = {{junk.Port}} }
              ]
            }
            """, checks: 3);

        await Poll.UntilAsync(() => Enumerable.Range(0, 3).All(i => Volatile.Read(ref connections[i]) >= 4),
            "four runs against each hostile target", TimeSpan.FromSeconds(30));
        picomon.Signal(Daemon.SigUsr1);
        await picomon.WaitForOutputAsync((stdout, _) => stdout.Contains("Other checks (usually OK"), TimeSpan.FromSeconds(10));

        var dump = picomon.Stdout;
        var errors = dump[dump.IndexOf("    Checks in error:", StringComparison.Ordinal)..dump.IndexOf("    Other checks", StringComparison.Ordinal)];
        Assert.True(Failing("drip", @"Operation timed out").IsMatch(errors), errors);
        Assert.True(Failing("flood", @"invalid HTTP response: response headers exceed 64 KiB").IsMatch(errors), errors);
        Assert.True(Failing("junk", @"invalid HTTP response: invalid status line '[^\n]+").IsMatch(errors), errors);
        Assert.All(errors.Split('\n'), line => Assert.True(line.Length < 300 && !line.Any(c => char.IsControl(c) && c != '\t'), line));
        var rss = Daemon.ResidentMiB(picomon.Pid);
        Assert.True(rss < 300, $"picomon uses {rss:0} MiB");

        picomon.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(StopDeadline));
    }

    private static Regex Failing(string host, string message) =>
        new($@"127\.0\.0\.1: http4/{host}\nSince [^\n]+\n\t{message}\n");

    private static NetTcpServer Hostile(int[] connections, int index, Func<NetworkStream, CancellationToken, Task> serve) =>
        new(IPAddress.Loopback, (stream, stop) =>
        {
            Interlocked.Increment(ref connections[index]);
            return serve(stream, stop);
        });

    private static byte[] Junk(int length, int lineAt)
    {
        var bytes = new byte[length];
        new Random(42).NextBytes(bytes);
        for (var i = 0; i < bytes.Length; i++) if (bytes[i] is (byte)'\n' or (byte)'\r') bytes[i] = 0x01;
        if (lineAt >= 0) "\r\n"u8.CopyTo(bytes.AsSpan(lineAt));
        return bytes;
    }
}
