using System.Net;
using System.Text.RegularExpressions;
using Picomon.IntegrationTests.Support;

namespace Picomon.IntegrationTests;

/// <summary><c>picomon --one</c> as a user runs it: one block per check, the summary line, the exit code,
/// and checks run concurrently, each bounded by its own timeout.</summary>
[Collection(RealTime.Name)]
public partial class OneTests
{
    private static readonly TimeSpan Deadline = Deadlines.Event;

    [Fact]
    public async Task One_prints_a_block_per_check_and_the_summary_and_exits_1_when_some_fail()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        await using var hanging = NetTcpServer.Silent(IPAddress.Loopback);
        var closed = NetLoopback.ClosedPort(IPAddress.Loopback);
        dir.Write("one.conf", $$"""
            picomon {
              default-timeout = 30s
              hosts {
                web { ipv4 = "127.0.0.1" }
                closed { ipv4 = "127.0.0.1" }
                hang { ipv4 = "127.0.0.1" }
              }
              checks = [
                { type = http4, hosts = [web], port = {{web.Port}}, url = "/live" }
                { type = tcp4, hosts = [closed], port = {{closed}} }
                { type = tcp4, hosts = [hang], port = {{hanging.Port}}, expect = "^HELLO", timeout = 1s }
              ]
            }
            """);

        var (exit, stdout, stderr) = await PicomonBinary.RunAsync(dir.Directory, Deadline, "--one", "-c", "one.conf");

        Assert.True(exit == 1, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("Check http4/web successful!\n", stdout);
        Assert.Contains("Check tcp4/closed failed:\nConnection refused\n", stdout);
        Assert.Contains("Check tcp4/hang failed:\nOperation timed out\n", stdout);
        Assert.Equal("3 checks: 1 OK, 2 failed", LastLine(stdout));
        Assert.Equal(1, web.Count("/live"));
    }

    /// <summary>Concurrency shown by the hanging server itself: all ten connections are open at once (run one after
    /// the other, at most one would be), with no assertion on how long the run took.</summary>
    [Fact]
    public async Task Ten_hanging_checks_run_concurrently_each_until_its_own_timeout()
    {
        using var dir = new Workspace();
        var (open, mostOpen) = (0, 0);
        await using var hanging = new NetTcpServer(IPAddress.Loopback, async (stream, stop) =>
        {
            var now = Interlocked.Increment(ref open);
            InterlockedMax(ref mostOpen, now);
            try
            {
                // The probe sends nothing: reading ends when it closes the connection at its timeout.
                var buffer = new byte[64];
                while (await stream.ReadAsync(buffer, stop) > 0) { }
            }
            finally
            {
                Interlocked.Decrement(ref open);
            }
        });
        var hosts = Enumerable.Range(0, 10).Select(i => $"h{i}").ToList();
        dir.Write("hang.conf", $$"""
            picomon {
              hosts { {{string.Join("\n", hosts.Select(h => $"{h} {{ ipv4 = \"127.0.0.1\" }}"))}} }
              checks = [ { type = tcp4, hosts = [{{string.Join(", ", hosts)}}], port = {{hanging.Port}}, expect = "^HELLO", timeout = 5s } ]
            }
            """);

        var (exit, stdout, _) = await PicomonBinary.RunAsync(dir.Directory, Deadline, "--one", "-c", "hang.conf");

        Assert.Equal(1, exit);
        Assert.Equal(10, Volatile.Read(ref mostOpen));
        Assert.All(hosts, h => Assert.Contains($"Check tcp4/{h} failed:\nOperation timed out\n", stdout));
        Assert.Equal("10 checks: 0 OK, 10 failed", LastLine(stdout));
    }

    [Fact]
    public async Task One_without_any_file_pings_localhost_with_the_embedded_default()
    {
        using var empty = new Workspace();

        var (exit, stdout, stderr) = await PicomonBinary.RunAsync(empty.Directory, Deadline, "--one");

        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("Check ping4/localhost successful!\n", stdout);
        Assert.Contains("Check ping6/localhost successful!\n", stdout);
        Assert.Equal("2 checks: 2 OK, 0 failed", LastLine(stdout));
    }

    [Fact]
    public async Task The_original_sample_validates_and_runs_once_with_a_block_per_check()
    {
        var sample = Path.Combine(CheckConfigTests.RepositoryRoot(), "hocon/examples/original-sample.conf");
        var (valid, summary, _) = await PicomonBinary.RunAsync(CheckConfigTests.RepositoryRoot(), Deadline, "-t", "-c", sample);
        Assert.Equal(0, valid);
        var checks = int.Parse(ChecksInSummary().Match(summary).Groups[1].Value);

        // Host h1's ipv6 is ::42, which is not a loopback address: the run uses a copy where it is ::1,
        // so that no packet leaves the machine (127.0.0.0 and the other checked hosts are loopback).
        using var dir = new Workspace();
        var text = await File.ReadAllTextAsync(sample);
        Assert.Contains("\"::42\"", text);
        dir.Write("sample.conf", text.Replace("\"::42\"", "\"::1\""));

        var (exit, stdout, stderr) = await PicomonBinary.RunAsync(dir.Directory, Deadline, "--one", "-c", "sample.conf");

        Assert.True(exit is 0 or 1, $"exit {exit}\n{stderr}");
        Assert.Equal(checks, BlockStart().Matches(stdout).Count);
        var total = SummaryLine().Match(LastLine(stdout));
        Assert.True(total.Success, stdout);
        Assert.Equal(checks, int.Parse(total.Groups[1].Value));
        Assert.Equal(checks, int.Parse(total.Groups[2].Value) + int.Parse(total.Groups[3].Value));
        Assert.Equal(exit == 0, total.Groups[3].Value == "0");
    }

    private static string LastLine(string output) => output.TrimEnd('\n').Split('\n')[^1];

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }

    [GeneratedRegex(@"base tick \S+, (\d+) checks")]
    private static partial Regex ChecksInSummary();

    [GeneratedRegex(@"^Check \S+ (successful!|failed:)$", RegexOptions.Multiline)]
    private static partial Regex BlockStart();

    [GeneratedRegex(@"^(\d+) checks: (\d+) OK, (\d+) failed$")]
    private static partial Regex SummaryLine();
}
