using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Picomon.TestSupport;

/// <summary>A real prosody XMPP server (Debian package <c>prosody</c>) on a free loopback port, serving
/// the virtual host <c>localhost</c>, with its config, data and pid file in a temporary directory.</summary>
public sealed class NetProsody : IDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _directory;

    public NetProsody()
    {
        _directory = Directory.CreateTempSubdirectory("picomon-prosody-").FullName;
        Directory.CreateDirectory(Path.Combine(_directory, "data"));
        Directory.CreateDirectory(Path.Combine(_directory, "certs"));
        Port = NetLoopback.ClosedPort(IPAddress.Loopback);
        var config = Path.Combine(_directory, "prosody.cfg.lua");
        File.WriteAllText(config, Config());
        // Output is read and dropped: prosody's console log is noise in test output.
        var start = new ProcessStartInfo("prosody", ["--config", config, "-F"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("prosody did not start");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilListening();
    }

    public int Port { get; }

    // run_as_root: the tests may run as root; s2s, HTTP and direct TLS are off so only c2s listens;
    // without certificates, encryption cannot be required, and saslauth gives the stream features.
    private string Config() => $$"""
        daemonize = false
        run_as_root = true
        pidfile = "{{_directory}}/prosody.pid"
        data_path = "{{_directory}}/data"
        certificates = "{{_directory}}/certs"
        modules_enabled = { "saslauth", "disco" }
        modules_disabled = { "s2s", "posix" }
        c2s_require_encryption = false
        allow_unencrypted_plain_auth = true
        c2s_ports = { {{Port}} }
        c2s_interfaces = { "127.0.0.1", "::1" }
        s2s_ports = {}
        http_ports = {}
        https_ports = {}
        c2s_direct_tls_ports = {}
        legacy_ssl_ports = {}
        log = { { levels = { min = "error" }, to = "console" } }
        VirtualHost "localhost"
        """;

    private void WaitUntilListening()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartDeadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"prosody exited with {_process.ExitCode}");
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                probe.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new TimeoutException($"prosody did not listen on port {Port} within {StartDeadline}");
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
