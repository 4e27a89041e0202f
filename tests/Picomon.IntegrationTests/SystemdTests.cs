using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Picomon.IntegrationTests.Support;

namespace Picomon.IntegrationTests;

/// <summary><c>Type=notify</c> as systemd runs it: the daemon started with <c>NOTIFY_SOCKET</c> pointing at a Unix
/// datagram socket the test owns (and <c>WATCHDOG_USEC</c> set), and what arrives there.</summary>
[Collection(RealTime.Name)]
public class SystemdTests
{
    private static readonly TimeSpan Deadline = Deadlines.Event;

    /// <summary>The notify socket: every datagram received, in order.</summary>
    private sealed class NotifySocket : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _receiving;

        public NotifySocket(string path)
        {
            _socket.Bind(new UnixDomainSocketEndPoint(path));
            _receiving = ReceiveAsync();
        }

        public ConcurrentQueue<string> Messages { get; } = new();

        private async Task ReceiveAsync()
        {
            var buffer = new byte[4096];
            try
            {
                while (true)
                {
                    var length = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                    Messages.Enqueue(Encoding.UTF8.GetString(buffer, 0, length));
                }
            }
            catch (OperationCanceledException) { }
        }

        public Task WaitForAsync(string message) =>
            Poll.UntilAsync(() => Messages.Contains(message), $"{message} on the notify socket (got: {string.Join(" | ", Messages)})", Deadline);

        public void Dispose()
        {
            _stop.Cancel();
            _receiving.Wait(Deadline);
            _socket.Dispose();
        }
    }

    [Fact]
    public async Task Ready_once_the_checks_are_started_then_watchdog_pings_then_stopping_on_sigterm()
    {
        using var dir = new Workspace();
        using var notify = new NotifySocket(Path.Combine(dir.Directory, "notify.sock"));
        dir.Write("daemon.conf", """
            picomon {
              base-tick = 1s
              state-dir = "state"
              checks = [ { type = tcp4, hosts = ["127.0.0.1"], port = 1 } ]
            }
            """);
        using var picomon = PicomonBinary.StartWith(new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = Path.Combine(dir.Directory, "notify.sock"),
            ["WATCHDOG_USEC"] = "2000000",
        }, dir.Directory, "-c", "daemon.conf");

        await notify.WaitForAsync("READY=1");
        await notify.WaitForAsync("WATCHDOG=1");
        Assert.Equal("READY=1", notify.Messages.First());
        Assert.DoesNotContain("STOPPING=1", notify.Messages);

        picomon.Signal(Daemon.SigTerm);
        await notify.WaitForAsync("STOPPING=1");
        Assert.Equal(0, await picomon.WaitForExitAsync(Deadline));
        // Nothing after STOPPING=1: the watchdog pings stop with the scheduling of checks.
        Assert.Equal("STOPPING=1", notify.Messages.Last());
    }

    [Fact]
    public async Task The_unit_file_ships_beside_the_binary_and_systemd_analyze_verifies_it()
    {
        var unit = Path.Combine(Path.GetDirectoryName(PicomonBinary.Path)!, "picomon.service");
        var text = await File.ReadAllTextAsync(unit);
        foreach (var line in new[] { "Type=notify", "WatchdogSec=30s", "Restart=on-failure", "User=picomon", "StateDirectory=picomon",
                     "AmbientCapabilities=CAP_NET_RAW", "ExecReload=/bin/kill -HUP $MAINPID", "ExecStart=/opt/picomon/picomon -c /etc/picomon/picomon.conf" })
            Assert.Contains(line + "\n", text);

        // verify checks that ExecStart exists: pointed at the published binary.
        using var dir = new Workspace();
        var copy = dir.Write("picomon.service", text.Replace("/opt/picomon/picomon", PicomonBinary.Path));
        var verify = new System.Diagnostics.ProcessStartInfo("systemd-analyze", ["verify", "--man=no", copy])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(verify)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0 && output.Length == 0, $"systemd-analyze verify: exit {process.ExitCode}: {output}");
    }
}
