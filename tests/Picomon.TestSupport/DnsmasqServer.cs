using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DnsClient;

namespace Picomon.TestSupport;

/// <summary>A real Debian dnsmasq listening on one loopback address and port, started in the
/// foreground and killed (and reaped) on dispose.</summary>
public sealed class DnsmasqServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _pidFile;

    private DnsmasqServer(Process process, string pidFile, IPEndPoint endPoint)
    {
        _process = process;
        _pidFile = pidFile;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>A port that is free for both UDP and TCP on every address right now.</summary>
    public static int FreePort()
    {
        while (true)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Any, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                tcp.Bind(new IPEndPoint(IPAddress.Any, port));
                return port;
            }
            catch (SocketException)
            {
                // taken for TCP: try another
            }
        }
    }

    /// <summary>Starts dnsmasq on <paramref name="address"/>:<paramref name="port"/> with the extra
    /// arguments, and returns once it answers queries.</summary>
    public static async Task<DnsmasqServer> StartAsync(string address, int port, params string[] arguments)
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"picomon-dnsmasq-{Guid.NewGuid():N}.pid");
        var start = new ProcessStartInfo("/usr/sbin/dnsmasq")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var a in new[] { "--keep-in-foreground", "--no-resolv", "--no-hosts", "--conf-file=/dev/null",
                     $"--port={port}", $"--listen-address={address}", "--bind-interfaces", $"--pid-file={pidFile}", "--user=root" })
            start.ArgumentList.Add(a);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var server = new DnsmasqServer(process, pidFile, new IPEndPoint(IPAddress.Parse(address), port));
        await server.WaitUntilAnsweringAsync(() => { lock (errors) return errors.ToString(); });
        return server;
    }

    private async Task WaitUntilAnsweringAsync(Func<string> errors)
    {
        var client = new LookupClient(new LookupClientOptions(new NameServer(EndPoint))
        {
            Timeout = TimeSpan.FromMilliseconds(200), Retries = 0, UseCache = false, ThrowDnsErrors = false,
        });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"dnsmasq exited with {_process.ExitCode}: {errors()}");
            try
            {
                await client.QueryAsync(".", QueryType.NS); // any answer, even REFUSED, means it is up
                return;
            }
            catch (DnsResponseException)
            {
                await Task.Delay(50);
            }
        }
        await DisposeAsync();
        throw new TimeoutException($"dnsmasq on {EndPoint} did not answer: {errors()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        File.Delete(_pidFile);
    }
}
